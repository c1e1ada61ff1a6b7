import { LinkError, type LinkFailure } from '../link-error.ts';
import type { ActivityContext } from './activity-context.ts';
import { pause } from './pause.ts';
import type { AlignCounts } from './session-types.ts';

/** The longest alignment run: every request costs battery. */
const MAX_ALIGN_MS = 180_000;

/** Which count an alignment attempt's outcome adds to. */
function countOf(e: unknown): keyof AlignCounts {
  if (!(e instanceof LinkError)) return 'other';
  if (e.kind === 'no-answer' || e.kind === 'echo-only' || e.kind === 'bad-crc') return e.kind;
  return e.kind === 'cut-off' || e.kind === 'overrun' ? 'bad-crc' : 'other';
}

/**
 * Alignment mode: a GetSerialNo about once a period, no retries, each outcome counted, so a
 * person can slide the head until it goes green; idle again after `durationMs` (at most three
 * minutes) unless the signal aborts first.
 */
export async function runAlign(ctx: ActivityContext, durationMs: number, periodMs: number): Promise<void> {
  const endsAt = ctx.now() + Math.min(durationMs, MAX_ALIGN_MS);
  const counts: AlignCounts = { ok: 0, 'no-answer': 0, 'echo-only': 0, 'bad-crc': 0, other: 0 };
  ctx.update({ activity: { kind: 'aligning', endsAt, counts, last: undefined } });
  for (;;) {
    const started = ctx.now();
    let last: 'ok' | LinkFailure;
    try {
      await ctx.client.getSerialNo({ retries: 0 });
      last = 'ok';
      counts.ok++;
    } catch (e) {
      // Anything but a LinkError is a fault of ours: count it rather than let it end the loop as
      // an unhandled rejection with the page still showing "aligning".
      last = e instanceof LinkError ? e.kind : 'unexpected';
      counts[countOf(e)]++;
    }
    if (ctx.signal.aborted) return;
    if (ctx.now() >= endsAt) {
      ctx.update({ activity: { kind: 'idle' } });
      return;
    }
    ctx.update({ activity: { kind: 'aligning', endsAt, counts: { ...counts }, last } });
    if (!(await pause(Math.max(0, periodMs - (ctx.now() - started)), ctx.signal))) return;
  }
}
