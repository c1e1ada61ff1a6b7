import { describe, expect, it } from 'vitest';
import type { Reading } from '../../src/kmp/index.ts';
import { buildExport, importExport, StoreError } from '../../src/store/index.ts';
import { freshName, openStore, reading } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const MIN = 60_000;

const minutes = (serial: number, from: number, n: number): Reading[] =>
  Array.from({ length: n }, (_, i) => reading(serial, T0 + (from + i) * MIN, (55 + (from + i) / 1000).toFixed(3)));

describe('restoring a JSON export stores each meter and time once', () => {
  it('two readings of the same meter and time inside one file are stored once (the first)', async () => {
    const store = await openStore();
    const rows = minutes(3, 0, 5);
    const twin = { ...reading(3, T0 + 2 * MIN, '99.999') };
    const file = JSON.stringify(buildExport([{ serial: 3 }], [...rows, twin]));
    expect(await importExport(store, file)).toEqual({ meters: 1, readings: 5, skipped: 0, duplicates: 1 });
    const stored = await store.readings(3);
    expect(stored.map((r) => r.takenAt)).toEqual(rows.map((r) => r.takenAt));
    expect(stored[2]!.values[0]!.decimal).toBe('55.002');
  });

  it('choosing the same file again while the first restore runs is refused, and nothing is stored twice', async () => {
    const store = await openStore();
    const file = JSON.stringify(buildExport([{ serial: 3 }], minutes(3, 0, 400)));
    const first = importExport(store, file);
    const second = await importExport(store, file).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(StoreError);
    expect(second).toMatchObject({ kind: 'busy' });
    expect((second as Error).message).toMatch(/already restoring/i);
    expect(await first).toMatchObject({ readings: 400 });
    expect(await store.countReadings(3)).toBe(400);
    // Once it has finished, the same file again adds nothing.
    expect(await importExport(store, file)).toEqual({ meters: 1, readings: 0, skipped: 400, duplicates: 0 });
    expect(await store.countReadings(3)).toBe(400);
  });

  it('two stores on one database (two tabs) restoring at once still store each reading once', async () => {
    const name = freshName();
    const a = await openStore(name);
    const b = await openStore(name);
    const file = JSON.stringify(buildExport([], minutes(3, 0, 300)));
    const results = await Promise.all([importExport(a, file), importExport(b, file)]);
    expect(results.map((r) => r.readings + r.skipped)).toEqual([300, 300]);
    expect(results[0].readings + results[1].readings).toBe(300);
    expect(await a.countReadings(3)).toBe(300);
  });

  it('skips what the database already has, in several batches, and reports progress', async () => {
    const store = await openStore();
    await importExport(store, JSON.stringify(buildExport([], minutes(3, 100, 50))));
    const progress: Array<[number, number]> = [];
    const r = await importExport(store, JSON.stringify(buildExport([{ serial: 3 }], minutes(3, 0, 250))), {
      onProgress: ({ done, total }) => progress.push([done, total]),
      batchSize: 60,
    });
    expect(r).toEqual({ meters: 1, readings: 200, skipped: 50, duplicates: 0 });
    expect(await store.countReadings(3)).toBe(250);
    expect(progress[0]).toEqual([0, 250]);
    expect(progress.at(-1)).toEqual([250, 250]);
    expect(progress.map(([done]) => done)).toEqual([0, 60, 120, 180, 240, 250]);
    // The rollups count each reading once.
    const s = await store.series(3, [60], T0 - 400 * 3_600_000, T0 + 400 * 3_600_000, 2);
    expect(s.lines[0]!.values).toEqual([55, 55.249]);
  });

  it('keeps the newer last reading of a meter, and knows a meter only the readings name', async () => {
    const store = await openStore();
    await store.saveReading(reading(3, T0 + 1000 * MIN));
    await store.putMeter({ serial: 3, label: 'cellar' });
    const older = minutes(3, 0, 3);
    await importExport(
      store,
      JSON.stringify(buildExport([{ serial: 3, lastReading: older[2]! }], [...older, ...minutes(4, 0, 2)])),
    );
    expect((await store.getMeter(3))?.lastReading?.takenAt).toBe(T0 + 1000 * MIN);
    expect((await store.getMeter(3))?.label).toBe('cellar');
    expect((await store.getMeter(4))?.lastReading?.takenAt).toBe(T0 + MIN);
  });
});
