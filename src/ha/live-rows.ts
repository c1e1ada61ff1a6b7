/**
 * Polled readings as hourly statistic rows, so a laptop left polling fills the Energy dashboard
 * without MQTT: for each hour, the last reading taken in it (Home Assistant's own hourly
 * statistics hold the state at the end of their hour the same way). The sums follow from the
 * counter as for logger entries (statistics-import.ts), so readings and a later logger download
 * agree hour by hour.
 */
import type { Reading } from '../kmp/reading.ts';
import { isWords } from '../kmp/words.ts';
import {
  buildStatistic,
  QUANTITIES,
  READINGS_SOURCE,
  type Candidate,
  type PlannedStatistic,
} from './statistic-plan.ts';

const HOUR = 3_600_000;

/** Statistics of the readings (any order); a quantity whose counter falls or changes unit is left out. */
export function liveStatistics(input: {
  serial: number;
  model?: string;
  readings: readonly Reading[];
}): PlannedStatistic[] {
  const out: PlannedStatistic[] = [];
  const oldestFirst = [...input.readings].sort((a, b) => a.takenAt - b.takenAt);
  for (const q of QUANTITIES) {
    const byHour = new Map<number, Candidate>();
    for (const r of oldestFirst) {
      const value = r.values.find((v) => v.id === q.register);
      if (!value) continue;
      const start = Math.floor(r.takenAt / HOUR) * HOUR;
      byHour.set(start, { start, value, entry: { logger: READINGS_SOURCE, time: new Date(r.takenAt).toISOString() } });
    }
    if (!byHour.size) continue;
    const built = buildStatistic(q, input, [...byHour.values()]);
    if (!isWords(built)) out.push(built);
  }
  return out;
}
