/**
 * What logger entries become as Home Assistant statistics (src/ha/statistic-plan.ts), from entries
 * written by hand the way other meters and other days could write them: a meter replaced, a unit
 * changed, a unit HA has no name for, daylight saving, entries stamped only with 1003 and 1002.
 */
import { describe, expect, it } from 'vitest';
import { compareDecimals, shiftDecimal, subtractDecimals } from '../../src/kmp/exact-decimal.ts';
import { LOGGER_TYPE, type RegisterValue } from '../../src/kmp/index.ts';
import { fill } from '../../src/kmp/words.ts';
import { entryInstant, planStatistics, rowStart, type EntryLike } from '../../src/ha/statistic-plan.ts';
import { standardOffsetMinutes, wallClockInstant, zoneOffsetMinutes } from '../../src/ha/zone-time.ts';

const ZONE = 'Europe/Copenhagen';

function v(id: number, decimal: string, unit: string): RegisterValue {
  return { id, unitCode: 0, unit, value: Number(decimal), decimal };
}

/** An entry stamped with 348: raw standard time plus the DST minutes, as a 603 writes it. */
function entry(logger: number, id: number, raw: string, dst: number, values: RegisterValue[]): EntryLike {
  const wall = new Date(Date.parse(`${raw}Z`) + dst * 60_000).toISOString().slice(0, 19);
  return {
    logger,
    id,
    time: wall,
    values: [{ id: 348, unitCode: 79, unit: '', value: 0, decimal: '0', dateTime: raw, dstMinutes: dst }, ...values],
  };
}

const day = (id: number, date: string, gj: string) =>
  entry(LOGGER_TYPE.day, id, `${date}T00:00:00`, 0, [v(60, gj, 'GJ')]);

describe('exact decimals', () => {
  it('subtracts, compares and shifts without a float in between', () => {
    expect(subtractDecimals('1234.600', '1234.567')).toBe('0.033');
    expect(subtractDecimals('0.1', '0.3')).toBe('-0.2');
    expect(compareDecimals('10.01', '10.009')).toBe(1);
    expect(shiftDecimal('12.5', 1)).toBe('125.0');
    expect(shiftDecimal('15', -3)).toBe('0.015');
  });
});

