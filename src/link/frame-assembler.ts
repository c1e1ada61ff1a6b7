import { START_REQUEST, START_RESPONSE, STOP } from '../kmp/index.ts';

/** What the assembler cut out of the byte stream. */
export type AssembledPiece =
  /** A complete 0x40 … 0x0D frame: a reply from the meter (CRC not yet checked). */
  | { kind: 'response'; bytes: Uint8Array }
  /** A complete 0x80 … 0x0D frame: our own request reflected back by the IR head. */
  | { kind: 'echo'; bytes: Uint8Array }
  /** A frame that was interrupted by a new start byte or grew past any sane length. */
  | { kind: 'cut'; bytes: Uint8Array }
  /** Bytes outside any frame: line noise, or the tail of something we never saw start. */
  | { kind: 'noise'; bytes: Uint8Array };

/**
 * Longer than any KMP reply: 8 registers with 10-byte mantissas, or a logger reply of the largest
 * size the client waits for (MAX_LOGGER_REPLY_BYTES), every byte stuffed.
 */
const MAX_FRAME = 4608;

/**
 * Splits a byte stream of arbitrary chunks into frames without knowing any lengths.
 * Stuffing guarantees 0x40, 0x80 and 0x0D never occur inside a frame body, so a start byte
 * always begins a frame and 0x0D always ends one: this is what makes the echo harmless.
 */
export class FrameAssembler {
  private current: number[] | undefined;
  private noise: number[] = [];

  constructor(private readonly emit: (piece: AssembledPiece) => void) {}

  /** True while the bytes of a reply (0x40 frame) are being collected. */
  get inResponse(): boolean {
    return this.current !== undefined && this.current[0] === START_RESPONSE;
  }

  push(chunk: Uint8Array): void {
    for (const b of chunk) {
      if (b === START_RESPONSE || b === START_REQUEST) {
        this.flushNoise();
        if (this.current) this.emit({ kind: 'cut', bytes: Uint8Array.from(this.current) });
        this.current = [b];
      } else if (this.current) {
        this.current.push(b);
        if (b === STOP) {
          const bytes = Uint8Array.from(this.current);
          this.current = undefined;
          this.emit({ kind: bytes[0] === START_RESPONSE ? 'response' : 'echo', bytes });
        } else if (this.current.length > MAX_FRAME) {
          this.emit({ kind: 'cut', bytes: Uint8Array.from(this.current) });
          this.current = undefined;
        }
      } else {
        this.noise.push(b);
      }
    }
    this.flushNoise();
  }

  /** Drops a half-received frame (before a new request, or when a reply stalled). */
  reset(): Uint8Array | undefined {
    this.flushNoise();
    const partial = this.current ? Uint8Array.from(this.current) : undefined;
    this.current = undefined;
    return partial;
  }

  private flushNoise(): void {
    if (this.noise.length) {
      this.emit({ kind: 'noise', bytes: Uint8Array.from(this.noise) });
      this.noise = [];
    }
  }
}
