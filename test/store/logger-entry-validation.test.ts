/**
 * What a restore, and the app's own save, accepts of a logger entry (loggerEntryProblem in
 * src/store/validate.ts): values a meter can hold (src/kmp/plausibility.ts), a time in the years a
 * meter's date registers carry, a time its own 348 (or 1003 and 1002) agrees with, and only the
 * loggers that keep entries. Whatever the app downloads from the virtual meter must pass, so the
 * rules never refuse a backup the app itself wrote.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  LOGGER_TYPE,
  REG_DATE,
  REG_DATE_TIME_DST,
  REG_TIME,
  UNIT_DATE_YYMMDD,
  UNIT_TIME,
  decodeRegisters,
  encodeDateTimeDst,
  type RegisterValue,
} from '../../src/kmp/index.ts';
import type { MeterSession } from '../../src/link/index.ts';
import type { MeterModel } from '../../src/sim/index.ts';
import {
  buildExport,
  importExport,
  loggerEntryProblem,
  type KmpStore,
  type StoredLoggerEntry,
} from '../../src/store/index.ts';
import { connectedSession } from '../link/helpers.ts';
import { openStore, reading } from './helpers.ts';

const stores: KmpStore[] = [];
const sessions: MeterSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
  for (const s of stores.splice(0)) s.close();
});

async function store() {
  const s = await openStore();
  stores.push(s);
  return s;
}

const T0 = Date.UTC(2026, 0, 1, 12);
const SERIAL = 5;

/** One register block as a meter sends it: id, unit, length, siex 0, mantissa. */
const block = (id: number, unit: number, mantissa: readonly number[]): RegisterValue =>
  decodeRegisters(Uint8Array.of(id >> 8, id & 0xff, unit, mantissa.length, 0, ...mantissa))[0]!;
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** Register 348 holding `dateTime` in standard time and `dstMinutes` of daylight saving. */
const v348 = (dateTime: string, dstMinutes = 0) =>
  block(REG_DATE_TIME_DST, 79, [...encodeDateTimeDst({ dateTime, dstMinutes })]);
/** Registers 1003 (yymmdd) and 1002 (hhmmss), as a 601's logger module stamps a record. */
const dateAndTime = (yymmdd: number, hhmmss: number) => [
  block(REG_DATE, UNIT_DATE_YYMMDD, u32(yymmdd)),
  block(REG_TIME, UNIT_TIME, u32(hhmmss)),
];
const energy = (decimal: string): RegisterValue => ({
  id: 60,
  unitCode: 8,
  unit: 'GJ',
  value: Number(decimal),
  decimal,
});

const stored = (
  logger: number,
  id: number,
  time: string,
  values: RegisterValue[],
  serial = SERIAL,
): StoredLoggerEntry => ({ serial, logger, id, time, values, readAt: T0 });

/** Good entries, each stamped as the app stamps one: by 348 (winter, summer), by 1003 and 1002, by nothing. */
const GOOD: readonly StoredLoggerEntry[] = [
  stored(LOGGER_TYPE.month, 1, '2026-01-01T00:00:00', [v348('2026-01-01T00:00:00'), energy('9.5')]),
  stored(LOGGER_TYPE.hour, 2, '2026-07-01T12:00:00', [v348('2026-07-01T11:00:00', 60), energy('10.5')]),
  stored(LOGGER_TYPE.day, 3, '2026-03-01T00:00:00', [...dateAndTime(260301, 0), energy('11.5')]),
  stored(LOGGER_TYPE.info, 4, '2026-03-02T10:00:00', [energy('12.5')]),
];

