import { fill, words, type RegisterValue, type Sentences, type Words } from '../../kmp/index.ts';
import { LinkError } from '../link-error.ts';
import type { ActivityContext } from './activity-context.ts';
import type { ScanResult } from './session-types.ts';

/** Why a scan ended early, by id (src/kmp/words.ts): phrases the page puts after "Stopped early:". */
export const SCAN_SENTENCES = {
  'link.scan.stopped-by-you': 'stopped by you',
  'link.scan.empty-batches': '{batches} batches in a row brought nothing',
  'link.scan.budget': 'budget of {budget} registers reached',
} as const satisfies Sentences;

/**
 * A scan's `stoppedEarly` as words. Stored scans keep the English (it goes into the register
 * profile as it is), so a stored one is read back here; an English the link never wrote is said as it is.
 */
export function scanStopWords(stoppedEarly: string): Words | string {
  if (stoppedEarly === SCAN_SENTENCES['link.scan.stopped-by-you'])
    return words(SCAN_SENTENCES, 'link.scan.stopped-by-you');
  const empty = /^(\d+) batches in a row brought nothing$/.exec(stoppedEarly);
  if (empty) return words(SCAN_SENTENCES, 'link.scan.empty-batches', { batches: Number(empty[1]) });
  const budget = /^budget of (\d+) registers reached$/.exec(stoppedEarly);
  if (budget) return words(SCAN_SENTENCES, 'link.scan.budget', { budget: Number(budget[1]) });
  return stoppedEarly;
}

/** Registers per scan request: as many as one GetRegister takes. */
const BATCH = 8;

/**
 * Reads a candidate list in batches of 8 within a budget, and stops after `maxEmpty` batches in
 * a row that brought nothing (some meters drop the session when asked for many registers they do
 * not have, and every request costs battery), or when the signal aborts, after the batch on the wire.
 */
export async function runScan(
  ctx: ActivityContext,
  candidates: readonly number[],
  budget: number,
  maxEmpty: number,
): Promise<ScanResult> {
  const list = candidates.slice(0, budget);
  const supported: RegisterValue[] = [];
  const unsupported: number[] = [];
  let empty = 0;
  let stopped: Words | undefined;
  for (let i = 0; i < list.length; i += BATCH) {
    if (ctx.signal.aborted) {
      stopped = words(SCAN_SENTENCES, 'link.scan.stopped-by-you');
      break;
    }
    let got = 0;
    let failure: LinkError | undefined;
    try {
      const r = await ctx.client.readRegisters(list.slice(i, i + BATCH), { retries: 1 });
      supported.push(...r.values);
      unsupported.push(...r.unsupported);
      got = r.values.length;
    } catch (e) {
      if (e instanceof LinkError && (e.kind === 'disconnected' || e.kind === 'closed')) throw e;
      if (e instanceof LinkError) failure = e;
    }
    empty = got === 0 ? empty + 1 : 0;
    const done = Math.min(i + BATCH, list.length);
    // Progress is shown while the activity is still the scan's: one that took over stays on show.
    const shown = ctx.view.activity.kind === 'scanning';
    ctx.update({
      ...(shown ? { activity: { kind: 'scanning', done, total: list.length, found: supported.length } } : {}),
      ...(failure ? { lastError: failure } : {}),
    });
    if (empty >= maxEmpty) {
      stopped = words(SCAN_SENTENCES, 'link.scan.empty-batches', { batches: maxEmpty });
      break;
    }
  }
  if (candidates.length > budget && !stopped) stopped = words(SCAN_SENTENCES, 'link.scan.budget', { budget });
  return stopped
    ? { supported, unsupported, stoppedEarly: fill(stopped), stoppedEarlyWords: stopped }
    : { supported, unsupported, stoppedEarly: undefined };
}
