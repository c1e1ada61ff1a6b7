/**
 * Readings are stored one record per meter and hour (ReadingHour, schema version 6): IndexedDB's
 * cost is per record, not per byte, so a year of one-minute readings is 8,760 records instead of
 * 525,600, and a restore writes it about ten times faster (docs/testing.md, the store benchmark).
 * These are the pure parts: placing a reading in its hour, and reading the hours back as readings.
 */
import type { Reading } from '../kmp/index.ts';
import { hourOf } from './rollup.ts';
import type { HourReading, ReadingHour } from './schema.ts';

/** The key of the hour `takenAt` falls in, for one meter. */
export const hourKey = (serial: number, takenAt: number): [number, number] => [serial, hourOf(takenAt)];

/** The hour records' key range that holds every reading of `serial` from `from` to `to` (inclusive). */
export const hoursRange = (serial: number, from: number, to: number): IDBKeyRange =>
  IDBKeyRange.bound([serial, hourOf(from)], [serial, to]);

/** Where `takenAt` is or would go in an hour's readings (oldest first): the first index not before it. */
function position(readings: readonly HourReading[], takenAt: number): number {
  let lo = 0;
  let hi = readings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (readings[mid]!.takenAt < takenAt) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Whether the hour holds a reading taken at `takenAt`. */
export function hasTime(hour: ReadingHour, takenAt: number): boolean {
  return hour.readings[position(hour.readings, takenAt)]?.takenAt === takenAt;
}

/**
 * Adds readings of one hour (any order) to `into` (a new hour when undefined), each time once:
 * one whose time the hour already holds is left out, the first of the hour's kept. Returns the
 * hour and the readings it took.
 */
export function addToHour(
  into: ReadingHour | undefined,
  serial: number,
  hour: number,
  readings: readonly Reading[],
): { hour: ReadingHour; added: Reading[] } {
  const out: ReadingHour = { serial, hour, readings: into ? [...into.readings] : [] };
  const added: Reading[] = [];
  for (const r of readings) {
    const at = position(out.readings, r.takenAt);
    if (out.readings[at]?.takenAt === r.takenAt) continue;
    out.readings.splice(at, 0, { takenAt: r.takenAt, values: r.values });
    added.push(r);
  }
  return { hour: out, added };
}

/** Readings sorted by meter and time, cut into their hours. */
export function* byHour(sorted: readonly Reading[]): Generator<{ serial: number; hour: number; readings: Reading[] }> {
  let start = 0;
  for (let i = 1; i <= sorted.length; i++) {
    const first = sorted[start]!;
    if (i < sorted.length && sorted[i]!.serial === first.serial && hourOf(sorted[i]!.takenAt) === hourOf(first.takenAt))
      continue;
    if (i > start) yield { serial: first.serial, hour: hourOf(first.takenAt), readings: sorted.slice(start, i) };
    start = i;
  }
}

/** An hour's readings as readings, oldest first, those from `from` to `to` (inclusive). */
export function readingsOf(hour: ReadingHour, from = -Infinity, to = Infinity): Reading[] {
  const out: Reading[] = [];
  for (const r of hour.readings)
    if (r.takenAt >= from && r.takenAt <= to) out.push({ serial: hour.serial, takenAt: r.takenAt, values: r.values });
  return out;
}
