import { implausibleReason, type Reading } from '../kmp/index.ts';
import type { HourRollup } from './schema.ts';

export const HOUR_MS = 3_600_000;

export const hourOf = (t: number): number => Math.floor(t / HOUR_MS) * HOUR_MS;

/** Adds a reading to its hour's rollup (a new one when `into` is undefined). */
export function addToRollup(into: HourRollup | undefined, r: Reading): HourRollup {
  const out: HourRollup = into
    ? { ...into, values: { ...into.values } }
    : { serial: r.serial, hour: hourOf(r.takenAt), n: 0, first: r.takenAt, last: r.takenAt, values: {} };
  out.n++;
  out.first = Math.min(out.first, r.takenAt);
  out.last = Math.max(out.last, r.takenAt);
  for (const v of r.values) {
    // One impossible value (an exponent of 63) would set the hour's max for every chart of a year.
    if (implausibleReason(v) !== undefined) continue;
    const prev = out.values[v.id];
    // A value in another unit than the hour's (the meter was reconfigured) is not mixed in.
    if (!prev) out.values[v.id] = { min: v.value, max: v.value, unit: v.unit };
    else if (prev.unit === v.unit)
      out.values[v.id] = { min: Math.min(prev.min, v.value), max: Math.max(prev.max, v.value), unit: v.unit };
  }
  return out;
}

/** The rollups of a set of readings, keyed `serial|hour`. */
export function rollupsOf(readings: Iterable<Reading>, into = new Map<string, HourRollup>()): Map<string, HourRollup> {
  for (const r of readings) {
    const key = `${r.serial}|${hourOf(r.takenAt)}`;
    into.set(key, addToRollup(into.get(key), r));
  }
  return into;
}
