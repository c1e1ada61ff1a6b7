import { openDB } from 'idb';
import { afterEach, describe, expect, it } from 'vitest';
import { LOGGER_TYPE, decodeRegisters, fromHex, registerById, type RegisterValue } from '../../src/kmp/index.ts';
import { KmpClient } from '../../src/link/index.ts';
import {
  DB_VERSION,
  KmpStore,
  buildExport,
  importExport,
  loggerCsvColumns,
  loggerEntriesToCsv,
  parseExport,
} from '../../src/store/index.ts';
import { connect } from '../link/helpers.ts';
import { freshName, openStore, reading } from './helpers.ts';

const clients: KmpClient[] = [];
const stores: KmpStore[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  for (const s of stores.splice(0)) s.close();
});

async function store(name?: string) {
  const s = await openStore(name);
  stores.push(s);
  return s;
}

const T0 = Date.UTC(2026, 0, 1);
const v348 = (hex: string) => decodeRegisters(fromHex(`01 5C 4F 07 00 ${hex}`))[0]!;
const energy = (decimal: string): RegisterValue => ({
  id: 60,
  unitCode: 8,
  unit: 'GJ',
  value: Number(decimal),
  decimal,
});
const entry = (id: number, time: string, e: string, logger: number = LOGGER_TYPE.month) => ({
  logger,
  id,
  time,
  values: [energy(e)],
});

describe('logger entries in the store', () => {
  it('a repeated download adds only what is new, kept apart from readings', async () => {
    const s = await store();
    expect(
      await s.saveLoggerEntries(5, [entry(2, '2026-02-01T00:00:00', '10.5'), entry(1, '2026-01-01T00:00:00', '9.5')]),
    ).toEqual({
      added: 2,
      skipped: 0,
    });
    expect(
      await s.saveLoggerEntries(5, [
        entry(3, '2026-03-01T00:00:00', '11.5'),
        entry(2, '2026-02-01T00:00:00', '99'),
        entry(3, '2026-03-01T00:00:00', '11.5'),
      ]),
    ).toEqual({ added: 1, skipped: 2 });
    // The entry stored first is kept: a download never rewrites what the meter said before.
    expect((await s.loggerEntries(5, LOGGER_TYPE.month)).map((e) => [e.id, e.values[0]!.decimal])).toEqual([
      [1, '9.5'],
      [2, '10.5'],
      [3, '11.5'],
    ]);
    expect(await s.loggerEntryIds(5, LOGGER_TYPE.month)).toEqual(new Set([1, 2, 3]));
    expect(await s.loggerEntryIds(5, LOGGER_TYPE.day)).toEqual(new Set());
    expect(await s.countReadings(5)).toBe(0);
    expect((await s.getMeter(5))?.serial).toBe(5);
  });

  it('queries by time, newest first, with a limit; summarises and deletes per logger', async () => {
    const s = await store();
    await s.saveLoggerEntries(
      5,
      [1, 2, 3, 4].map((i) => entry(i, `2026-0${i}-01T00:00:00`, `${i}.0`)),
    );
    await s.saveLoggerEntries(5, [entry(7, '2026-01-05T00:00:00', '1.1', LOGGER_TYPE.day)]);
    await s.saveLoggerEntries(6, [entry(1, '2026-01-01T00:00:00', '1.0')]);
    const q = (from?: string, to?: string, newestFirst?: boolean, limit?: number) =>
      s
        .loggerEntries(5, LOGGER_TYPE.month, {
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(newestFirst ? { newestFirst } : {}),
          ...(limit ? { limit } : {}),
        })
        .then((r) => r.map((e) => e.id));
    expect(await q('2026-02-01T00:00:00', '2026-03-01T00:00:00')).toEqual([2, 3]);
    expect(await q(undefined, undefined, true, 3)).toEqual([4, 3, 2]);
    expect(await q('2026-02-01T00:00:01')).toEqual([3, 4]);
    expect(await s.loggerSummary(5)).toEqual([
      {
        logger: 3,
        count: 4,
        oldestId: 1,
        newestId: 4,
        oldestTime: '2026-01-01T00:00:00',
        newestTime: '2026-04-01T00:00:00',
      },
      {
        logger: 4,
        count: 1,
        oldestId: 7,
        newestId: 7,
        oldestTime: '2026-01-05T00:00:00',
        newestTime: '2026-01-05T00:00:00',
      },
    ]);
    expect(await s.deleteLoggerEntries(5, LOGGER_TYPE.day)).toBe(1);
    expect(await s.loggerSummary(5)).toHaveLength(1);
    await s.clearMeter(5);
    expect(await s.allLoggerEntries(5)).toEqual([]);
    expect(await s.allLoggerEntries()).toHaveLength(1);
  });

  it.each([
    ['entry id 0', { ...entry(0, '2026-01-01T00:00:00', '1') }, /entries\[1\]\.id 0 is not a logger entry id/],
    [
      'a time with a zone',
      entry(1, '2026-01-01T00:00:00Z', '1'),
      /entries\[1\]\.time the text "2026-01-01T00:00:00Z" is not an ISO 8601 local/,
    ],
    ['30 February', entry(1, '2026-02-30T00:00:00', '1'), /is not an ISO 8601 local/],
    ['logger 256', { ...entry(1, '2026-01-01T00:00:00', '1'), logger: 256 }, /logger 256 is not a logger type/],
    ['no values', { ...entry(1, '2026-01-01T00:00:00', '1'), values: [] }, /values is empty/],
    [
      'a unit that is not its code’s',
      { ...entry(1, '2026-01-01T00:00:00', '1'), values: [{ ...energy('1'), unit: 'MWh' }] },
      /unit "MWh" is not the unit of unit code 8/,
    ],
    [
      'a date-time that is not its decimal’s',
      {
        ...entry(1, '2026-01-01T00:00:00', '1'),
        values: [{ ...v348('3C 1A 04 15 0C 07 1E'), dateTime: '2026-04-21T12:07:31' }],
      },
      /values\[0\]\.dateTime the text "2026-04-21T12:07:31" is not the date-time its decimal/,
    ],
    [
      'a date-time on another unit',
      { ...entry(1, '2026-01-01T00:00:00', '1'), values: [{ ...energy('1'), dateTime: '2026-04-21T12:07:30' }] },
      /belongs to date-times \(unit 79\) only/,
    ],
    [
      'unit 79 whose decimal is no date-time',
      {
        ...entry(1, '2026-01-01T00:00:00', '1'),
        values: [{ ...v348('3C 1A 04 15 0C 07 1E'), decimal: '5', value: 5 }],
      },
      /decimal "5" is not a date-time/,
    ],
  ])('refuses %s, naming the field, and stores nothing of the call', async (_n, bad, message) => {
    const s = await store();
    await expect(s.saveLoggerEntries(5, [entry(9, '2026-01-01T00:00:00', '1'), bad])).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(message),
    });
    expect(await s.allLoggerEntries()).toEqual([]);
  });

  it('keeps the date-time and DST minutes of register 348', async () => {
    const s = await store();
    const dt = v348('3C 1A 04 15 0C 07 1E');
    await s.saveLoggerEntries(5, [{ logger: 5, id: 9, time: '2026-04-21T13:07:30', values: [dt, energy('1.0')] }]);
    const [got] = await s.loggerEntries(5, 5);
    expect(got!.values[0]).toEqual(dt);
    expect(got!.values[0]).toMatchObject({ dateTime: '2026-04-21T12:07:30', dstMinutes: 60 });
  });
});

