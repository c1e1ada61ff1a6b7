import { describe, expect, it } from 'vitest';
import {
  dateTimeDstBytes,
  decodeDateTimeDst,
  decodeRegisters,
  encodeDateTimeDst,
  fromHex,
  isIsoLocalDateTime,
  loggerRowTime,
  toHex,
  type RegisterValue,
} from '../../src/kmp/index.ts';
import { errorOf } from './error-of.ts';

// Unit 79 and the time a logger row is stamped with: the edges of months, days, hours and of
// daylight saving, where a wrong stamp files an entry under another period.

describe('decodeDateTimeDst and encodeDateTimeDst', () => {
  it('refuses another length than seven bytes, saying how many it got', () => {
    for (const n of [0, 6, 8]) {
      const e = errorOf(() => decodeDateTimeDst(new Uint8Array(n)));
      expect(e.code).toBe('length');
      expect(e.message).toBe(`a date-time with daylight saving (unit 79) has 7 bytes, not ${n}`);
    }
  });

  it('encodes the edges of the range it accepts', () => {
    expect(toHex(encodeDateTimeDst({ dateTime: '2000-01-01T00:00:00', dstMinutes: 0 }))).toBe('00 00 01 01 00 00 00');
    expect(toHex(encodeDateTimeDst({ dateTime: '2099-12-31T23:59:59', dstMinutes: 120 }))).toBe('78 63 0C 1F 17 3B 3B');
    expect(toHex(encodeDateTimeDst({ dateTime: '2025-12-31T24:00:00', dstMinutes: 0 }))).toBe('00 19 0C 1F 18 00 00');
    expect(toHex(encodeDateTimeDst({ dateTime: '2024-02-29T12:00:00', dstMinutes: 60 }))).toBe('3C 18 02 1D 0C 00 00');
  });

  it.each([
    ['a fifth digit of year', '12026-04-21T12:07:30'],
    ['something after the seconds', '2026-04-21T12:07:30Z'],
    ['a space for the T', '2026-04-21 12:07:30'],
    ['a year before 2000', '1999-12-31T23:59:59'],
  ])('refuses %s as not a date-time', (_n, dateTime) => {
    const e = errorOf(() => encodeDateTimeDst({ dateTime, dstMinutes: 0 }));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(`"${dateTime}" is not a date-time from 2000 to 2099`);
  });

  it.each([121, 255, -1, 0.5, Number.NaN])('refuses %s minutes of daylight saving', (dstMinutes) => {
    const e = errorOf(() => encodeDateTimeDst({ dateTime: '2026-04-21T12:07:30', dstMinutes }));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(`${dstMinutes} is not 0 to 120 minutes of daylight saving`);
  });

  it.each([
    ['30 February', '2026-02-30T00:00:00', 'date-time 26-02-30 00:00:00 (unit 79) is not a calendar date'],
    [
      '29 February of a common year',
      '2025-02-29T00:00:00',
      'date-time 25-02-29 00:00:00 (unit 79) is not a calendar date',
    ],
    ['month 13', '2026-13-01T00:00:00', 'date-time 26-13-01 00:00:00 (unit 79) is not a calendar date'],
    ['24:00:01', '2026-04-21T24:00:01', 'date-time 26-04-21 24:00:01 (unit 79) is not a time of day'],
  ])('refuses %s as the caller’s mistake, not a damaged reply', (_n, dateTime, message) => {
    const e = errorOf(() => encodeDateTimeDst({ dateTime, dstMinutes: 0 }));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(message);
  });

  it('takes 29 February only in leap years, 2000 included', () => {
    for (const [yy, leap] of [
      [0, true],
      [4, true],
      [24, true],
      [96, true],
      [1, false],
      [25, false],
      [99, false],
    ] as const) {
      const bytes = Uint8Array.of(0, yy, 2, 29, 0, 0, 0);
      if (leap) expect(decodeDateTimeDst(bytes)?.dateTime).toBe(`20${String(yy).padStart(2, '0')}-02-29T00:00:00`);
      else expect(errorOf(() => decodeDateTimeDst(bytes)).code).toBe('range');
    }
  });
});

describe('register 348 in a reply', () => {
  it('refuses a sign and exponent byte as a value out of range, naming the register', () => {
    const e = errorOf(() => decodeRegisters(fromHex('01 5C 4F 07 40 3C 1A 04 15 0C 07 1E')));
    expect(e.code).toBe('range');
    expect(e.message).toBe('register 348: a date-time (unit 79) has sign and exponent byte 0, not 64');
  });
});

describe('dateTimeDstBytes: the seven bytes of a stored decimal', () => {
  it('gives the bytes of any whole number below 2^56, most significant first', () => {
    expect(toHex(dateTimeDstBytes('0')!)).toBe('00 00 00 00 00 00 00');
    expect(toHex(dateTimeDstBytes(BigInt('0x3C1A04150C071E').toString())!)).toBe('3C 1A 04 15 0C 07 1E');
    expect(toHex(dateTimeDstBytes((2n ** 56n - 1n).toString())!)).toBe('FF FF FF FF FF FF FF');
    expect(dateTimeDstBytes((2n ** 56n).toString())).toBeUndefined();
  });

  it.each(['', '-1', '1.5', '12 ', ' 12', '0x10', '1e3'])('%j is not one', (decimal) => {
    expect(dateTimeDstBytes(decimal)).toBeUndefined();
  });
});