describe('time zones', () => {
  it('knows Copenhagen’s offsets, summer and winter', () => {
    expect(zoneOffsetMinutes(Date.parse('2026-01-15T12:00:00Z'), ZONE)).toBe(60);
    expect(zoneOffsetMinutes(Date.parse('2026-07-15T12:00:00Z'), ZONE)).toBe(120);
    expect(standardOffsetMinutes(2026, ZONE)).toBe(60);
    expect(standardOffsetMinutes(2026, 'Australia/Sydney')).toBe(600);
  });

  it('reads a wall-clock time in the autumn’s doubled hour as the first, and the spring’s missing hour as an hour later', () => {
    expect(new Date(wallClockInstant('2026-10-25T02:30:00', ZONE)).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(new Date(wallClockInstant('2026-03-29T02:30:00', ZONE)).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(new Date(wallClockInstant('2026-01-01T00:00:00', ZONE)).toISOString()).toBe('2025-12-31T23:00:00.000Z');
  });

  it('tells the two 02:30s of an autumn night apart by register 348’s DST minutes', () => {
    const firstOne = entry(LOGGER_TYPE.hour, 1, '2026-10-25T01:30:00', 60, []);
    const second = entry(LOGGER_TYPE.hour, 2, '2026-10-25T02:30:00', 0, []);
    expect(firstOne.time).toBe(second.time);
    expect(entryInstant(second, ZONE) - entryInstant(firstOne, ZONE)).toBe(3_600_000);
  });

  it('reads an entry stamped only with 1003 and 1002 as wall-clock time', () => {
    const old: EntryLike = { logger: LOGGER_TYPE.day, id: 1, time: '2026-07-01T00:00:00', values: [v(60, '1', 'GJ')] };
    expect(new Date(entryInstant(old, ZONE)).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('stamps a row the hour before the entry, on the hour even where the zone is off by half an hour', () => {
    expect(new Date(rowStart(Date.parse('2026-01-01T10:00:20Z'))).toISOString()).toBe('2026-01-01T09:00:00.000Z');
    const india = wallClockInstant('2026-01-01T00:00:00', 'Asia/Kolkata');
    expect(rowStart(india) % 3_600_000).toBe(0);
  });
});

describe('planStatistics', () => {
  it('leaves out a counter that goes down, saying where and why', () => {
    const p = planStatistics({
      serial: 5,
      model: '403',
      timeZone: ZONE,
      entries: [day(1, '2026-01-01', '100.0'), day(2, '2026-01-02', '101.5'), day(3, '2026-01-03', '0.2')],
    });
    expect(p.statistics).toEqual([]);
    expect(p.problems.map((w) => fill(w))).toEqual([
      expect.stringMatching(
        /^Heat energy E1 of MULTICAL 403 5: the counter goes down from 101\.5 GJ \(2026-01-02 00:00:00\) to 0\.2 GJ \(2026-01-03 00:00:00\)\. Was the meter replaced or reset\?.*Nothing of it is sent\.$/,
      ),
    ]);
  });

  it('leaves out a counter whose unit changes, and keeps the others', () => {
    const entries = [
      entry(LOGGER_TYPE.day, 1, '2026-01-01T00:00:00', 0, [v(60, '100.0', 'GJ'), v(68, '10.00', 'm³')]),
      entry(LOGGER_TYPE.day, 2, '2026-01-02T00:00:00', 0, [v(60, '27.8', 'MWh'), v(68, '10.50', 'm³')]),
    ];
    const p = planStatistics({ serial: 5, timeZone: ZONE, entries });
    expect(p.problems.map((w) => fill(w))).toEqual([
      expect.stringMatching(/unit changes from GJ \(2026-01-01 00:00:00\) to MWh/),
    ]);
    expect(p.statistics.map((s) => s.id)).toEqual(['kmp_web:volume_5']);
  });

  it('converts a unit HA has no name for, exactly, and says so', () => {
    const entries = [1, 2].map((i) =>
      entry(LOGGER_TYPE.day, i, `2026-01-0${i}T00:00:00`, 0, [v(68, `12.3${i}`, 'm³ ×10')]),
    );
    const [vol] = planStatistics({ serial: 5, timeZone: ZONE, entries }).statistics;
    expect(vol).toMatchObject({ unit: 'm³', meterUnit: 'm³ ×10' });
    expect(fill(vol!.unitNote!)).toMatch(/tens of m³/);
    expect(vol!.rows.map((r) => r.state)).toEqual(['123.10', '123.20']);
  });

  it('refuses a unit HA has no energy or volume unit for', () => {
    const entries = [entry(LOGGER_TYPE.day, 1, '2026-01-01T00:00:00', 0, [v(60, '1', 'ton')])];
    expect(planStatistics({ serial: 5, timeZone: ZONE, entries }).problems.map((w) => fill(w))).toEqual([
      expect.stringMatching(/in ton, which Home Assistant has no energy or volume unit for/),
    ]);
  });

  it('uses the monthly logger only before the daily one begins, never inside it', () => {
    const month = (id: number, date: string, gj: string) =>
      entry(LOGGER_TYPE.month, id, `${date}T00:00:00`, 0, [v(60, gj, 'GJ')]);
    const entries = [
      month(1, '2025-11-01', '90.0'),
      month(2, '2025-12-01', '95.0'),
      month(3, '2026-01-01', '100.0'),
      month(4, '2026-02-01', '110.0'),
      day(1, '2026-01-01', '100.0'),
      day(2, '2026-01-02', '100.4'),
      day(3, '2026-02-05', '111.0'),
    ];
    const [heat] = planStatistics({ serial: 5, timeZone: ZONE, entries }).statistics;
    expect(heat!.rows.map((r) => [r.logger, r.time.slice(0, 10)])).toEqual([
      [LOGGER_TYPE.month, '2025-11-01'],
      [LOGGER_TYPE.month, '2025-12-01'],
      [LOGGER_TYPE.day, '2026-01-01'],
      [LOGGER_TYPE.day, '2026-01-02'],
      [LOGGER_TYPE.day, '2026-02-05'],
    ]);
    expect(heat!.sources.map((s) => [typeof s.name === 'string' ? s.name : fill(s.name), s.rows])).toEqual([
      ['daily', 3],
      ['monthly', 2],
    ]);
  });

  it('sends cooling energy E3 where the entries hold it', () => {
    const entries = [1, 2].map((i) =>
      entry(LOGGER_TYPE.day, i, `2026-01-0${i}T00:00:00`, 0, [v(60, `${i}.0`, 'MWh'), v(63, `0.${i}`, 'MWh')]),
    );
    const p = planStatistics({ serial: 77, timeZone: ZONE, entries });
    expect(p.statistics.map((s) => [s.id, s.unit])).toEqual([
      ['kmp_web:heat_energy_77', 'MWh'],
      ['kmp_web:cooling_energy_77', 'MWh'],
    ]);
  });
});
