import { subtractDecimals } from '../../../kmp/exact-decimal.ts';
import type { RegisterValue } from '../../../kmp/index.ts';

/** A logger entry as the page gets it from the store: id, the meter's local time, values. */
export interface EntryLike {
  id: number;
  time: string;
  values: readonly RegisterValue[];
}

/** What was used between two consecutive entries of one counter (energy, volume), in its unit. */
export interface PeriodUse {
  /** The period's start: the older entry's time (entries are stamped at the period start). */
  from: string;
  to: string;
  value: number;
  /** Exact text, with the counters' resolution. */
  decimal: string;
  unit: string;
}

/**
 * Consumption per period of counter `id`: the difference between consecutive entries, oldest
 * first. A period is left out where an entry lacks the counter or the unit changed between the
 * two (a reconfigured meter: GJ and MWh cannot be subtracted), or the ids are not consecutive
 * (a gap would add two periods into one bar).
 */
export function periodUse(entries: readonly EntryLike[], id: number): PeriodUse[] {
  const oldestFirst = [...entries].sort((a, b) => a.id - b.id);
  const out: PeriodUse[] = [];
  for (let i = 1; i < oldestFirst.length; i++) {
    const older = oldestFirst[i - 1]!;
    const newer = oldestFirst[i]!;
    if (newer.id !== older.id + 1) continue;
    const a = older.values.find((v) => v.id === id);
    const b = newer.values.find((v) => v.id === id);
    if (!a || !b || a.unitCode !== b.unitCode) continue;
    const decimal = subtractDecimals(b.decimal, a.decimal);
    out.push({ from: older.time, to: newer.time, value: Number(decimal), decimal, unit: b.unit });
  }
  return out;
}