describe('isIsoLocalDateTime', () => {
  it.each([
    '2025-01-01T00:00:00',
    '2025-12-31T23:59:59',
    '2025-04-30T12:00:00',
    '2024-02-29T24:00:00',
    '2025-12-31T24:00:00',
  ])('takes %s', (text) => {
    expect(isIsoLocalDateTime(text)).toBe(true);
  });

  it.each([
    ['month 0', '2025-00-10T00:00:00'],
    ['month 13', '2025-13-01T00:00:00'],
    ['day 0', '2025-01-00T00:00:00'],
    ['31 April', '2025-04-31T00:00:00'],
    ['minute 60', '2025-01-01T00:60:00'],
    ['second 60', '2025-01-01T00:00:60'],
    ['hour 25', '2025-01-01T25:00:00'],
    ['24:01', '2025-01-01T24:01:00'],
    ['24:00:01', '2025-01-01T24:00:01'],
    ['a one-digit month', '2025-1-01T00:00:00'],
    ['a five-digit year', '02025-01-01T00:00:00'],
    ['a zone', '2025-01-01T00:00:00Z'],
    ['a space for the T', '2025-01-01 00:00:00'],
  ])('refuses %s', (_n, text) => {
    expect(isIsoLocalDateTime(text)).toBe(false);
  });
});

describe('loggerRowTime takes its time from the time registers only', () => {
  const date = (decimal: string, unitCode = 48): RegisterValue => ({
    id: 1003,
    unitCode,
    unit: 'yy:mm:dd',
    value: Number(decimal),
    decimal,
  });
  const time = (decimal: string): RegisterValue => ({
    id: 1002,
    unitCode: 47,
    unit: 'hh:mm:ss',
    value: Number(decimal),
    decimal,
  });
  const unit79 = (id: number, hex: string) =>
    decodeRegisters(fromHex(`${id.toString(16).padStart(4, '0')} 4F 07 00 ${hex}`))[0]!;

  it('adds the DST minutes of 348 across the end of a day, a month and a year', () => {
    expect(loggerRowTime([unit79(348, '3C 1A 03 1F 17 30 00')])).toBe('2026-04-01T00:48:00');
    expect(loggerRowTime([unit79(348, '3C 19 0C 1F 17 00 00')])).toBe('2026-01-01T00:00:00');
    expect(loggerRowTime([unit79(348, '3C 18 02 1C 17 3B 3B')])).toBe('2024-02-29T00:59:59');
    expect(loggerRowTime([unit79(348, '00 18 02 1C 17 3B 3B')])).toBe('2024-02-28T23:59:59');
    expect(loggerRowTime([unit79(348, '78 19 0A 1A 01 00 00')])).toBe('2025-10-26T03:00:00');
  });

  it('ignores a date-time of another register, even in unit 79', () => {
    expect(loggerRowTime([unit79(349, '3C 1A 04 15 0C 07 1E'), date('260101'), time('70730')])).toBe(
      '2026-01-01T07:07:30',
    );
    expect(loggerRowTime([unit79(349, '3C 1A 04 15 0C 07 1E')])).toBeUndefined();
  });

  it('takes 1003, not the yearly logger’s other dates (123: date of max. flow) recorded before it', () => {
    const maxFlowDate: RegisterValue = { id: 123, unitCode: 48, unit: 'yy:mm:dd', value: 250714, decimal: '250714' };
    expect(loggerRowTime([maxFlowDate, date('260101'), time('0')])).toBe('2026-01-01T00:00:00');
    expect(loggerRowTime([time('240000'), date('251231')])).toBe('2025-12-31T24:00:00');
  });

  it('takes 1002, not a time of day of another register recorded before it', () => {
    const otherTime: RegisterValue = { id: 2000, unitCode: 47, unit: 'hh:mm:ss', value: 120000, decimal: '120000' };
    expect(loggerRowTime([otherTime, date('260101'), time('70730')])).toBe('2026-01-01T07:07:30');
  });

  it('takes 1003 only in yy:mm:dd and 1002 only in hh:mm:ss', () => {
    expect(loggerRowTime([date('101', 50), time('70730')])).toBeUndefined();
    expect(loggerRowTime([date('20260101', 49), time('70730')])).toBeUndefined();
    expect(loggerRowTime([date('260101'), { ...time('70730'), unitCode: 48 }])).toBeUndefined();
  });

  it('reads leading zeros the meter does not send', () => {
    expect(loggerRowTime([date('50101'), time('0')])).toBe('2005-01-01T00:00:00');
    expect(loggerRowTime([date('101'), time('5')])).toBe('2000-01-01T00:00:05');
  });

  it('refuses what is not a date and a time of day', () => {
    expect(loggerRowTime([date('250229'), time('0')])).toBeUndefined();
    expect(loggerRowTime([date('260101'), time('240001')])).toBeUndefined();
    expect(loggerRowTime([date('260101'), time('1000000')])).toBeUndefined();
    expect(loggerRowTime([date('0'), time('0')])).toBeUndefined();
    expect(loggerRowTime([time('0')])).toBeUndefined();
    expect(loggerRowTime([])).toBeUndefined();
  });
});
