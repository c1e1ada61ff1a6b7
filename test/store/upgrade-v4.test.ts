import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { KmpStore } from '../../src/store/index.ts';
import { freshName, reading } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

describe('upgrading a version 3 database (the previous schema) with data in it', () => {
  it('removes readings stored twice by a restore, makes meter and time unique, and rebuilds the rollups per unit', async () => {
    const name = freshName();
    const v3 = await openDB(name, 3, {
      upgrade(db) {
        db.createObjectStore('meters', { keyPath: 'serial' });
        const readings = db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true });
        readings.createIndex('by-meter-time', ['serial', 'takenAt']);
        readings.createIndex('by-time', 'takenAt');
        db.createObjectStore('settings');
        db.createObjectStore('frames', { keyPath: 'id', autoIncrement: true });
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('hourly', { keyPath: ['serial', 'hour'] });
      },
    });
    // The same file restored twice (the bug), and the meter reconfigured from GJ to MWh within the hour.
    for (let pass = 0; pass < 2; pass++)
      for (let i = 0; i < 3; i++) await v3.add('readings', reading(5, T0 + i * 60_000, `10.00${i}`));
    await v3.add('readings', {
      serial: 5,
      takenAt: T0 + 10 * 60_000,
      values: [{ id: 60, unitCode: 3, unit: 'MWh', value: 2.8, decimal: '2.800' }],
    });
    // A version 3 rollup: one entry per register id, the MWh value left out.
    await v3.put('hourly', {
      serial: 5,
      hour: T0,
      n: 7,
      first: T0,
      last: T0 + 10 * 60_000,
      values: { 60: { min: 10, max: 10.002, unit: 'GJ' } },
    });
    await v3.put('meters', { serial: 5, model: 'MULTICAL 603' });
    v3.close();

    const store = await KmpStore.open({ name });
    expect((await store.readings(5)).map((r) => r.values[0]!.decimal)).toEqual(['10.000', '10.001', '10.002', '2.800']);
    expect((await store.getMeter(5))?.model).toBe('MULTICAL 603');
    const long = await store.series(5, [60], T0 - 400 * 3_600_000, T0 + 400 * 3_600_000, 2);
    expect(long.lines.map((l) => [l.unit, l.values])).toEqual([
      ['GJ', [10, 10.002]],
      ['MWh', [2.8, 2.8]],
    ]);
    await expect(store.saveReading(reading(5, T0))).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(/already stored/),
    });
    expect(await store.countReadings(5)).toBe(4);
    store.close();
    // Version 6 keeps readings per meter and hour, each time once by the records' own shape.
    const raw = await openDB(name);
    expect([raw.objectStoreNames.contains('readings'), raw.objectStoreNames.contains('readingHours')]).toEqual([
      false,
      true,
    ]);
    raw.close();
  });
});
