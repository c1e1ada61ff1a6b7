import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  decodeLoggerConfig,
  decodeLoggerReply,
  decodeLoggerRequest,
  encodeLoggerConfig,
  encodeLoggerReply,
  fromHex,
  toHex,
  type LoggerReplySpec,
} from '../../src/kmp/index.ts';
import { REAL } from '../fixtures/logger-frames.ts';
import { errorOf } from './error-of.ts';

// The edges of the logger codec where a wrong decision means rows read as other entries: each
// refusal is checked for its kind and for the message, which is all a user sees of a bad reply.

/** The yearly reply's data (after the command id): header, one block of 1003 (nob 4), two rows. */
const yearData = () => decodeFrame(fromHex(REAL.yearByIdReply)).data.slice();

describe('decodeLoggerRequest says what is wrong with a request', () => {
  it.each([
    ['nothing', '', 'length', 'a logger request carries a sub-command and a type, not 0 byte(s)'],
    ['a sub-command alone', '06', 'length', 'a logger request carries a sub-command and a type, not 1 byte(s)'],
    ['sub-command 08', '08 02', 'unexpected', 'logger sub-command 0x08 is not 05, 06 or 07'],
    ['sub-command 0x4B', '4B 02', 'unexpected', 'logger sub-command 0x4b is not 05, 06 or 07'],
    ['logger type 10', '06 0A 00 00 00 02 00 02 01 03 EB', 'unexpected', 'logger type 10 is not 0 to 9'],
    ['configuration with a byte more', '05 02 00', 'length', 'a logger configuration request is 2 bytes, not 3'],
    ['06 cut in its id', '06 02 00 00 00', 'length', 'a logger entries request is cut off at 5 byte(s)'],
    [
      '06 cut before its register count',
      '06 02 00 00 00 02 00 02',
      'length',
      'a logger entries request is cut off at 8 byte(s)',
    ],
    [
      '07 cut before its register count',
      '07 02 FF FF 00 01',
      'length',
      'a logger entries request is cut off at 6 byte(s)',
    ],
    [
      '06 naming 2 registers but carrying one',
      '06 02 00 00 00 02 00 02 02 03 EB',
      'length',
      'a logger entries request naming 2 register(s) is 13 bytes, not 11',
    ],
    [
      '07 naming 3 registers but carrying 4',
      '07 02 FF FF 00 01 03 00 3C 00 44 03 EB 03 EA',
      'length',
      'a logger entries request naming 3 register(s) is 13 bytes, not 15',
    ],
    ['06 from id 0', '06 02 00 00 00 00 00 02 01 03 EB', 'unexpected', 'entry id 0 is not 1 to 4294967295'],
    [
      '07 for 0 entries',
      '07 02 FF FF 00 00 01 03 EB',
      'unexpected',
      'a logger request asks for 1 to 65535 entries, not 0',
    ],
  ])('%s → %s', (_n, hex, code, message) => {
    const e = errorOf(() => decodeLoggerRequest(fromHex(hex)));
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });

  it('takes a request of exactly its fixed part and register ids', () => {
    expect(decodeLoggerRequest(fromHex('06 09 FF FF FF FF FF FF 01 00 00'))).toEqual({
      sub: 6,
      logger: 9,
      fromId: 0xffff_ffff,
      count: 0xffff,
      registers: [0],
    });
    expect(decodeLoggerRequest(fromHex('07 00 00 00 00 01 02 03 EB 03 EA'))).toEqual({
      sub: 7,
      logger: 0,
      offset: 0,
      count: 1,
      registers: [1003, 1002],
    });
    expect(decodeLoggerRequest(fromHex('05 00'))).toEqual({ sub: 5, logger: 0 });
  });
});