/** Entries no meter and no download of this app produces, with the sentence that must name each. */
const BAD: ReadonlyArray<[string, StoredLoggerEntry, RegExp]> = [
  [
    'energy no meter can hold',
    stored(LOGGER_TYPE.month, 9, '2026-02-01T00:00:00', [v348('2026-02-01T00:00:00'), energy('200000000')]),
    /\[2\]\.values\[1\] is not a value a meter can hold \(Heat energy E1 reads 200000000 GJ, above 100000000 GJ: outside what an energy register can hold\)/,
  ],
  [
    'a time in 1970',
    stored(LOGGER_TYPE.month, 9, '1970-01-01T00:00:00', [energy('1')]),
    /\[2\]\.time the text "1970-01-01T00:00:00" is not between 2000-01-01 and 2099-12-31/,
  ],
  [
    'a time in 9999',
    stored(LOGGER_TYPE.month, 9, '9999-12-31T23:59:59', [energy('1')]),
    /\[2\]\.time the text "9999-12-31T23:59:59" is not between 2000-01-01 and 2099-12-31/,
  ],
  [
    'a time in 1970 beside a 348 of 2026',
    stored(LOGGER_TYPE.month, 9, '1970-01-01T00:00:00', [v348('2026-02-01T00:00:00'), energy('1')]),
    /\[2\]\.time the text "1970-01-01T00:00:00" is not between 2000-01-01 and 2099-12-31/,
  ],
  [
    'a time its register 348 contradicts (standard time where the meter shows summer time)',
    stored(LOGGER_TYPE.hour, 9, '2026-07-01T11:00:00', [v348('2026-07-01T11:00:00', 60), energy('1')]),
    /\[2\]\.time the text "2026-07-01T11:00:00" is not the time its register 348 holds \(2026-07-01T12:00:00\)/,
  ],
  [
    'a time its registers 1003 and 1002 contradict',
    stored(LOGGER_TYPE.day, 9, '2026-03-02T00:00:00', [...dateAndTime(260301, 0), energy('1')]),
    /\[2\]\.time the text "2026-03-02T00:00:00" is not the time its registers 1003 and 1002 hold \(2026-03-01T00:00:00\)/,
  ],
  [
    'logger type 0 (the configuration, which keeps no entries)',
    stored(0, 9, '2026-02-01T00:00:00', [energy('1')]),
    /\[2\]\.logger 0 is not a logger type whose entries are kept/,
  ],
  [
    'logger type 200',
    stored(200, 9, '2026-02-01T00:00:00', [energy('1')]),
    /\[2\]\.logger 200 is not a logger type whose entries are kept/,
  ],
  [
    'logger type 8 (a firmware log, never downloaded)',
    stored(LOGGER_TYPE.firmware1, 9, '2026-02-01T00:00:00', [energy('1')]),
    /\[2\]\.logger 8 is not a logger type whose entries are kept/,
  ],
];

/** A backup of one meter: three readings, the good entries with `bad` as entry 2. */
function backup(bad: StoredLoggerEntry): string {
  const entries = [GOOD[0]!, GOOD[1]!, bad, GOOD[2]!, GOOD[3]!];
  return JSON.stringify(
    buildExport(
      [{ serial: SERIAL }],
      [0, 1, 2].map((i) => reading(SERIAL, T0 + i * 60_000)),
      '0.1.0',
      entries,
    ),
  );
}

describe('a restore refuses a logger entry no meter would hold, and the whole file with it', () => {
  it('restores the good entries of such a file, each as it was', async () => {
    const s = await store();
    const text = JSON.stringify(buildExport([{ serial: SERIAL }], [reading(SERIAL, T0)], '0.1.0', [...GOOD]));
    expect(await importExport(s, text)).toMatchObject({ readings: 1, loggerEntries: GOOD.length });
    expect(await s.allLoggerEntries()).toEqual(expect.arrayContaining([...GOOD]));
  });

  it.each(BAD)('%s: named in a sentence, and nothing already here is lost or changed', async (_n, bad, message) => {
    const s = await store();
    await s.saveReading(reading(SERIAL, T0 - 60_000));
    await s.restoreLoggerEntries([GOOD[0]!]);
    const before = await s.allLoggerEntries();
    const err = await importExport(s, backup(bad)).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid' });
    expect((err as Error).message).toMatch(new RegExp(`loggerEntries${message.source}`));
    expect((err as Error).message).toMatch(/\.$/);
    // The file is refused whole, as any other bad record refuses it (src/store/import-json.ts).
    expect(await s.countReadings(SERIAL)).toBe(1);
    expect(await s.allLoggerEntries()).toEqual(before);
  });

  it.each(BAD)('%s: refused by restoreLoggerEntries itself, storing nothing', async (_n, bad, message) => {
    const s = await store();
    await expect(s.restoreLoggerEntries([GOOD[0]!, GOOD[1]!, bad])).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(new RegExp(`loggerEntries${message.source}`)),
    });
    expect(await s.allLoggerEntries()).toEqual([]);
  });

  it.each(BAD)('%s: refused when the app saves it as a download', async (_n, bad, message) => {
    const s = await store();
    const input = ({ logger, id, time, values }: StoredLoggerEntry) => ({ logger, id, time, values });
    await expect(s.saveLoggerEntries(SERIAL, [input(GOOD[0]!), input(GOOD[1]!), input(bad)])).rejects.toMatchObject({
      kind: 'invalid',
      message: expect.stringMatching(new RegExp(`entries${message.source}`)),
    });
    expect(await s.allLoggerEntries()).toEqual([]);
  });
});

