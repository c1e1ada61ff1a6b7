/**
 * What every timing bench measures against: the virtual meter at real 1200-baud 8N2 pacing
 * (11 bits a byte) with a 50 ms turnaround, and the wire bound of what was sent and received.
 */
import type { WireEntry } from '../../src/link/index.ts';

export const BAUD = 1200;
export const TURNAROUND_MS = 50;
const BITS_PER_BYTE = 11;

export interface WireFigures {
  bytesTx: number;
  bytesRx: number;
  requests: number;
  /** Every byte of the requests and replies on the line, plus one turnaround per request. */
  boundMs: number;
}

/** From a wire log: an echo travels while the request does, so it adds no time and is not counted. */
export function wireFigures(entries: readonly WireEntry[]): WireFigures {
  const bytesOf = (kind: string) =>
    entries.filter((e) => e.kind === kind).reduce((n, e) => n + e.hex.split(' ').length, 0);
  const bytesTx = bytesOf('request');
  const bytesRx = bytesOf('response');
  const requests = entries.filter((e) => e.kind === 'request').length;
  return {
    bytesTx,
    bytesRx,
    requests,
    boundMs: ((bytesTx + bytesRx) * BITS_PER_BYTE * 1000) / BAUD + requests * TURNAROUND_MS,
  };
}
