import type { Problem } from '../kmp/errors.ts';

/** Why talking to Home Assistant failed, for the code to branch on. */
export type HaErrorKind =
  | 'address' // not an address at all
  | 'mixed-content' // an https page may not open plain ws:// there
  | 'unreachable' // nothing there accepted a Home Assistant WebSocket
  | 'not-ha' // something answered, but not Home Assistant
  | 'wrong-token' // HA refused the token
  | 'not-admin' // the token's user may not import statistics
  | 'too-old' // this HA does not know a command we need
  | 'lost' // the connection closed while a command was under way
  | 'refused' // HA answered a command with an error
  | 'unit'; // HA already holds the statistic in another unit

/** A Home Assistant failure in the shape of every Problem: kind, sentence, what to try. */
export class HaError extends Error implements Problem {
  override readonly name = 'HaError';
  constructor(
    readonly kind: HaErrorKind,
    message: string,
    readonly advice?: string,
    readonly detail?: string,
  ) {
    super(message);
  }
}