describe('from the virtual meter to the store and out as CSV', () => {
  it('a download stored page by page, then resumed, then exported: one row per entry with exact decimals', async () => {
    const { meter, client } = await connect({ model: '603' });
    clients.push(client);
    const s = await store();
    const abort = new AbortController();
    let pages = 0;
    await client.readLogger(LOGGER_TYPE.month, [60, 68], {
      signal: abort.signal,
      onEntries: async (entries) => {
        await s.saveLoggerEntries(meter.serial, entries);
        if (++pages === 2) abort.abort();
      },
    });
    const resumed = await client.readLogger(LOGGER_TYPE.month, [60, 68], {
      have: await s.loggerEntryIds(meter.serial, LOGGER_TYPE.month),
      onEntries: (entries) => s.saveLoggerEntries(meter.serial, entries).then(() => undefined),
    });
    expect(resumed.complete).toBe(true);
    const stored = await s.loggerEntries(meter.serial, LOGGER_TYPE.month);
    const want = meter.loggerEntries(LOGGER_TYPE.month, [348, 60, 68]).reverse();
    expect(stored.map((e) => [e.id, e.time, e.values.map((v) => v.decimal)])).toEqual(
      want.map((e) => [e.id, e.time, e.values.map((v) => v.decimal)]),
    );
    const csv = [
      ...loggerEntriesToCsv(stored, loggerCsvColumns(stored), { names: (id) => registerById(id)?.key }),
    ].join('');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('id,time,dst [min],energy [GJ],volume [m³]');
    expect(lines).toHaveLength(36 + 2);
    const first = want[0]!;
    const dst = first.values[0]!.decimal === '0' ? '' : String(Number(BigInt(first.values[0]!.decimal) >> 48n));
    expect(lines[1]).toBe(`${first.id},${first.time},${dst},${first.values[1]!.decimal},${first.values[2]!.decimal}`);
  });
});