describe('decodeLoggerReply at the edges of its header and row 0', () => {
  it('a single byte is a configuration reply in the wrong place, or a cut-off header', () => {
    const conf = errorOf(() => decodeLoggerReply(Uint8Array.of(5)));
    expect(conf.code).toBe('unexpected');
    expect(conf.message).toBe('a logger configuration reply (05) where entries (06 or 07) were expected');
    const one = errorOf(() => decodeLoggerReply(Uint8Array.of(6)));
    expect(one.code).toBe('length');
    expect(one.message).toBe('a logger reply header is 15 bytes; this reply has 1 byte(s) in all');
  });

  it('a header one byte short says so, not something about its rows', () => {
    const e = errorOf(() => decodeLoggerReply(yearData().subarray(0, 14)));
    expect(e.code).toBe('length');
    expect(e.message).toBe('a logger reply header is 15 bytes; this reply has 14 byte(s) in all');
  });

  it('says at which register row 0 is cut off', () => {
    const spec: LoggerReplySpec = {
      sub: 6,
      logger: 3,
      firstId: 5,
      lastIdInMeter: 5,
      info: 0,
      registers: [
        { id: 60, unitCode: 8, length: 4 },
        { id: 68, unitCode: 4, length: 4 },
      ],
      rows: [['1', '2']],
    };
    const data = encodeLoggerReply(spec);
    expect(data.length).toBe(15 + 9 + 9);
    expect(decodeLoggerReply(data).rows[0]!.values.map((v) => v.decimal)).toEqual(['1', '2']);
    // The second register's block header starts at byte 24 and needs 5 bytes.
    for (const cut of [24, 25, 28]) {
      const e = errorOf(() => decodeLoggerReply(data.subarray(0, cut)));
      expect(e.code).toBe('length');
      expect(e.message).toBe('a logger reply is cut off in row 0 at register 2 of 2');
    }
    // The first register's own block cut: register 1 of 2.
    expect(errorOf(() => decodeLoggerReply(data.subarray(0, 19))).message).toBe(
      'a logger reply is cut off in row 0 at register 1 of 2',
    );
    // A block header that ends exactly at the end is read: its value is what is missing.
    expect(errorOf(() => decodeLoggerReply(data.subarray(0, 29))).message).toBe(
      'a logger reply of 1 row(s) of 2 register(s) (8 value bytes a row) is 33 bytes, not 29',
    );
  });

  it('a block header ending exactly at the end of the reply is read, and its zero length refused', () => {
    const d = yearData().subarray(0, 20);
    const e = errorOf(() => decodeLoggerReply(d));
    expect(e.message).toBe('a logger reply of 2 row(s) of 1 register(s) (4 value bytes a row) is 28 bytes, not 20');
    d[18] = 0;
    const zero = errorOf(() => decodeLoggerReply(d));
    expect(zero.code).toBe('length');
    expect(zero.message).toBe('register 1003 has a zero-length value in a logger reply');
  });
});

describe('decodeLoggerConfig at its first byte', () => {
  it('a single byte is an entries reply in the wrong place, or a cut-off header', () => {
    const entries = errorOf(() => decodeLoggerConfig(Uint8Array.of(6)));
    expect(entries.code).toBe('unexpected');
    expect(entries.message).toBe('logger reply for sub-command 0x06 where a configuration (05) was expected');
    const one = errorOf(() => decodeLoggerConfig(Uint8Array.of(5)));
    expect(one.code).toBe('length');
    expect(one.message).toBe('a logger configuration header is 15 bytes; this reply has 1 byte(s) in all');
  });
});

describe('the virtual meter’s encoders refuse what a reply cannot carry', () => {
  const spec = (rows: string[][]): LoggerReplySpec => ({
    sub: 6,
    logger: 4,
    firstId: 10,
    lastIdInMeter: 10,
    info: 0,
    registers: [
      { id: 60, unitCode: 2, length: 4 },
      { id: 86, unitCode: 23, length: 2 },
    ],
    rows,
  });

  it('a row with a value fewer or more than there are registers', () => {
    for (const [rows, message] of [
      [[['1', '2'], ['3']], 'row 1 has 1 values for 2 registers'],
      [[['1', '2', '3']], 'row 0 has 3 values for 2 registers'],
      [
        [
          ['1', '2'],
          ['3', '4'],
          ['5', '6', '7'],
        ],
        'row 2 has 3 values for 2 registers',
      ],
    ] as const) {
      const e = errorOf(() => encodeLoggerReply(spec(rows.map((r) => [...r]))));
      expect(e.code).toBe('argument');
      expect(e.message).toBe(message);
    }
  });

  it('a later row whose value needs another exponent than row 0’s', () => {
    const e = errorOf(() =>
      encodeLoggerReply(
        spec([
          ['1', '20.5'],
          ['2', '21.5'],
          ['3', '22'],
        ]),
      ),
    );
    expect(e.code).toBe('argument');
    expect(e.message).toBe('row 2 register 86: "22" needs another exponent than row 0');
    const first = errorOf(() =>
      encodeLoggerReply(
        spec([
          ['1', '20.5'],
          ['2.5', '21.5'],
        ]),
      ),
    );
    expect(first.message).toBe('row 1 register 60: "2.5" needs another exponent than row 0');
  });

  it('rows written with row 0’s exponent are carried as values only and decode back', () => {
    const data = encodeLoggerReply(
      spec([
        ['1', '20.5'],
        ['2', '22.0'],
      ]),
    );
    expect(toHex(data.subarray(15))).toBe('00 3C 02 04 00 00 00 00 01 00 56 17 02 41 00 CD 00 00 00 02 00 DC');
    expect(decodeLoggerReply(data).rows.map((r) => r.values.map((v) => v.decimal))).toEqual([
      ['1', '20.5'],
      ['2', '22.0'],
    ]);
  });

  it('a configuration header that is not 10 bytes', () => {
    const config = { logger: 2, depth: 20, registers: [60], header: [1, 1, 1, 1, 0, 0, 1, 0, 1] };
    const e = errorOf(() => encodeLoggerConfig(config));
    expect(e.code).toBe('argument');
    expect(e.message).toBe('a logger configuration header is 10 bytes');
  });
});
