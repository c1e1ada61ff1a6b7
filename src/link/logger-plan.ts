import { LOGGER_SUB, MAX_LOGGER_COUNT, REG_DATE_TIME_DST, encodeLoggerRequest } from '../kmp/index.ts';

/**
 * What a logger download costs, worked out before it starts: requests, bytes each way and time
 * on a 1200-baud line. Every request wakes the meter's processor and its optical port, so the UI
 * shows this and the download stops at a request budget.
 */

/** Reply data a meter's buffer is assumed to hold when nothing has been learnt yet; the virtual meter's default too. */
export const ASSUMED_LOGGER_REPLY_BYTES = 240;

/** Requests one download may send unless told otherwise: a whole daily logger of 460 entries needs about 35. */
export const DEFAULT_LOGGER_REQUEST_BUDGET = 200;

/** Meter turnaround assumed for the estimate: replies begin within about 100–150 ms (docs/protocol.md, timing). */
export const ASSUMED_TURNAROUND_MS = 150;

const BITS_PER_BYTE = 11; // 8N2
/** Start, destination, command id, two CRC bytes, stop. */
const FRAME_BYTES = 6;
/** sub, type, count, nRegs, firstId, lastIdInMeter, info. */
const REPLY_HEADER = 15;
/** Configuration reply: sub, type, 10 unknown bytes, depth, nRegs, then 2 bytes a register; a yearly logger lists about 43. */
const CONFIG_REPLY_BYTES = FRAME_BYTES + 15 + 2 * 43;
/** Stuffing adds a byte for each of 5 reserved values: about 2% of random data. */
const STUFFING = 1 + 5 / 256;

export interface LoggerPlanInput {
  /** Entries to download. */
  entries: number;
  /** The registers asked for each entry, time registers included (at most 8). */
  registers: readonly number[];
  /** Rows one reply holds, if learnt from an earlier download; else worked out from `replyBytes`. */
  rowsPerReply?: number;
  /** The meter's reply buffer in bytes of data. Default ASSUMED_LOGGER_REPLY_BYTES. */
  replyBytes?: number;
  /** The logger's configuration is already known, so no 05 request is needed. */
  configKnown?: boolean;
  baudRate?: number;
  turnaroundMs?: number;
}

export interface LoggerEstimate {
  requests: number;
  /** Bytes to the meter and from it, on the wire. */
  bytesTx: number;
  bytesRx: number;
  /** Wire time plus a turnaround per request. */
  seconds: number;
  rowsPerReply: number;
}

/** Value bytes one row takes: 7 for register 348, 4 (the usual mantissa) for any other. */
export function rowValueBytes(registers: readonly number[]): number {
  return registers.reduce((n, id) => n + (id === REG_DATE_TIME_DST ? 7 : 4), 0);
}

/** Rows of `rowBytes` value bytes that fit a reply of `replyBytes` data, at least one. */
export function rowsThatFit(registerCount: number, rowBytes: number, replyBytes: number): number {
  const first = REPLY_HEADER + 5 * registerCount + rowBytes;
  return Math.max(1, Math.min(MAX_LOGGER_COUNT, 1 + Math.floor((replyBytes - first) / rowBytes)));
}

/** The requests, bytes and seconds a download of `entries` entries takes, as the client pages. */
export function estimateLoggerDownload(input: LoggerPlanInput): LoggerEstimate {
  const entries = Math.max(0, Math.floor(input.entries));
  const n = input.registers.length;
  const rowBytes = rowValueBytes(input.registers);
  const rowsPerReply = Math.max(
    1,
    Math.floor(input.rowsPerReply ?? rowsThatFit(n, rowBytes, input.replyBytes ?? ASSUMED_LOGGER_REPLY_BYTES)),
  );
  const pages = Math.max(1, Math.ceil(entries / rowsPerReply));
  const config = input.configKnown ? 0 : 1;
  const requestBytes = encodeLoggerRequest({
    sub: LOGGER_SUB.byId,
    logger: 4,
    fromId: 1,
    count: 1,
    registers: input.registers.length ? input.registers : [0],
  }).length;
  const bytesTx = config * 8 + pages * requestBytes;
  const rxData = pages * (REPLY_HEADER + 5 * n) + Math.max(entries, 1) * rowBytes;
  const bytesRx = Math.round(config * CONFIG_REPLY_BYTES * STUFFING + (pages * FRAME_BYTES + rxData) * STUFFING);
  const requests = config + pages;
  const baud = input.baudRate ?? 1200;
  const seconds =
    ((bytesTx + bytesRx) * BITS_PER_BYTE) / baud + (requests * (input.turnaroundMs ?? ASSUMED_TURNAROUND_MS)) / 1000;
  return { requests, bytesTx, bytesRx, seconds, rowsPerReply };
}
