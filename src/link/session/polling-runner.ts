import { MIN_POLL_INTERVAL_MS } from '../../kmp/index.ts';
import type { ActivityContext } from './activity-context.ts';
import { pause } from './pause.ts';
import { readOnce } from './read-once.ts';

/** The interval polling really uses: at least MIN_POLL_INTERVAL_MS; a non-number is refused. */
export function effectivePollInterval(intervalMs: number): number {
  if (!Number.isFinite(intervalMs))
    throw new RangeError(`The polling interval must be a number of milliseconds, not ${intervalMs}.`);
  return Math.max(MIN_POLL_INTERVAL_MS, intervalMs);
}

/**
 * Reads `ids` now and then every `intervalMs` until the signal aborts, showing when the next read
 * is due. A failed read does not end polling: the session's last error tells the page.
 */
export async function runPolling(ctx: ActivityContext, ids: readonly number[], intervalMs: number): Promise<void> {
  let reads = 0;
  const show = () => ctx.update({ activity: { kind: 'polling', intervalMs, nextAt: ctx.now() + intervalMs, reads } });
  do {
    show();
    try {
      await readOnce(ctx, ids);
      reads++;
    } catch {
      // lastError already tells the UI; polling goes on until stopped or the port is lost
    }
    if (ctx.signal.aborted) return;
    show();
  } while (await pause(intervalMs, ctx.signal));
}
