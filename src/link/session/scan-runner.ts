import type { RegisterValue } from '../../kmp/index.ts';
import { LinkError } from '../link-error.ts';
import type { ActivityContext } from './activity-context.ts';
import type { ScanResult } from './session-types.ts';

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
  let stoppedEarly: string | undefined;
  for (let i = 0; i < list.length; i += BATCH) {
    if (ctx.signal.aborted) {
      stoppedEarly = 'stopped by you';
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
      stoppedEarly = `${maxEmpty} batches in a row brought nothing`;
      break;
    }
  }
  if (candidates.length > budget && !stoppedEarly) stoppedEarly = `budget of ${budget} registers reached`;
  return { supported, unsupported, stoppedEarly };
}
