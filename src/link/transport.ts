import type { DecodedFrame } from '../kmp/index.ts';
import type { RequestBudget } from './request-budget.ts';
import type { WireLog } from './wire-log.ts';

export interface KmpClientOptions {
  /** Wait for the start of a reply, counted from when the request has left the wire. Default 1500 ms. */
  firstByteTimeoutMs?: number;
  /** Longest silence inside a reply before it counts as cut off. Default 200 ms. */
  interByteTimeoutMs?: number;
  /** Extra attempts after a failed one; the first request may only wake the meter. Default 2. */
  retries?: number;
  /** Pause before retry n is n × this. Default 150 ms. */
  retryBackoffMs?: number;
  /** Line speed, to allow for the time the request itself takes on the wire. Default 1200. */
  baudRate?: number;
  /**
   * The most one reply may take, counted like the first-byte wait from when the request has left
   * the wire, however steadily its bytes arrive. Default `replyDeadlineMs(options)`: the first-byte
   * wait plus the longest reply a meter sends at this line speed, plus a second.
   */
  replyDeadlineMs?: number;
  /** Where frames are logged; a new one when left out. */
  log?: WireLog;
  /** Close the port too when the client is closed. Default true. */
  closePort?: boolean;
  /** The clock, for how long ago the meter last answered. Default Date.now. */
  now?: () => number;
}

export interface ClientStats {
  requests: number;
  replies: number;
  echoes: number;
  badFrames: number;
  timeouts: number;
  retries: number;
  bytesTx: number;
  bytesRx: number;
}

export type ClientState = 'open' | 'disconnected' | 'closed';

/** Per-call overrides: alignment mode, for one, wants every attempt counted, not retried. */
export interface CallOptions {
  retries?: number;
  /** Requests the caller's read may still spend without a good reply; attempts stop when it is spent. */
  budget?: RequestBudget;
  /** The most one reply may take (see KmpClientOptions.replyDeadlineMs): longer for a long logger reply. */
  replyDeadlineMs?: number;
  /**
   * The destination address: the meter's 0x3F unless given. The loggers of the MULTICAL 601
   * and 801 answer on 0x7F (top module) or 0xBF (base module); a reply must come from it.
   */
  dst?: number;
}

/**
 * What a reader of the meter (registers, loggers) needs of the line: one command and its parsed
 * reply at a time. Readers depend on this, never on the class behind it, so the transport knows
 * no reader and no reader pulls the transport in.
 */
export interface Transport {
  /** Sends one command and returns the parsed reply, retrying on failure; write commands are refused. */
  transact<T>(cid: number, data: Uint8Array, parse: (frame: DecodedFrame) => T, options?: CallOptions): Promise<T>;
  /** The reply deadline for a reply of about `dataBytes` bytes, every byte possibly stuffed. */
  replyDeadlineFor(dataBytes: number): number;
}
