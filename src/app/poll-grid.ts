import { effectivePollInterval, nextSlot } from '../link/index.ts';
import type { PollingIntent } from './polling-intent.ts';

/** When polling resumes: the grid's first slot after the last stored reading (now-ish when there is none). */
export function nextPollAfter(intent: PollingIntent, lastTakenAt: number | undefined): number {
  if (lastTakenAt === undefined) return intent.anchor;
  return nextSlot(intent.anchor, effectivePollInterval(intent.intervalMs), lastTakenAt);
}
