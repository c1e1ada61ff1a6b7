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

/** The first slot of the grid anchor + k × interval that lies after `now` (the anchor itself while it is ahead). */
export function nextSlot(anchor: number, intervalMs: number, now: number): number {
  if (now < anchor) return anchor;
  return anchor + (Math.floor((now - anchor) / intervalMs) + 1) * intervalMs;
}

/**
 * Reads `ids` at firstAt + k × intervalMs until the signal aborts, showing when the next read is
 * due. A fixed grid, not a wait after each read: a read's own seconds on the wire and a timer that
 * fires late (Chrome runs a hidden tab's chained timers about once a minute) never add up to
 * drift, and slots missed while the machine slept are skipped, not made up in a burst. A failed
 * read does not end polling: the session's last error tells the page.
 */
export async function runPolling(
  ctx: ActivityContext,
  ids: readonly number[],
  intervalMs: number,
  firstAt: number = ctx.now(),
): Promise<void> {
  let reads = 0;
  let due = firstAt;
  const show = (nextAt: number) => ctx.update({ activity: { kind: 'polling', intervalMs, nextAt, reads } });
  // While a read due now is on the wire, the slot after it is the one to show.
  show(nextSlot(firstAt, intervalMs, ctx.now()));
  while (await waitUntil(ctx, due)) {
    show(nextSlot(firstAt, intervalMs, ctx.now()));
    try {
      await readOnce(ctx, ids);
      reads++;
    } catch {
      // lastError already tells the UI; polling goes on until stopped or the port is lost
    }
    if (ctx.signal.aborted) return;
    due = nextSlot(firstAt, intervalMs, ctx.now());
    show(due);
  }
}

/** Waits until the clock says `at` (a timer that fires early waits the rest); false once stopped. */
async function waitUntil(ctx: ActivityContext, at: number): Promise<boolean> {
  for (;;) {
    if (ctx.signal.aborted) return false;
    const left = at - ctx.now();
    if (left <= 0) return true;
    if (!(await pause(left, ctx.signal))) return false;
  }
}
