/**
 * Version 6 keeps readings per meter and hour (src/store/reading-hours.ts). A database of
 * version 5 — readings restored from a file into one record each, as that version stored them —
 * is upgraded, and every reading comes out as the file had it, field by field; the rollups,
 * counts, ranges and a second restore of the same file agree with it.
 */
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { decodeRegisters, type Reading } from '../../src/kmp/index.ts';
import { buildExport } from '../../src/store/export-json.ts';
import { importExport, parseExport } from '../../src/store/import-json.ts';
import { rollupsOf } from '../../src/store/rollup.ts';
import { DB_VERSION, KmpStore } from '../../src/store/index.ts';
import { freshName } from './helpers.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 29, 0, 0, 0);
/** Register 348 as a meter sends it (2026-04-21 12:07:30, 60 minutes of daylight saving). */
const DATE_TIME = decodeRegisters(Uint8Array.of(0x01, 0x5c, 79, 7, 0, 0x3c, 0x1a, 0x04, 0x15, 0x0c, 0x07, 0x1e))[0]!;

/**
 * Readings as varied as the file format allows: two meters, every value field (a unit-79 date
 * with its daylight-saving minutes), a unit that changes half-way, readings on and around hour
 * boundaries, hours with one reading and hours with many, times out of order in the file.
 */
function fileReadings(): Reading[] {
  const out: Reading[] = [];
  for (let i = 0; i < 400; i++) {
    const takenAt = T0 + i * 7 * 60_000 + (i % 3 === 0 ? 0 : 999);
    const energy = (55 + i * 0.001).toFixed(3);
    const mwh = i >= 200;
    out.push({
      serial: 71234567,
      takenAt,
      values: [
        mwh
          ? { id: 60, unitCode: 3, unit: 'MWh', value: Number(energy), decimal: energy }
          : { id: 60, unitCode: 8, unit: 'GJ', value: Number(energy), decimal: energy },
        { id: 86, unitCode: 37, unit: '°C', value: 60 + (i % 10), decimal: `${60 + (i % 10)}.00` },
        DATE_TIME,
      ],
    });
  }
  // A second meter with one reading an hour, and one alone in its hour at the very start of it.
  for (let h = 0; h < 30; h++)
    out.push({
      serial: 5,
      takenAt: T0 + h * HOUR,
      values: [{ id: 68, unitCode: 40, unit: 'm³', value: 1000 + h, decimal: `${1000 + h}.00` }],
    });
  // The file lists them newest first: its order is not the store's.
  return out.reverse();
}

/** A version 5 database exactly as that version laid it out, holding `readings` one record each. */
async function version5(name: string, readings: readonly Reading[]): Promise<void> {
  const v5 = await openDB(name, 5, {
    upgrade(db) {
      db.createObjectStore('meters', { keyPath: 'serial' });
      db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true }).createIndex(
        'by-meter-time',
        ['serial', 'takenAt'],
        { unique: true },
      );
      db.createObjectStore('settings');
      db.createObjectStore('frames', { keyPath: 'id', autoIncrement: true });
      db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      db.createObjectStore('hourly', { keyPath: ['serial', 'hour'] });
      db.createObjectStore('loggerEntries', { keyPath: ['serial', 'logger', 'id'] }).createIndex('by-logger-time', [
        'serial',
        'logger',
        'time',
      ]);
    },
  });
  const tx = v5.transaction(['readings', 'hourly', 'meters'], 'readwrite');
  for (const r of readings) void tx.objectStore('readings').add({ ...r });
  for (const roll of rollupsOf(readings).values()) void tx.objectStore('hourly').put(roll);
  void tx.objectStore('meters').put({ serial: 71234567, model: 'MULTICAL 603' });
  await tx.done;
  v5.close();
}

const sortedByTime = (rs: readonly Reading[], serial: number) =>
  rs.filter((r) => r.serial === serial).sort((a, b) => a.takenAt - b.takenAt);

describe('upgrading a version 5 database to readings per meter and hour', () => {
  it('keeps every reading of a restored file, field by field, and its rollups and counts', async () => {
    expect(DATE_TIME).toMatchObject({ dateTime: '2026-04-21T12:07:30', dstMinutes: 60 });
    const text = JSON.stringify(buildExport([{ serial: 71234567, model: 'MULTICAL 603' }], fileReadings()));
    const file = parseExport(text);
    const name = freshName();
    await version5(name, file.readings);

    const store = await KmpStore.open({ name });
    expect(DB_VERSION).toBe(6);
    for (const serial of [71234567, 5]) {
      const expected = sortedByTime(file.readings, serial);
      const stored = await store.readings(serial);
      expect(stored).toHaveLength(expected.length);
      // Field by field: serial, time, and each value's id, unit code, unit text, number, exact
      // decimal and (for unit 79) date-time and daylight-saving minutes, nothing added.
      stored.forEach((r, i) => expect(r).toStrictEqual(expected[i]));
      expect(await store.countReadings(serial)).toBe(expected.length);
      const newest = await store.readings(serial, { newestFirst: true, limit: 3 });
      expect(newest).toStrictEqual(expected.slice(-3).reverse());
    }
    // A range cut inside hours, counted and read alike.
    const from = T0 + 90 * 60_000 + 1;
    const to = T0 + 20 * HOUR + 30 * 60_000;
    const inRange = sortedByTime(file.readings, 71234567).filter((r) => r.takenAt >= from && r.takenAt <= to);
    expect(await store.readings(71234567, { from, to })).toStrictEqual(inRange);
    expect(await store.countReadings(71234567, from, to)).toBe(inRange.length);
    // The rollups were rebuilt from the readings moved: what the long-range chart draws.
    const raw = await openDB(name);
    const rollups = await raw.getAll('hourly');
    raw.close();
    const expectedRollups = [...rollupsOf(sortedByTime(file.readings, 5)).values()].concat([
      ...rollupsOf(sortedByTime(file.readings, 71234567)).values(),
    ]);
    expect(rollups).toStrictEqual(expectedRollups);
    // Each time once still: the same file restored again adds nothing.
    const again = await importExport(store, text);
    expect([again.readings, again.skipped]).toEqual([0, file.readings.length]);
    expect(await store.countReadings(71234567)).toBe(400);
    store.close();
  });

  it('an export of the upgraded database restores into a new one unchanged', async () => {
    const text = JSON.stringify(buildExport([], fileReadings()));
    const file = parseExport(text);
    const name = freshName();
    await version5(name, file.readings);
    const upgraded = await KmpStore.open({ name });
    const exported = buildExport([], [...(await upgraded.readings(5)), ...(await upgraded.readings(71234567))]);
    upgraded.close();

    const fresh = await KmpStore.open({ name: freshName() });
    const result = await importExport(fresh, JSON.stringify(exported));
    expect(result.readings).toBe(file.readings.length);
    for (const serial of [71234567, 5])
      expect(await fresh.readings(serial)).toStrictEqual(sortedByTime(file.readings, serial));
    fresh.close();
  });
});