describe('what the rules still accept', () => {
  it.each([
    ['the first second of 2000, stamped by nothing', stored(LOGGER_TYPE.year, 1, '2000-01-01T00:00:00', [energy('1')])],
    ['the last second of 2099, stamped by nothing', stored(LOGGER_TYPE.year, 1, '2099-12-31T23:59:59', [energy('1')])],
    [
      'a year end stamped 24:00:00 by 1003 and 1002',
      stored(LOGGER_TYPE.year, 1, '2099-12-31T24:00:00', [...dateAndTime(991231, 240000), energy('1')]),
    ],
    [
      // 348's raw fields are in 2099; its daylight saving carries the time the meter shows into 2100.
      'a 348 of the last night of 2099 with daylight saving (southern summer)',
      stored(LOGGER_TYPE.hour, 1, '2100-01-01T00:30:00', [v348('2099-12-31T23:30:00', 60), energy('1')]),
    ],
    [
      'a 348 of seven zero bytes (no time) beside 1003 and 1002',
      stored(LOGGER_TYPE.day, 1, '2026-03-01T00:00:00', [
        block(REG_DATE_TIME_DST, 79, [0, 0, 0, 0, 0, 0, 0]),
        ...dateAndTime(260301, 0),
        energy('1'),
      ]),
    ],
    ...[
      LOGGER_TYPE.info,
      LOGGER_TYPE.year,
      LOGGER_TYPE.month,
      LOGGER_TYPE.day,
      LOGGER_TYPE.hour,
      LOGGER_TYPE.minute1,
      LOGGER_TYPE.minute2,
    ].map((logger): [string, StoredLoggerEntry] => [
      `logger type ${logger}`,
      stored(logger, 1, '2026-01-01T00:00:00', [v348('2026-01-01T00:00:00'), energy('1')]),
    ]),
  ])('%s', (_n, entry) => {
    expect(loggerEntryProblem(entry, T0, 'loggerEntries[0]')).toBeUndefined();
  });
});

describe('every entry the app downloads from the virtual meter passes the rules a restore applies', () => {
  const NOT_TIME = (id: number) => id !== REG_DATE_TIME_DST && id !== REG_DATE && id !== REG_TIME;
  const models: MeterModel[] = ['603', '403', '601', '801'];
  // Winter and summer: 348's daylight-saving minutes are part of the time the app stores.
  const nows = [Date.parse('2026-01-15T10:17:00Z'), Date.parse('2026-07-15T10:17:00Z')];

  it.each(models.flatMap((model) => nows.map((now) => [model, new Date(now).toISOString(), now] as const)))(
    'a %s at %s: every logger, every register it records, stored, exported and restored',
    async (model, _at, now) => {
      const { meter, session } = await connectedSession(sessions, { model, now: () => now });
      const { serial } = await session.identify();
      const a = await store();
      let downloaded = 0;
      for (const spec of meter.loggers) {
        const registers = spec.registers.filter(NOT_TIME);
        // Six a request: with 1003 and 1002 for the time, the protocol's eight.
        for (let i = 0; i < registers.length; i += 6) {
          const result = await session.readLogger(spec.type, registers.slice(i, i + 6));
          for (const [k, e] of result.entries.entries())
            expect(loggerEntryProblem({ ...e, serial, readAt: now }, now, `logger ${spec.type} entries[${k}]`)).toBe(
              undefined,
            );
          await a.saveLoggerEntries(serial, result.entries, now);
          downloaded += result.entries.length;
        }
      }
      expect(downloaded).toBeGreaterThan(100);
      const all = await a.allLoggerEntries();
      const b = await store();
      const restored = await importExport(b, JSON.stringify(buildExport(await a.listMeters(), [], '0.1.0', all)));
      expect(restored).toMatchObject({ loggerEntries: all.length, loggerEntriesSkipped: 0 });
    },
  );
});