describe('JSON export and restore of logger entries', () => {
  it('round-trips with the readings; restoring again adds nothing; older files without them still restore', async () => {
    const a = await store();
    await a.saveReading(reading(5, T0));
    await a.saveLoggerEntries(5, [entry(1, '2026-01-01T00:00:00', '9.5'), entry(2, '2026-02-01T00:00:00', '10.5')]);
    const file = JSON.stringify(
      buildExport(await a.listMeters(), await a.readings(5), '0.1.0', await a.allLoggerEntries()),
    );
    const b = await store();
    expect(await importExport(b, file)).toMatchObject({ readings: 1, loggerEntries: 2, loggerEntriesSkipped: 0 });
    expect(await importExport(b, file)).toMatchObject({ readings: 0, loggerEntries: 0, loggerEntriesSkipped: 2 });
    expect(await b.allLoggerEntries()).toEqual(await a.allLoggerEntries());
    const old = JSON.stringify(buildExport(await a.listMeters(), await a.readings(5)));
    expect(JSON.parse(old)).not.toHaveProperty('loggerEntries');
    expect(await importExport(await store(), old)).not.toHaveProperty('loggerEntries');
  });

  it('a malformed logger entry refuses the whole file, naming it', async () => {
    const file = buildExport([], [reading(5, T0)], undefined, [
      { serial: 5, logger: 3, id: 1, time: '2026-01-01T00:00:00', values: [energy('1')], readAt: T0 },
    ]);
    file.loggerEntries![0]!.time = 'yesterday';
    expect(() => parseExport(JSON.stringify(file))).toThrow(/loggerEntries\[0\]\.time the text "yesterday"/);
    expect(() => parseExport(JSON.stringify({ ...file, loggerEntries: {} }))).toThrow(/"loggerEntries" must be a list/);
    const b = await store();
    await expect(importExport(b, JSON.stringify(file))).rejects.toMatchObject({ kind: 'invalid' });
    expect(await b.countReadings(5)).toBe(0);
  });
});

describe('upgrading a version 4 database (the previous schema) with data in it', () => {
  it('keeps readings, meters, rollups, frames and outbox, and adds the logger entries store', async () => {
    const name = freshName();
    const v4 = await openDB(name, 4, {
      upgrade(db) {
        db.createObjectStore('meters', { keyPath: 'serial' });
        const readings = db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true });
        readings.createIndex('by-meter-time', ['serial', 'takenAt'], { unique: true });
        db.createObjectStore('settings');
        db.createObjectStore('frames', { keyPath: 'id', autoIncrement: true });
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
        db.createObjectStore('hourly', { keyPath: ['serial', 'hour'] });
      },
    });
    for (let i = 0; i < 3; i++) await v4.add('readings', reading(5, T0 + i * 60_000, `10.00${i}`));
    await v4.put('meters', { serial: 5, model: 'MULTICAL 603' });
    await v4.put('settings', 'x', 'y');
    await v4.add('outbox', { reading: reading(5, T0), queuedAt: T0, attempts: 0 });
    await v4.put('hourly', {
      serial: 5,
      hour: T0,
      n: 3,
      first: T0,
      last: T0 + 120_000,
      values: { '60/8': { id: 60, unitCode: 8, unit: 'GJ', min: 10, max: 10.002 } },
    });
    v4.close();

    const s = await store(name);
    expect(DB_VERSION).toBe(6);
    expect((await s.readings(5)).map((r) => r.values[0]!.decimal)).toEqual(['10.000', '10.001', '10.002']);
    expect((await s.getMeter(5))?.model).toBe('MULTICAL 603');
    expect(await s.getSetting('y')).toBe('x');
    expect(await s.outboxCount()).toBe(1);
    const series = await s.series(5, [60], T0 - 400 * 3_600_000, T0 + 400 * 3_600_000, 2);
    expect(series.lines.map((l) => l.values)).toEqual([[10, 10.002]]);
    expect(await s.saveLoggerEntries(5, [entry(1, '2026-01-01T00:00:00', '9.5')])).toEqual({ added: 1, skipped: 0 });
    s.close();
    stores.pop();
    const raw = await openDB(name);
    expect(raw.version).toBe(DB_VERSION);
    expect([...raw.transaction('loggerEntries').store.indexNames]).toEqual(['by-logger-time']);
    expect(raw.transaction('loggerEntries').store.keyPath).toEqual(['serial', 'logger', 'id']);
    raw.close();
  });
});
