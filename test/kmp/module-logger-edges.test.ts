/**
 * Every check of the 601/801 logger codec (src/kmp/module-logger.ts) at its edge, with the kind
 * and the words of its KmpError: what mutation testing showed the example frames leave open.
 */
import { describe, expect, it } from 'vitest';
import { CID, KmpError, fromHex } from '../../src/kmp/index.ts';
import {
  decodeLogTime,
  decodeModuleLogReply,
  decodeModuleLogRequest,
  encodeLogTime,
  encodeModuleLogReply,
  encodeModuleLogRequest,
  moduleLogReplyLength,
  recordsWithin,
  type ModuleLogRequest,
} from '../../src/kmp/module-logger.ts';

function failure(f: () => unknown): KmpError {
  try {
    f();
  } catch (e) {
    if (e instanceof KmpError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

const t = (...b: number[]) => Uint8Array.of(...b, 0, 0);

describe('time stamps at their edges', () => {
  it.each([
    [t(99, 12, 31, 23, 59, 59), '2099-12-31T23:59:59'],
    [t(0, 1, 1, 0, 0, 0), '2000-01-01T00:00:00'],
    [t(24, 2, 29, 12, 0, 0), '2024-02-29T12:00:00'],
    [t(7, 5, 31, 0, 0, 0), '2007-05-31T00:00:00'],
  ])('%s is %s', (bytes, text) => {
    expect(decodeLogTime(bytes)).toBe(text);
    expect(encodeLogTime(text)).toEqual(bytes);
  });

  it.each([
    ['year 100', t(100, 1, 1, 0, 0, 0)],
    ['month 0', t(7, 0, 1, 0, 0, 0)],
    ['month 13', t(7, 13, 1, 0, 0, 0)],
    ['day 0', t(7, 5, 0, 0, 0, 0)],
    ['31 April', t(7, 4, 31, 0, 0, 0)],
    ['29 February 2023', t(23, 2, 29, 0, 0, 0)],
    ['hour 24', t(7, 5, 1, 24, 0, 0)],
    ['minute 60', t(7, 5, 1, 0, 60, 0)],
    ['second 60', t(7, 5, 1, 0, 0, 60)],
  ])('%s is refused as not a date and time', (_name, bytes) => {
    const e = failure(() => decodeLogTime(bytes));
    expect(e.code).toBe('range');
    expect(e.message).toBe(
      `logger time ${Array.from(bytes.subarray(0, 6), (b) => String(b).padStart(2, '0')).join(' ')} is not a date and time`,
    );
  });

  it('has 8 bytes, and text only from 2000 to 2099 in full', () => {
    expect(failure(() => decodeLogTime(new Uint8Array(7)))).toMatchObject({
      code: 'length',
      message: 'a logger time stamp has 8 bytes, not 7',
    });
    for (const text of ['x2007-05-17T10:30:00', '2007-05-17T10:30:00x', '1999-05-17T10:30:00', '2007-05-17 10:30:00'])
      expect(failure(() => encodeLogTime(text))).toMatchObject({
        code: 'argument',
        message: `"${text}" is not a date-time from 2000 to 2099`,
      });
    expect(failure(() => encodeLogTime('2007-02-30T00:00:00')).code).toBe('range');
  });
});

describe('requests at their edges', () => {
  const ok: ModuleLogRequest = {
    cid: CID.GetLogIdPresent,
    log: 255,
    registers: [0, 0xffff],
    records: 255,
    maxLength: 255,
    fromId: 0xffff,
  };

  it('takes every byte and id at its limit', () => {
    expect(decodeModuleLogRequest(encodeModuleLogRequest(ok))).toEqual(ok);
    const eight = { ...ok, registers: [1, 2, 3, 4, 5, 6, 7, 8] };
    expect(decodeModuleLogRequest(encodeModuleLogRequest(eight))).toEqual(eight);
    const past = {
      cid: CID.GetLogTimePast,
      log: 0,
      registers: [60],
      records: 1,
      maxLength: 1,
      time: '2000-01-01T00:00:00',
      offset: 0xffff,
    } as const;
    expect(decodeModuleLogRequest(encodeModuleLogRequest(past))).toEqual(past);
  });

  it.each([
    [{ ...ok, log: 256 }, 'log id 256 is not 0 to 255'],
    [{ ...ok, log: -1 }, 'log id -1 is not 0 to 255'],
    [{ ...ok, log: 1.5 }, 'log id 1.5 is not 0 to 255'],
    [{ ...ok, registers: [] }, 'a logger request names 1 to 8 registers, not 0'],
    [{ ...ok, registers: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, 'a logger request names 1 to 8 registers, not 9'],
    [{ ...ok, registers: [0x10000] }, 'register id 65536 is not 0 to 65535'],
    [{ ...ok, registers: [-1] }, 'register id -1 is not 0 to 65535'],
    [{ ...ok, records: 0 }, 'record count 0 is not 1 to 255'],
    [{ ...ok, records: 256 }, 'record count 256 is not 1 to 255'],
    [{ ...ok, maxLength: 0 }, 'MaxL 0 is not 1 to 255'],
    [{ ...ok, fromId: 0x10000 }, 'record id 65536 is not 0 to 65535'],
    [{ ...ok, fromId: -1 }, 'record id -1 is not 0 to 65535'],
    [
      { ...ok, cid: CID.GetLogTimePast, time: '2000-01-01T00:00:00', offset: 0x10000 },
      'record offset 65536 is not 0 to 65535',
    ],
    [{ ...ok, cid: 0x10 }, '0x10 is not a logger readout command'],
  ])('refuses %j', (request, message) => {
    expect(failure(() => encodeModuleLogRequest(request as ModuleLogRequest))).toMatchObject({
      code: 'argument',
      message,
    });
  });

  it.each([
    ['an empty request', '', 'unexpected', '0x0 is not a logger readout command'],
    ['GetRegister', '10 01 00 3c', 'unexpected', '0x10 is not a logger readout command'],
    ['no register', 'a2 01 00 05 80 00 01', 'length', 'a 0xa2 request of 7 bytes does not fit 0 register(s)'],
    [
      'nine registers',
      'a1 01 09 00 01 00 02 00 03 00 04 00 05 00 06 00 07 00 08 00 09 05 80',
      'length',
      'a 0xa1 request of 23 bytes does not fit 9 register(s)',
    ],
    ['a byte short', 'a2 01 01 00 3c 05 80 00', 'length', 'a 0xa2 request of 8 bytes does not fit 1 register(s)'],
    ['a byte too many', 'a1 01 01 00 3c 05 80 00', 'length', 'a 0xa1 request of 8 bytes does not fit 1 register(s)'],
  ])('decoding refuses %s', (_name, hex, code, message) => {
    expect(failure(() => decodeModuleLogRequest(fromHex(hex)))).toMatchObject({ code, message });
  });
});

describe('replies at their edges', () => {
  const spec = {
    cid: CID.GetLogIdPresent,
    log: 2,
    registers: [
      { id: 60, unitCode: 8 },
      { id: 68, unitCode: 40 },
    ],
    records: [
      { id: 7, decimals: ['1.5', '10.25'] },
      { id: 8, decimals: ['2.5', '11.75'] },
    ],
    lastReadId: 8,
    newestId: 9,
    info: 0,
  } as const;

  it('decodes what it encodes, values with the first record’s exponent', () => {
    const bytes = encodeModuleLogReply(spec);
    expect(bytes).toHaveLength(moduleLogReplyLength(2, 2));
    const r = decodeModuleLogReply(bytes);
    expect(r.records.map((x) => [x.id, x.values.map((v) => v.decimal)])).toEqual([
      [7, ['1.5', '10.25']],
      [8, ['2.5', '11.75']],
    ]);
    expect(r).toMatchObject({ cid: 0xa2, log: 2, lastReadId: 8, newestId: 9, info: 0 });
  });

  it('refuses to encode a record whose value needs another exponent or a sign', () => {
    expect(
      failure(() =>
        encodeModuleLogReply({ ...spec, records: [spec.records[0], { id: 8, decimals: ['2.55', '11.75'] }] }),
      ),
    ).toMatchObject({
      code: 'argument',
      message: "record 8: register 60 needs the first record's exponent and no sign",
    });
    expect(
      failure(() =>
        encodeModuleLogReply({ ...spec, records: [spec.records[0], { id: 8, decimals: ['-2.5', '11.75'] }] }),
      ).code,
    ).toBe('argument');
  });

  it('gives the sizes the document’s formula gives, none for no records', () => {
    expect(moduleLogReplyLength(0, 5)).toBe(8);
    expect(moduleLogReplyLength(1, 1)).toBe(19);
    expect(recordsWithin(7, 1)).toBe(0);
    expect(recordsWithin(19, 1)).toBe(1);
    expect(recordsWithin(24, 1)).toBe(1);
    expect(recordsWithin(25, 1)).toBe(2);
  });

  it.each([
    ['nothing', '', 'unexpected', '0x0 is not a logger readout reply'],
    ['GetRegister', '10 00', 'unexpected', '0x10 is not a logger readout reply'],
    ['the command id alone', 'a2', 'length', 'a logger reply has at least its command id and INFO byte'],
    [
      'a short reply without a flag',
      'a2 01 00 00',
      'length',
      'a logger reply of 4 bytes without an error flag is cut off',
    ],
    [
      'records with no register',
      'a2 01 00 00 07 00 07 00 09 00',
      'length',
      'a logger reply with 2 record bytes names 0 registers',
    ],
    [
      'records with nine registers',
      'a2 01 09 00 07 00 07 00 09 00',
      'length',
      'a logger reply with 2 record bytes names 9 registers',
    ],
    [
      'a first record cut inside a format',
      'a2 01 01 00 07 00 3c 08 04 00 07 00 09 00',
      'length',
      "the first record's register 1 is cut off",
    ],
    [
      'a zero-length value',
      'a2 01 01 00 07 00 3c 08 00 00 00 00 07 00 09 00',
      'length',
      'register 60 has a zero-length value',
    ],
    [
      'a first record cut inside a value',
      'a2 01 01 00 07 00 3c 08 04 00 00 00 07 00 09 00',
      'length',
      'the first record is cut off',
    ],
    [
      'half a second record',
      'a2 01 01 00 07 00 3c 08 04 00 00 00 00 0f 00 08 00 00 08 00 09 00',
      'length',
      '3 bytes after the first record are not whole records of 6',
    ],
  ])('refuses %s', (_name, hex, code, message) => {
    expect(failure(() => decodeModuleLogReply(fromHex(hex)))).toMatchObject({ code, message });
  });

  it('reads an error reply of two or more bytes without records, keeping the log id where it is sent', () => {
    expect(decodeModuleLogReply(fromHex('a2 04'))).toEqual({ cid: 0xa2, log: 0, records: [], info: 4 });
    expect(decodeModuleLogReply(fromHex('a2 03 04'))).toEqual({ cid: 0xa2, log: 3, records: [], info: 4 });
    expect(decodeModuleLogReply(fromHex('a3 03 00 00 00 00 00 10'))).toEqual({
      cid: 0xa3,
      log: 3,
      records: [],
      lastReadId: 0,
      newestId: 0,
      info: 0x10,
    });
  });
});
