import { describe, expect, it } from 'vitest';
import {
  CID,
  KmpError,
  addMinutes,
  dateTimeDstDecimal,
  encodeDateTimeDst,
  formatDateTimeValue,
  isIsoLocalDateTime,
  isKnownUnit,
  loggerRowTime,
  timeRegistersFor,
  unitName,
  LOGGER_OFFSET_NEWEST,
  decodeFrame,
  decodeLoggerConfig,
  decodeLoggerReply,
  decodeLoggerRequest,
  decodeRegisters,
  encodeFrame,
  encodeLoggerConfig,
  encodeLoggerReply,
  encodeLoggerRequest,
  fromHex,
  loggerFlags,
  loggerRequestData,
  toHex,
  type LoggerRequest,
} from '../../src/kmp/index.ts';
import { REAL, YEAR_REGISTERS } from '../fixtures/logger-frames.ts';
import { errorOf } from './error-of.ts';

/** A reply's data as the client gets it: a response frame of CID 0xB8. */
function replyData(wire: string | Uint8Array): Uint8Array {
  const f = decodeFrame(typeof wire === 'string' ? fromHex(wire) : wire);
  if (f.direction !== 'response' || f.dst !== 0x3f || f.cid !== CID.Logger)
    throw new KmpError('unexpected', 'not a logger reply');
  return f.data;
}

function requestData(wire: string | Uint8Array): Uint8Array {
  const f = decodeFrame(typeof wire === 'string' ? fromHex(wire) : wire);
  if (f.direction !== 'request' || f.dst !== 0x3f || f.cid !== CID.Logger)
    throw new KmpError('unexpected', 'not a logger request');
  return f.data;
}

const noFlags = loggerFlags(0);

describe('the real frames of a MULTICAL 603, both ways', () => {
  const requests: Array<[string, string, LoggerRequest]> = [
    ['yearly logger configuration', REAL.configRequest, { sub: 5, logger: 2 }],
    [
      'minute logger 2 from the newest end, 1 entry of 1002',
      REAL.minuteFromEndRequest,
      { sub: 7, logger: 7, offset: LOGGER_OFFSET_NEWEST, count: 1, registers: [1002] },
    ],
    [
      'yearly logger from id 2, 2 entries of 1003 (the 06 is stuffed)',
      REAL.yearByIdRequest,
      { sub: 6, logger: 2, fromId: 2, count: 2, registers: [1003] },
    ],
  ];
  it.each(requests)('%s: encoded byte for byte and decoded back', (_name, wire, request) => {
    expect(toHex(encodeLoggerRequest(request))).toBe(wire);
    expect(decodeLoggerRequest(requestData(wire))).toEqual(request);
  });

  it('the yearly reply: ids 2 and 1, dates 260101 and 250101, oldest and newest included', () => {
    const reply = decodeLoggerReply(replyData(REAL.yearByIdReply));
    expect(reply).toEqual({
      sub: 6,
      logger: 2,
      count: 2,
      firstId: 2,
      lastIdInMeter: 2,
      info: 0x00c0,
      flags: { ...noFlags, oldestIncluded: true, newestIncluded: true },
      rows: [
        { id: 2, values: [{ id: 1003, unitCode: 48, unit: 'yy:mm:dd', value: 260101, decimal: '260101' }] },
        { id: 1, values: [{ id: 1003, unitCode: 48, unit: 'yy:mm:dd', value: 250101, decimal: '250101' }] },
      ],
    });
    const again = encodeLoggerReply({
      sub: 6,
      logger: 2,
      firstId: 2,
      lastIdInMeter: 2,
      info: 0xc0,
      registers: [{ id: 1003, unitCode: 48, length: 4 }],
      rows: [['260101'], ['250101']],
    });
    expect(toHex(encodeFrame(Uint8Array.of(0x3f, 0xb8, ...again), 'response'))).toBe(REAL.yearByIdReply);
  });

  it('the empty minute logger: info 0x0001 and one placeholder row of 1002 = 0', () => {
    const reply = decodeLoggerReply(replyData(REAL.minuteEmptyReply));
    expect(reply).toEqual({
      sub: 7,
      logger: 7,
      count: 1,
      firstId: 0,
      lastIdInMeter: 0,
      info: 1,
      flags: { ...noFlags, empty: true },
      rows: [{ id: 0, values: [{ id: 1002, unitCode: 47, unit: 'hh:mm:ss', value: 0, decimal: '0' }] }],
    });
    const again = encodeLoggerReply({
      sub: 7,
      logger: 7,
      firstId: 0,
      lastIdInMeter: 0,
      info: 1,
      registers: [{ id: 1002, unitCode: 47, length: 4 }],
      rows: [['0']],
    });
    expect(toHex(encodeFrame(Uint8Array.of(0x3f, 0xb8, ...again), 'response'))).toBe(REAL.minuteEmptyReply);
  });

  it('the yearly configuration: depth 20 and its 43 registers (stuffed 0x40 and 0x80 inside)', () => {
    const config = decodeLoggerConfig(replyData(REAL.yearConfigReply));
    expect(config).toEqual({ logger: 2, depth: 20, registers: YEAR_REGISTERS, header: [1, 1, 1, 1, 0, 0, 1, 0, 1, 0] });
    expect(toHex(encodeFrame(Uint8Array.of(0x3f, 0xb8, ...encodeLoggerConfig(config)), 'response'))).toBe(
      REAL.yearConfigReply,
    );
  });

  it.each(Object.entries(REAL))('every single-byte change of %s is rejected with a KmpError', (name, wire) => {
    const good = fromHex(wire);
    const decode = (w: Uint8Array) => {
      if (name.endsWith('Request')) return decodeLoggerRequest(requestData(w));
      if (name === 'yearConfigReply') return decodeLoggerConfig(replyData(w));
      return decodeLoggerReply(replyData(w));
    };
    expect(() => decode(good)).not.toThrow();
    for (let i = 0; i < good.length; i++)
      for (let x = 1; x < 256; x++) {
        const bad = good.slice();
        bad[i]! ^= x;
        expect(errorOf(() => decode(bad))).toBeInstanceOf(KmpError);
      }
  });
});

