import { MAX_REGISTERS_PER_REQUEST } from '../kmp/index.ts';
import { LinkError, linkWords } from './link-error.ts';
import type { KmpClientOptions } from './transport.ts';

/** Bits per byte at 8N2: start, 8 data, 2 stop. */
export const BITS_PER_BYTE = 11;

/**
 * The longest reply worth waiting for, in bytes on the wire: 8 register blocks with 10-byte
 * mantissas (the widest any meter is known to send), command and CRC, every byte stuffed.
 */
const LONGEST_REPLY_BYTES = 2 * (2 + MAX_REGISTERS_PER_REQUEST * (5 + 10) + 2) + 2;

/** How long `bytes` take on the wire at `baudRate`, in milliseconds. */
export function wireMs(bytes: number, baudRate: number): number {
  return (bytes * BITS_PER_BYTE * 1000) / baudRate;
}

/**
 * The default total deadline for one reply. Without it a line that trickles a byte just inside
 * the inter-byte timeout held a read open for minutes (about 100 s seen).
 */
export function replyDeadlineMs(options: Pick<KmpClientOptions, 'firstByteTimeoutMs' | 'baudRate'>): number {
  const baud = options.baudRate ?? 1200;
  return Math.ceil((options.firstByteTimeoutMs ?? 1500) + wireMs(LONGEST_REPLY_BYTES, baud) + 1000);
}

/** The deadline for a reply of about `dataBytes` bytes of data: never shorter than the default `o.replyDeadlineMs`. */
export function deadlineForReply(
  dataBytes: number,
  o: { replyDeadlineMs: number; firstByteTimeoutMs: number; baudRate: number },
): number {
  const stuffedBytes = 2 * (dataBytes + 4) + 2;
  return Math.max(o.replyDeadlineMs, Math.ceil(o.firstByteTimeoutMs + wireMs(stuffedBytes, o.baudRate) + 1000));
}

/** A reply that kept trickling in past its deadline, in words a person at the meter can act on. */
export function tooSlow(deadlineMs: number): LinkError {
  const seconds = Math.round(deadlineMs / 100) / 10;
  return new LinkError('overrun', undefined, {
    message: linkWords('link.overrun.slow', { seconds }),
    advice: linkWords('link.overrun.advice'),
  });
}
