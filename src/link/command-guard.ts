import { CID, LOGGER_SUB, WRITE_COMMANDS } from '../kmp/index.ts';
import { LinkError } from './link-error.ts';

/** The logger sub-commands this client may send: configuration, entries by id, entries from the end. */
const READ_LOGGER_SUBS: ReadonlySet<number> = new Set([LOGGER_SUB.config, LOGGER_SUB.byId, LOGGER_SUB.fromEnd]);

/**
 * Why a command must not reach the wire, or undefined if it may: commands that would change the
 * meter never go out (nor A1, which moves the 601/801 logger's read pointer), and of the logger
 * read-out only the reads with a public layout do.
 */
export function refusal(cid: number, data: Uint8Array): LinkError | undefined {
  if (WRITE_COMMANDS.has(cid)) return new LinkError('refused', `command 0x${cid.toString(16)}`);
  // A1 reads on from the meter's own "last read" record and moves it: other readers of the
  // meter (the utility's) would miss records. We leave the meter as we found it.
  if (cid === CID.GetLogPastPresent) return new LinkError('refused', `command 0x${cid.toString(16)}`);
  if (cid === CID.Logger && !READ_LOGGER_SUBS.has(data[0] ?? -1))
    return new LinkError('refused', `logger sub-command 0x${(data[0] ?? 0).toString(16).padStart(2, '0')}`);
  return undefined;
}