/** The yearly reply's data, to change one field at a time after the CRC. */
const YEAR_DATA = () => replyData(REAL.yearByIdReply).slice();

describe('decodeLoggerReply refuses a reply whose parts disagree', () => {
  const mutate = (at: number, value: number) => {
    const d = YEAR_DATA();
    d[at] = value;
    return d;
  };
  it.each([
    ['sub-command 05 where entries were expected', mutate(0, 5), 'unexpected', /configuration/],
    ['sub-command 08', mutate(0, 8), 'unexpected', /0x08/],
    ['sub-command 04', mutate(0, 4), 'unexpected', /0x04/],
    ['logger type 10', mutate(1, 10), 'unexpected', /type 10/],
    ['a row more than it carries', mutate(3, 3), 'length', /3 row\(s\).* 28/],
    ['a row fewer than it carries', mutate(3, 1), 'length', /1 row\(s\)/],
    ['0 rows but row bytes follow', mutate(3, 0), 'length', /0 rows has 13 byte/],
    ['two registers where row 0 holds one', mutate(4, 2), 'length', /cut off in row 0|is \d+ bytes/],
    ['nine registers', mutate(4, 9), 'unexpected', /9 registers/],
    ['rows without registers', mutate(4, 0), 'unexpected', /without any register/],
    ['a first id beyond the newest', mutate(8, 3), 'unexpected', /beyond the newest id 2/],
    ['rows below id 1', mutate(8, 1), 'unexpected', /below id 1/],
    ['a value length one short', mutate(18, 3), 'length', /is \d+ bytes, not 28/],
    ['a value length one long', mutate(18, 5), 'length', /is \d+ bytes, not 28/],
    ['a zero-length value', mutate(18, 0), 'length', /zero-length/],
  ])('%s → %s', (_name, data, code, message) => {
    const e = errorOf(() => decodeLoggerReply(data));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('a byte more or less at the end', () => {
    expect(errorOf(() => decodeLoggerReply(Uint8Array.of(...YEAR_DATA(), 0))).code).toBe('length');
    expect(errorOf(() => decodeLoggerReply(YEAR_DATA().subarray(0, 27))).code).toBe('length');
  });

  it('headers cut short', () => {
    for (let n = 0; n < 15; n++)
      expect(errorOf(() => decodeLoggerReply(YEAR_DATA().subarray(0, n))).code).toBe('length');
    expect(errorOf(() => decodeLoggerReply(new Uint8Array(0))).message).toMatch(/no data/);
  });

  it('a register named twice in row 0', () => {
    const data = encodeLoggerReply({
      sub: 6,
      logger: 3,
      firstId: 5,
      lastIdInMeter: 5,
      info: 0,
      registers: [
        { id: 60, unitCode: 8, length: 4 },
        { id: 61, unitCode: 8, length: 4 },
      ],
      rows: [['1', '2']],
    });
    data[25] = 60; // the second register's id (bytes 24–25, after header and the first block): 61 → 60
    expect(errorOf(() => decodeLoggerReply(data))).toMatchObject({
      code: 'unexpected',
      message: 'a logger reply names register 60 twice',
    });
  });

  it('accepts the edges: 0 rows, rows down to id 1, the empty placeholder at id 0, 8 registers, 65535 rows worth of header', () => {
    const empty = Uint8Array.of(6, 3, 0, 0, 3, 0, 0, 0, 9, 0, 0, 0, 9, 0, 2);
    expect(decodeLoggerReply(empty)).toMatchObject({ count: 0, rows: [], flags: { outOfRange: true } });
    const spec = (firstId: number, n: number, info = 0) =>
      encodeLoggerReply({
        sub: 6,
        logger: 4,
        firstId,
        lastIdInMeter: 0xffff_ffff,
        info,
        registers: Array.from({ length: 8 }, (_, r) => ({ id: 100 + r, unitCode: 0, length: 1 })),
        rows: Array.from({ length: n }, (_, i) => Array.from({ length: 8 }, (_, r) => String((i + r) % 256))),
      });
    expect(decodeLoggerReply(spec(3, 3)).rows.map((r) => r.id)).toEqual([3, 2, 1]);
    expect(errorOf(() => decodeLoggerReply(spec(2, 3))).message).toMatch(/below id 1/);
    expect(decodeLoggerReply(spec(0, 1, 1)).rows.map((r) => r.id)).toEqual([0]);
    expect(errorOf(() => decodeLoggerReply(spec(0, 2, 1))).message).toMatch(/below id 0/);
    expect(decodeLoggerReply(spec(0xffff_ffff, 2)).rows.map((r) => r.id)).toEqual([0xffff_ffff, 0xffff_fffe]);
    expect(decodeLoggerReply(spec(9, 2)).rows[1]!.values.map((v) => v.decimal)).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
    ]);
  });

  it('names the entry and register of a value that cannot be', () => {
    const data = encodeLoggerReply({
      sub: 6,
      logger: 2,
      firstId: 7,
      lastIdInMeter: 7,
      info: 0,
      registers: [{ id: 348, unitCode: 79, length: 7 }],
      rows: [[BigInt('0x3C1A04150C071E').toString()], [BigInt('0x001A0D150C071E').toString()]],
    });
    const e = errorOf(() => decodeLoggerReply(data));
    expect(e.code).toBe('range');
    expect(e.message).toMatch(/logger entry 6: register 348: date-time 26-13-21 12:07:30/);
  });
});

