import { implausibleReason, type Reading } from '../kmp/index.ts';
import type { HourRollup } from './schema.ts';

/**
 * `${id}/${unitCode}`: what keeps two units of one register apart, in the rollups and in the
 * chart's lines (series.ts). Here, with the rollups every saved reading updates, so that the
 * series code can load with the first chart.
 */
export const lineKey = (id: number, unitCode: number): string => `${id}/${unitCode}`;

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
    if (!Number.isFinite(v.value) || implausibleReason(v) !== undefined) continue;
    // Per register and unit: a reconfigured meter's GJ and MWh never share a minimum or maximum.
    const key = lineKey(v.id, v.unitCode);
    const prev = out.values[key];
    out.values[key] = prev
      ? { ...prev, min: Math.min(prev.min, v.value), max: Math.max(prev.max, v.value) }
      : { id: v.id, unitCode: v.unitCode, unit: v.unit, min: v.value, max: v.value };
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

/** Two rollups of the same hour as one (an import adding to an hour already stored). */
export function mergeRollups(a: HourRollup, b: HourRollup): HourRollup {
  const values = { ...a.values };
  for (const [key, v] of Object.entries(b.values)) {
    const prev = values[key];
    values[key] = prev ? { ...prev, min: Math.min(prev.min, v.min), max: Math.max(prev.max, v.max) } : v;
  }
  return { ...a, n: a.n + b.n, first: Math.min(a.first, b.first), last: Math.max(a.last, b.last), values };
}
