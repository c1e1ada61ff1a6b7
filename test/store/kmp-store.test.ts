import { openDB } from 'idb';
import { describe, expect, it, vi } from 'vitest';
import { DB_VERSION, FRAME_LOG_CAP, KmpStore, StoreError } from '../../src/store/index.ts';
import { freshName, openStore, reading } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);

describe('KmpStore', () => {
  it('keeps readings with their exact decimals and units, and the meter’s last reading', async () => {
    const store = await openStore();
    await store.saveReading(reading(71234567, T0, '55.006'));
    await store.saveReading(reading(71234567, T0 + 60_000, '55.010'));
    const rows = await store.readings(71234567);
    expect(rows.map((r) => r.values[0]!.decimal)).toEqual(['55.006', '55.010']);
    expect(rows[0]!.values[1]).toMatchObject({ unit: '°C', decimal: '53.65' });
    expect((await store.getMeter(71234567))?.lastReading?.takenAt).toBe(T0 + 60_000);
    expect((await store.readings(71234567, { newestFirst: true, limit: 1 }))[0]!.takenAt).toBe(T0 + 60_000);
  });

  it.each([
    ['no values', { serial: 1, takenAt: T0, values: [] }],
    [
      'a non-finite value',
      { ...reading(1, T0), values: [{ id: 60, unitCode: 8, unit: 'GJ', value: NaN, decimal: 'NaN' }] },
    ],
    [
      'decimal and value that disagree',
      { ...reading(1, T0), values: [{ id: 60, unitCode: 8, unit: 'GJ', value: 55.1, decimal: '55.006' }] },
    ],
    ['a negative serial', reading(-5, T0)],
    ['no time', { ...reading(1, T0), takenAt: 0 }],
  ])('refuses a reading with %s and writes nothing', async (_name, bad) => {
    const store = await openStore();
    await expect(store.saveReading(bad as never, { outbox: true })).rejects.toMatchObject({ kind: 'invalid' });
    expect(await store.countReadings(Math.max(0, (bad as { serial: number }).serial))).toBe(0);
    expect(await store.outboxCount()).toBe(0);
  });

  it('queues readings in the outbox in order; ack removes; it survives closing and reopening', async () => {
    const name = freshName();
    let store = await openStore(name);
    for (let i = 0; i < 5; i++) await store.saveReading(reading(1, T0 + i * 1000), { outbox: true });
    const [first] = await store.outboxPeek(1);
    await store.outboxAck([first!.seq]);
    await store.outboxFailed((await store.outboxPeek(1))[0]!.seq);
    store.close();
    store = await openStore(name);
    const items = await store.outboxPeek(10);
    expect(items.map((i) => i.reading.takenAt)).toEqual([1, 2, 3, 4].map((i) => T0 + i * 1000));
    expect(items[0]!.attempts).toBe(1);
    expect(await store.outboxCount()).toBe(4);
  });

  it('a storage-full error is reported as such and nothing of the reading is kept', async () => {
    const store = await openStore();
    const spy = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementationOnce(function () {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const err = await store.saveReading(reading(2, T0), { outbox: true }).catch((e: unknown) => e);
    spy.mockRestore();
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).kind).toBe('quota');
    expect((err as StoreError).message).toMatch(/Storage is full.*Nothing was saved/);
    expect(await store.countReadings(2)).toBe(0);
    expect(await store.getMeter(2)).toBeUndefined();
  });

  it('caps the frame log, dropping the oldest first', async () => {
    const store = await openStore();
    const frames = Array.from({ length: FRAME_LOG_CAP + 25 }, (_, i) => ({
      at: i,
      dir: 'tx' as const,
      kind: 'request',
      hex: '80 0D',
      decoded: `f${i}`,
    }));
    await store.appendFrames(frames);
    const kept = await store.listFrames();
    expect(kept).toHaveLength(FRAME_LOG_CAP);
    expect(kept[0]!.decoded).toBe('f25');
  });

  it('keeps every field of a logged frame, the reply time included, through closing and reopening', async () => {
    const name = freshName();
    const request = {
      at: T0,
      dir: 'tx' as const,
      kind: 'request',
      hex: '80 3F 10 01 00 3C 3B 0D',
      decoded: 'GetRegister 60',
    };
    const reply = {
      at: T0 + 180,
      dir: 'rx' as const,
      kind: 'response',
      hex: '40 3F 10 00 3C 0B 04 43 00 00 D6 DE 41 86 0D',
      decoded: 'Register 60 = 55.006 GJ',
      crcOk: true,
      replyMs: 180,
    };
    const first = await openStore(name);
    await first.appendFrames([request, reply]);
    first.close();
    const store = await openStore(name);
    const kept = await store.listFrames();
    expect(kept.map(({ id: _id, ...f }) => f)).toEqual([request, reply]);
    store.close();
  });

  it('deletes a time range, and clears a meter with its outbox items', async () => {
    const store = await openStore();
    for (let i = 0; i < 10; i++) await store.saveReading(reading(3, T0 + i * 60_000), { outbox: true });
    await store.saveReading(reading(4, T0), { outbox: true });
    expect(await store.deleteReadings(3, T0 + 2 * 60_000, T0 + 4 * 60_000)).toBe(3);
    expect(await store.countReadings(3)).toBe(7);
    await store.clearMeter(3);
    expect(await store.countReadings(3)).toBe(0);
    expect(await store.getMeter(3)).toBeUndefined();
    expect((await store.outboxPeek(100)).map((i) => i.reading.serial)).toEqual([4]);
  });

  it('decimates a long series to the point budget and keeps spikes', async () => {
    const store = await openStore();
    const N = 20_000;
    const rows = Array.from({ length: N }, (_, i) => reading(5, T0 + i * 60_000, (50 + (i % 7) / 1000).toFixed(3)));
    rows[12_345] = reading(5, T0 + 12_345 * 60_000, '99.999');
    await store.importAll([], rows);
    const s = await store.series(5, [60, 86], T0, T0 + N * 60_000, 2000);
    expect(s.total).toBe(N);
    expect(s.times.length).toBeLessThanOrEqual(2000);
    expect(s.times.length).toBeGreaterThan(1900);
    expect(Math.max(...s.columns.get(60)!.filter((v): v is number => v !== null))).toBe(99.999);
    expect(s.units.get(60)).toBe('GJ');
    expect([...s.times].sort((a, b) => a - b)).toEqual(s.times);
    const small = await store.series(5, [60], T0, T0 + 9 * 60_000, 500);
    expect(small.times).toHaveLength(10);
  });

  it('draws long ranges from hourly rollups with the same envelope, and keeps them right after deletes', async () => {
    const store = await openStore();
    const N = 6 * 24 * 60; // six days of one-minute readings
    const rows = Array.from({ length: N }, (_, i) => reading(6, T0 + i * 60_000, (50 + (i % 11) / 1000).toFixed(3)));
    rows[5_000] = reading(6, T0 + 5_000 * 60_000, '99.999');
    rows[7_000] = reading(6, T0 + 7_000 * 60_000, '1.000');
    await store.importAll([], rows.slice(0, N / 2));
    for (const r of rows.slice(N / 2, N / 2 + 30)) await store.saveReading(r);
    await store.importAll([], rows.slice(N / 2 + 30));
    const to = T0 + N * 60_000;
    const fromRollups = await store.series(6, [60], T0, to, 60);
    const raw = await store.series(6, [60], T0, to, 2 * N);
    const extremes = (s: typeof raw) => {
      const v = s.columns.get(60)!.filter((x): x is number => x !== null);
      return [Math.min(...v), Math.max(...v)];
    };
    expect(raw.times).toHaveLength(N);
    expect(fromRollups.times.length).toBeLessThanOrEqual(60);
    expect(fromRollups.total).toBe(N);
    expect(extremes(fromRollups)).toEqual(extremes(raw));
    expect(extremes(fromRollups)).toEqual([1, 99.999]);
    expect(fromRollups.units.get(60)).toBe('GJ');

    // Delete the spike's half hour: the rollups forget it, the rest of its hour stays.
    await store.deleteReadings(6, T0 + 4_990 * 60_000, T0 + 5_010 * 60_000);
    const after = await store.series(6, [60], T0, to, 60);
    expect(extremes(after)).toEqual([1, 50.01]);
    await store.clearMeter(6);
    expect((await store.series(6, [60], T0, to, 60)).times).toEqual([]);
  });

  it('leaves values no meter can produce out of the hourly rollups, and so out of every long-range chart', async () => {
    const store = await openStore();
    const N = 3 * 24 * 60;
    const rows = Array.from({ length: N }, (_, i) => reading(8, T0 + i * 60_000, (50 + (i % 7) / 1000).toFixed(3)));
    // A CRC-valid reply with an exponent of 63, and a 250 °C flow temperature, in the middle of day two.
    rows[2_000] = reading(8, T0 + 2_000 * 60_000, '18' + '0'.repeat(63));
    rows[2_001] = {
      ...reading(8, T0 + 2_001 * 60_000, '50.000'),
      values: [reading(8, 0, '50.000').values[0]!, { id: 86, unitCode: 37, unit: '°C', value: 250, decimal: '250.00' }],
    };
    await store.importAll([], rows);
    const to = T0 + N * 60_000;
    const s = await store.series(8, [60, 86], T0, to, 30);
    const finite = (id: number) => s.columns.get(id)!.filter((x): x is number => x !== null);
    expect(Math.max(...finite(60))).toBe(50.006);
    expect(Math.max(...finite(86))).toBe(53.65);
    // Through saveReading too (one reading at a time), not only through import.
    await store.saveReading(reading(8, to + 60_000, '18' + '0'.repeat(63)));
    const later = await store.series(8, [60], T0, to + 120_000, 30);
    expect(Math.max(...later.columns.get(60)!.filter((x): x is number => x !== null))).toBe(50.006);
  });

  it('leaves values no meter can produce out of a short range drawn from the readings themselves', async () => {
    const store = await openStore();
    const rows = Array.from({ length: 10 }, (_, i) => reading(9, T0 + i * 60_000, `50.00${i}`));
    rows[4] = reading(9, T0 + 4 * 60_000, '18' + '0'.repeat(63));
    await store.importAll([], rows);
    // Every reading its own point (no rollups, no buckets) …
    const raw = await store.series(9, [60], T0, T0 + 10 * 60_000, 500);
    expect(raw.times).toHaveLength(10);
    expect(raw.lines[0]!.values[4]).toBeNull();
    expect(Math.max(...raw.lines[0]!.values.filter((v): v is number => v !== null))).toBe(50.009);
    // … and in min/max buckets of raw readings.
    const buckets = await store.series(9, [60], T0, T0 + 10 * 60_000, 4);
    expect(Math.max(...buckets.lines[0]!.values.filter((v): v is number => v !== null))).toBe(50.009);
  });

  it('upgrades a version 1 database with data in it', async () => {
    const name = freshName();
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('meters', { keyPath: 'serial' });
        db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true }).createIndex('by-meter-time', [
          'serial',
          'takenAt',
        ]);
        db.createObjectStore('settings');
      },
    });
    // Version 1 values carried no unit text.
    await v1.add('readings', {
      serial: 9,
      takenAt: T0,
      values: [{ id: 60, unitCode: 3, value: 1.5, decimal: '1.500' }],
    });
    await v1.put('meters', { serial: 9, model: 'MULTICAL 403' });
    await v1.put('settings', { pollIntervalMs: 300000 }, 'app');
    v1.close();
    const store = await KmpStore.open({ name });
    const [r] = await store.readings(9);
    expect(r!.values[0]).toMatchObject({ unit: 'MWh', decimal: '1.500' });
    expect((await store.getMeter(9))?.model).toBe('MULTICAL 403');
    expect(await store.getSetting('app')).toEqual({ pollIntervalMs: 300000 });
    await store.saveReading(reading(9, T0 + 1000), { outbox: true });
    expect(await store.outboxCount()).toBe(1);
    // The hourly rollups were built from what was there; MWh then GJ are two lines.
    const long = await store.series(9, [60], T0 - 400 * 3_600_000, T0 + 400 * 3_600_000, 10);
    expect(long.lines.find((l) => l.unit === 'MWh')?.values).toContain(1.5);
    expect(DB_VERSION).toBe(6);
  });

  it('upgrades a version 2 database (the previous schema) with data in it, outbox and frame log included', async () => {
    const name = freshName();
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('meters', { keyPath: 'serial' });
        const readings = db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true });
        readings.createIndex('by-meter-time', ['serial', 'takenAt']);
        readings.createIndex('by-time', 'takenAt');
        db.createObjectStore('settings');
        db.createObjectStore('frames', { keyPath: 'id', autoIncrement: true });
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
      },
    });
    // Two hours of readings, one of them still waiting to be published.
    for (let i = 0; i < 4; i++) await v2.add('readings', reading(5, T0 + i * 30 * 60_000, `10.00${i}`));
    await v2.add('outbox', { reading: reading(5, T0 + 3 * 30 * 60_000, '10.003'), queuedAt: T0, attempts: 2 });
    await v2.add('frames', {
      at: T0,
      dir: 'tx',
      kind: 'request',
      hex: '80 3F 10 01 00 3C B2 5F 0D',
      crcOk: true,
      decoded: 'GetRegister 60',
    });
    v2.close();

    const store = await KmpStore.open({ name });
    expect((await store.readings(5)).map((r) => r.values[0]!.decimal)).toEqual([
      '10.000',
      '10.001',
      '10.002',
      '10.003',
    ]);
    const [waiting] = await store.outboxPeek(10);
    expect(waiting).toMatchObject({ attempts: 2, reading: { serial: 5, takenAt: T0 + 3 * 30 * 60_000 } });
    expect((await store.listFrames()).map((f) => f.decoded)).toEqual(['GetRegister 60']);
    // The hourly rollups (new in version 3) were built from the readings already there.
    // (Two points for four readings over 800 hours: a bucket of hours, so drawn from the rollups.)
    const long = await store.series(5, [60], T0 - 400 * 3_600_000, T0 + 400 * 3_600_000, 2);
    expect(long.columns.get(60)).toEqual([10, 10.003]);
  });

  it('tells an older tab to step aside, and reports a blocked upgrade', async () => {
    const name = freshName();
    const old = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('meters', { keyPath: 'serial' });
        db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true }).createIndex('by-meter-time', [
          'serial',
          'takenAt',
        ]);
        db.createObjectStore('settings');
      },
    });
    // The old connection ignores versionchange: the new version cannot open.
    await expect(KmpStore.open({ name })).rejects.toMatchObject({ kind: 'blocked' });
    old.close();
    let told = false;
    const a = await KmpStore.open({ name: freshName() });
    a.close();
    const name2 = freshName();
    const first = await KmpStore.open({ name: name2, onVersionChange: () => (told = true) });
    // A newer version elsewhere: our store closes itself and says so.
    const newer = await openDB(name2, DB_VERSION + 1);
    expect(told).toBe(true);
    newer.close();
    first.close();
  });
});