describe('decodeLoggerConfig', () => {
  const data = () => replyData(REAL.yearConfigReply).slice();
  it.each([
    ['an entries reply', (d: Uint8Array) => ((d[0] = 6), d), 'unexpected', /0x06 where a configuration/],
    ['logger type 10', (d: Uint8Array) => ((d[1] = 10), d), 'unexpected', /type 10/],
    [
      'a register more than it carries',
      (d: Uint8Array) => ((d[14] = 44), d),
      'length',
      /44 register.*103 bytes, not 101/,
    ],
    ['a register fewer', (d: Uint8Array) => ((d[14] = 42), d), 'length', /not 101/],
    ['a byte more', (d: Uint8Array) => Uint8Array.of(...d, 0), 'length', /not 102/],
    ['a register twice', (d: Uint8Array) => ((d[16] = 0x3f), d), 'unexpected', /twice/],
    ['cut inside the header', (d: Uint8Array) => d.subarray(0, 14), 'length', /header is 15 bytes/],
    ['nothing', () => new Uint8Array(0), 'length', /no data/],
  ])('refuses %s', (_n, change, code, message) => {
    const e = errorOf(() => decodeLoggerConfig(change(data())));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('accepts a logger of no registers and depth 65535', () => {
    const config = { logger: 9, depth: 0xffff, registers: [], header: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] };
    expect(decodeLoggerConfig(encodeLoggerConfig(config))).toEqual(config);
    expect(() => encodeLoggerConfig({ ...config, header: [1] })).toThrow(KmpError);
  });
});

describe('encodeLoggerRequest refuses what the protocol cannot carry', () => {
  const byId = (over: Partial<Extract<LoggerRequest, { sub: 6 }>>): LoggerRequest => ({
    sub: 6,
    logger: 3,
    fromId: 1,
    count: 1,
    registers: [60],
    ...over,
  });
  const fromEnd = (over: Partial<Extract<LoggerRequest, { sub: 7 }>>): LoggerRequest => ({
    sub: 7,
    logger: 3,
    offset: 0,
    count: 1,
    registers: [60],
    ...over,
  });
  it.each<[string, LoggerRequest, RegExp]>([
    ['no registers', byId({ registers: [] }), /1 to 8 register ids, not 0/],
    ['nine registers', fromEnd({ registers: [1, 2, 3, 4, 5, 6, 7, 8, 9] }), /not 9/],
    ['a register twice', byId({ registers: [60, 68, 60] }), /twice/],
    ['register −1', byId({ registers: [-1] }), /-1 is not 0..65535/],
    ['register 65536', byId({ registers: [65536] }), /65536/],
    ['register 1.5', byId({ registers: [1.5] }), /1.5/],
    ['entry id 0', byId({ fromId: 0 }), /entry id 0 is not 1 to 4294967295/],
    ['entry id 2^32', byId({ fromId: 2 ** 32 }), /4294967296/],
    ['entry id 1.5', byId({ fromId: 1.5 }), /1.5/],
    ['count 0', byId({ count: 0 }), /1 to 65535 entries, not 0/],
    ['count 65536', fromEnd({ count: 65536 }), /not 65536/],
    ['count 2.5', fromEnd({ count: 2.5 }), /not 2.5/],
    ['offset −1', fromEnd({ offset: -1 }), /offset -1/],
    ['offset 65536', fromEnd({ offset: 65536 }), /offset 65536/],
    ['logger −1', byId({ logger: -1 }), /type -1/],
    ['logger 10', { sub: 5, logger: 10 }, /type 10 is not one of 0 to 9/],
    ['logger 2.5', byId({ logger: 2.5 }), /2.5/],
    ['sub-command 08', { sub: 8, logger: 2 } as unknown as LoggerRequest, /only 05, 06 and 07/],
    ['sub-command 09', { sub: 9, logger: 2 } as unknown as LoggerRequest, /only 05, 06 and 07/],
  ])('%s', (_n, request, message) => {
    const e = errorOf(() => encodeLoggerRequest(request));
    expect(e.code).toBe('argument');
    expect(e.message).toMatch(message);
  });

  it('encodes the edges of every range exactly', () => {
    const regs = [0, 1, 0x1234, 0x3f, 0xfffe, 0xffff, 0x80, 0x0d];
    expect(toHex(loggerRequestData(byId({ logger: 9, fromId: 0xffff_ffff, count: 0xffff, registers: regs })))).toBe(
      '06 09 FF FF FF FF FF FF 08 00 00 00 01 12 34 00 3F FF FE FF FF 00 80 00 0D',
    );
    expect(toHex(loggerRequestData(byId({ logger: 0, fromId: 0x01020304, count: 0x0506, registers: [7] })))).toBe(
      '06 00 01 02 03 04 05 06 01 00 07',
    );
    expect(toHex(loggerRequestData(fromEnd({ offset: 0, count: 1 })))).toBe('07 03 00 00 00 01 01 00 3C');
    expect(toHex(loggerRequestData(fromEnd({ offset: 0xfffe, count: 0x0102 })))).toBe('07 03 FF FE 01 02 01 00 3C');
    expect(toHex(loggerRequestData({ sub: 5, logger: 0 }))).toBe('05 00');
    expect(toHex(encodeLoggerRequest({ sub: 5, logger: 9 }))).toBe(toHex(encodeFrame(Uint8Array.of(0x3f, 0xb8, 5, 9))));
  });
});

describe('decodeLoggerRequest (the virtual meter side)', () => {
  it.each([
    ['nothing', '', 'length'],
    ['a sub-command alone', '05', 'length'],
    ['configuration with a byte more', '05 02 00', 'length'],
    ['sub-command 08', '08 02', 'unexpected'],
    ['sub-command 09', '09 02 00 00', 'unexpected'],
    ['logger type 10', '05 0A', 'unexpected'],
    ['06 cut in its id', '06 02 00 00 00', 'length'],
    ['06 with a register more than it names', '06 02 00 00 00 02 00 02 01 03 EB 00 01', 'length'],
    ['06 from id 0', '06 02 00 00 00 00 00 02 01 03 EB', 'unexpected'],
    ['06 for 0 entries', '06 02 00 00 00 02 00 00 01 03 EB', 'unexpected'],
    ['07 with no registers', '07 02 FF FF 00 01 00', 'unexpected'],
    ['07 with nine registers', `07 02 FF FF 00 01 09 ${'00 01 '.repeat(9)}`, 'unexpected'],
    ['07 cut in its count', '07 02 FF FF 00', 'length'],
  ])('refuses %s → %s', (_n, hex, code) => {
    expect(errorOf(() => decodeLoggerRequest(fromHex(hex))).code).toBe(code);
  });
});

describe('register 348: date and time with daylight saving (unit 79)', () => {
  const block = (value: string, nob = 7, siex = 0) =>
    fromHex(`01 5C 4F ${nob.toString(16).padStart(2, '0')} ${siex.toString(16).padStart(2, '0')} ${value}`);

  it('carries the raw date-time as ISO local text and the DST minutes beside it', () => {
    const [v] = decodeRegisters(block('3C 1A 04 15 0C 07 1E'));
    expect(v).toMatchObject({ id: 348, unitCode: 79, dateTime: '2026-04-21T12:07:30', dstMinutes: 60 });
    expect(v!.decimal).toBe(BigInt('0x3C1A04150C071E').toString());
    const [w] = decodeRegisters(block('3C 10 06 1E 0E 30 37'));
    expect(w).toMatchObject({ dateTime: '2016-06-30T14:48:55', dstMinutes: 60 });
  });

  it.each([
    ['the first moment of 2000', '00 00 01 01 00 00 00', '2000-01-01T00:00:00', 0],
    ['a leap day', '00 18 02 1D 17 3B 3B', '2024-02-29T23:59:59', 0],
    ['24:00 at the year end (older meters)', '00 19 0C 1F 18 00 00', '2025-12-31T24:00:00', 0],
    ['the last moment of 2099, 120 minutes of DST', '78 63 0C 1F 17 3B 3B', '2099-12-31T23:59:59', 120],
  ])('accepts %s', (_n, hex, dateTime, dstMinutes) => {
    expect(decodeRegisters(block(hex))[0]).toMatchObject({ dateTime, dstMinutes });
  });

  it('seven zero bytes (an empty logger) carry no date-time', () => {
    const [v] = decodeRegisters(block('00 00 00 00 00 00 00'));
    expect(v!.dateTime).toBeUndefined();
    expect(v!.dstMinutes).toBeUndefined();
  });

  it.each([
    ['month 0', '00 1A 00 15 0C 07 1E', /not a calendar date/],
    ['month 13', '00 1A 0D 15 0C 07 1E', /not a calendar date/],
    ['day 0', '00 1A 04 00 0C 07 1E', /not a calendar date/],
    ['31 April', '00 1A 04 1F 0C 07 1E', /not a calendar date/],
    ['29 February 2025', '00 19 02 1D 0C 07 1E', /not a calendar date/],
    ['year 100', '00 64 01 01 00 00 00', /not a calendar date/],
    ['hour 25', '00 1A 04 15 19 00 00', /not a time of day/],
    ['24:01', '00 1A 04 15 18 01 00', /not a time of day/],
    ['24:00:01', '00 1A 04 15 18 00 01', /not a time of day/],
    ['minute 60', '00 1A 04 15 0C 3C 00', /not a time of day/],
    ['second 60', '00 1A 04 15 0C 00 3C', /not a time of day/],
    ['121 minutes of DST', '79 1A 04 15 0C 07 1E', /121 minutes/],
  ])('refuses %s with code range', (_n, hex, message) => {
    const e = errorOf(() => decodeRegisters(block(hex)));
    expect(e.code).toBe('range');
    expect(e.message).toMatch(/^register 348: /);
    expect(e.message).toMatch(message);
  });

  it('refuses another length or a sign and exponent', () => {
    expect(errorOf(() => decodeRegisters(block('3C 1A 04 15 0C 07', 6))).code).toBe('length');
    expect(errorOf(() => decodeRegisters(block('3C 1A 04 15 0C 07 1E 00', 8))).code).toBe('length');
    expect(errorOf(() => decodeRegisters(block('3C 1A 04 15 0C 07 1E', 7, 0x40))).message).toMatch(
      /exponent byte 0, not 64/,
    );
  });
});

describe('showing unit 79 and stamping logger rows', () => {
  const v348 = (hex: string) => decodeRegisters(fromHex(`01 5C 4F 07 00 ${hex}`))[0]!;

  it('names unit 79 and formats it as Kamstrup’s software shows it, saying which time it is', () => {
    expect(unitName(79)).toBe('date-time (DST)');
    expect(isKnownUnit(79)).toBe(true);
    expect(isKnownUnit(78)).toBe(false);
    expect(unitName(80)).toBe('unit 80');
    expect(formatDateTimeValue(79, v348('3C 1A 04 15 0C 07 1E').decimal)).toBe(
      '2026-04-21 13:07:30 (daylight saving time, +60 min)',
    );
    expect(formatDateTimeValue(79, v348('00 1A 01 01 00 00 00').decimal)).toBe('2026-01-01 00:00:00 (standard time)');
    expect(formatDateTimeValue(79, v348('3C 19 0C 1F 17 1E 00').decimal)).toBe(
      '2026-01-01 00:30:00 (daylight saving time, +60 min)',
    );
    expect(formatDateTimeValue(79, '0')).toBe('no time (empty logger)');
    expect(formatDateTimeValue(79, BigInt('0x001A0D150C071E').toString())).toBeUndefined();
    expect(formatDateTimeValue(79, (2n ** 56n).toString())).toBeUndefined();
    expect(formatDateTimeValue(79, (2n ** 56n - 1n).toString())).toBeUndefined();
    expect(formatDateTimeValue(79, '1.5')).toBeUndefined();
    // Units 47 and 48 as before.
    expect(formatDateTimeValue(47, '70730')).toBe('07:07:30');
    expect(formatDateTimeValue(48, '260421')).toBe('2026-04-21');
  });

  it('encodes a date-time for the virtual meter and refuses what is not one', () => {
    const value = { dateTime: '2026-04-21T12:07:30', dstMinutes: 60 };
    expect(toHex(encodeDateTimeDst(value))).toBe('3C 1A 04 15 0C 07 1E');
    expect(dateTimeDstDecimal(value)).toBe(BigInt('0x3C1A04150C071E').toString());
    expect(() => encodeDateTimeDst({ dateTime: '1999-12-31T00:00:00', dstMinutes: 0 })).toThrow(/2000 to 2099/);
    expect(() => encodeDateTimeDst({ dateTime: '2026-02-30T00:00:00', dstMinutes: 0 })).toThrow(/calendar date/);
    expect(() => encodeDateTimeDst({ ...value, dstMinutes: 121 })).toThrow(/0 to 120/);
    expect(() => encodeDateTimeDst({ ...value, dstMinutes: -1 })).toThrow(/0 to 120/);
    expect(() => encodeDateTimeDst({ ...value, dstMinutes: 0.5 })).toThrow(/0 to 120/);
    expect(addMinutes('2025-12-31T24:00:00', 0)).toBe('2026-01-01T00:00:00');
    expect(addMinutes('2026-03-31T23:30:00', 60)).toBe('2026-04-01T00:30:00');
  });

  it('stamps a row with 348 (DST added), else with 1003 and 1002, else not at all', () => {
    const date = { id: 1003, unitCode: 48, unit: 'yy:mm:dd', value: 260101, decimal: '260101' };
    const time = { id: 1002, unitCode: 47, unit: 'hh:mm:ss', value: 70730, decimal: '70730' };
    expect(loggerRowTime([v348('3C 1A 04 15 0C 07 1E'), date, time])).toBe('2026-04-21T13:07:30');
    expect(loggerRowTime([date, time])).toBe('2026-01-01T07:07:30');
    expect(loggerRowTime([date])).toBeUndefined();
    expect(loggerRowTime([v348('00 00 00 00 00 00 00')])).toBeUndefined();
    expect(loggerRowTime([{ ...date, decimal: '261301' }, time])).toBeUndefined();
    expect(loggerRowTime([{ ...date, decimal: '1.5' }, time])).toBeUndefined();
    expect(loggerRowTime([date, { ...time, unitCode: 48 }])).toBeUndefined();
    expect(timeRegistersFor([60, 348, 1003, 1002])).toEqual([348]);
    expect(timeRegistersFor([60, 1002, 1003])).toEqual([1003, 1002]);
    expect(timeRegistersFor([60, 1003])).toBeUndefined();
    expect(isIsoLocalDateTime('2024-02-29T24:00:00')).toBe(true);
    expect(isIsoLocalDateTime('2025-02-29T00:00:00')).toBe(false);
    expect(isIsoLocalDateTime('2025-01-01T24:00:01')).toBe(false);
    expect(isIsoLocalDateTime('2025-01-01 00:00:00')).toBe(false);
  });
});
