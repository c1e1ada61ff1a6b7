/**
 * The 601/801 logger read-out (A0–A3, src/kmp/module-logger.ts) against the examples of
 * Kamstrup's KMP description 5512-447 (docs/loggers.md): the A0 request for E1 and V1 from
 * 2007-05-24 10:30:00, its three-record reply, the reply-size table, and random bytes.
 */
import { describe, expect, it } from 'vitest';
import { CID, KmpError, fromHex, toHex as upperHex } from '../../src/kmp/index.ts';
import {
  decodeEventStatusReply,
  decodeLogTime,
  encodeEventStatusReply,
  decodeModuleLogReply,
  decodeModuleLogRequest,
  encodeLogTime,
  encodeModuleLogReply,
  encodeModuleLogRequest,
  moduleLogReplyLength,
  MODULE_LOG_INFO,
  recordsWithin,
} from '../../src/kmp/module-logger.ts';

const toHex = (b: Uint8Array) => upperHex(b).toLowerCase();

const A0_REQUEST = 'a0 01 02 00 3c 00 44 03 80 07 05 18 0a 1e 00 00 00';
const A0_REPLY =
  'a0 01 02 10 f3 00 3c 08 04 00 ff 06 86 62 00 44 27 04 00 e9 93 dc 05 ' +
  '10 f4 b5 0a 5c 5e 93 e0 50 47 10 f5 cf 06 53 96 f2 58 4c 96 10 f5 11 02 00';

describe('the document’s A0 example', () => {
  it('encodes the request byte for byte and decodes it back', () => {
    const req = {
      cid: CID.GetLogTimePresent,
      log: 1,
      registers: [0x3c, 0x44],
      records: 3,
      maxLength: 0x80,
      time: '2007-05-24T10:30:00',
    } as const;
    expect(toHex(encodeModuleLogRequest(req))).toBe(A0_REQUEST);
    expect(decodeModuleLogRequest(fromHex(A0_REQUEST))).toEqual(req);
  });

  it('decodes the three-record reply: ids, formats, values, last read and newest record', () => {
    const reply = decodeModuleLogReply(fromHex(A0_REPLY));
    expect(reply).toMatchObject({ cid: 0xa0, log: 1, lastReadId: 0x10f5, newestId: 0x1102, info: 0 });
    expect(reply.records.map((r) => r.id)).toEqual([0x10f3, 0x10f4, 0x10f5]);
    expect(reply.records.map((r) => r.values.map((v) => [v.id, v.unitCode, v.decimal]))).toEqual([
      [
        [0x3c, 8, String(0xff068662)],
        [0x44, 0x27, String(0xe993dc05)],
      ],
      [
        [0x3c, 8, String(0xb50a5c5e)],
        [0x44, 0x27, String(0x93e05047)],
      ],
      [
        [0x3c, 8, String(0xcf065396)],
        [0x44, 0x27, String(0xf2584c96)],
      ],
    ]);
    expect(fromHex(A0_REPLY)).toHaveLength(moduleLogReplyLength(3, 2));
  });

  it('encodes the same reply from its records', () => {
    const r = decodeModuleLogReply(fromHex(A0_REPLY));
    const bytes = encodeModuleLogReply({
      cid: 0xa0,
      log: 1,
      registers: r.records[0]!.values.map((v) => ({ id: v.id, unitCode: v.unitCode })),
      records: r.records.map((rec) => ({ id: rec.id, decimals: rec.values.map((v) => v.decimal) })),
      lastReadId: 0x10f5,
      newestId: 0x1102,
      info: 0,
    });
    expect(toHex(bytes)).toBe(A0_REPLY);
  });
});

describe('the document’s A1, A2, A3 and 9B examples', () => {
  const base = { log: 1, registers: [0x3c, 0x44], records: 3, maxLength: 0x80 } as const;
  it.each([
    // A1: from the last record read and three forward (encoded here; the client never sends it).
    [{ ...base, cid: CID.GetLogPastPresent }, 'a1 01 02 00 3c 00 44 03 80'],
    // A2: from record 10F3 and three forward.
    [{ ...base, cid: CID.GetLogIdPresent, fromId: 0x10f3 }, 'a2 01 02 00 3c 00 44 03 80 10 f3'],
    // A3: back from 2007-05-24 19:45:00, three records, offset 6.
    [
      { ...base, cid: CID.GetLogTimePast, time: '2007-05-24T19:45:00', offset: 6 },
      'a3 01 02 00 3c 00 44 03 80 07 05 18 13 2d 00 00 00 00 06',
    ],
  ] as const)('encodes %o byte for byte and decodes it back', (req, hex) => {
    expect(toHex(encodeModuleLogRequest(req))).toBe(hex);
    expect(decodeModuleLogRequest(fromHex(hex))).toEqual(req);
  });

  it('reads the A2 and A3 replies as the A0 one but for the command id', () => {
    const a0 = decodeModuleLogReply(fromHex(A0_REPLY));
    for (const cid of ['a2', 'a3'])
      expect(decodeModuleLogReply(fromHex(cid + A0_REPLY.slice(2)))).toEqual({ ...a0, cid: parseInt(cid, 16) });
  });

  it('reads a 9B reply of four status bytes', () => {
    expect(decodeEventStatusReply(fromHex('9b 00 00 01 00'))).toMatchObject({ intervalLogUnread: true });
    expect(toHex(encodeEventStatusReply({ intervalLogUnread: false, rtcLogUnread: true }))).toBe('9b 00 00 02 00');
  });
});

describe('time stamps', () => {
  it('are YY MM DD hh mm ss with weekday and info 0, as the document’s examples', () => {
    expect(toHex(encodeLogTime('2007-05-17T10:30:00'))).toBe('07 05 11 0a 1e 00 00 00');
    expect(toHex(encodeLogTime('2091-12-31T23:59:59'))).toBe('5b 0c 1f 17 3b 3b 00 00');
    expect(decodeLogTime(fromHex('5b 0c 1f 17 3b 3b 00 00'))).toBe('2091-12-31T23:59:59');
  });

  it('refuse what is not a date and time', () => {
    expect(() => decodeLogTime(fromHex('07 02 1e 00 00 00 00 00'))).toThrow(KmpError);
    expect(() => decodeLogTime(fromHex('07 05 11 18 00 00 00 00'))).toThrow(/not a date and time/);
    expect(() => encodeLogTime('1999-01-01T00:00:00')).toThrow(KmpError);
  });
});

describe('the other requests', () => {
  it('A2 names the first record id, A3 a time and an offset, A1 nothing more', () => {
    const base = { log: 2, registers: [0x3c], records: 5, maxLength: 128 };
    const a2 = { cid: CID.GetLogIdPresent, ...base, fromId: 0x10f2 } as const;
    expect(toHex(encodeModuleLogRequest(a2))).toBe('a2 02 01 00 3c 05 80 10 f2');
    const a3 = { cid: CID.GetLogTimePast, ...base, time: '2007-05-25T02:00:00', offset: 3 } as const;
    expect(toHex(encodeModuleLogRequest(a3))).toBe('a3 02 01 00 3c 05 80 07 05 19 02 00 00 00 00 00 03');
    const a1 = { cid: CID.GetLogPastPresent, ...base } as const;
    expect(toHex(encodeModuleLogRequest(a1))).toBe('a1 02 01 00 3c 05 80');
    for (const r of [a1, a2, a3]) expect(decodeModuleLogRequest(encodeModuleLogRequest(r))).toEqual(r);
  });

  it('refuses requests the protocol cannot express', () => {
    const base = { cid: CID.GetLogIdPresent, log: 1, records: 1, maxLength: 128, fromId: 1 } as const;
    expect(() => encodeModuleLogRequest({ ...base, registers: [] })).toThrow(/1 to 8 registers/);
    expect(() => encodeModuleLogRequest({ ...base, registers: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toThrow(KmpError);
    expect(() => encodeModuleLogRequest({ ...base, registers: [60], fromId: 0x10000 })).toThrow(/record id/);
    expect(() => encodeModuleLogRequest({ ...base, registers: [60], records: 0 })).toThrow(/record count/);
  });
});

describe('reply size', () => {
  it('follows the document’s table (frame bytes added), and MaxL 128 gives the most records that fit', () => {
    // Table rows n = 1, 2, 8 at m = 1, 3, 19, including the 5 frame bytes.
    expect(moduleLogReplyLength(1, 1) + 5).toBe(24);
    expect(moduleLogReplyLength(3, 2) + 5).toBe(53);
    expect(moduleLogReplyLength(19, 8) + 5).toBe(699);
    expect(recordsWithin(128, 2)).toBe(11);
    expect(recordsWithin(128, 8)).toBe(2);
    expect(moduleLogReplyLength(recordsWithin(128, 3), 3)).toBeLessThanOrEqual(128);
    expect(moduleLogReplyLength(recordsWithin(128, 3) + 1, 3)).toBeGreaterThan(128);
  });
});

describe('error replies and damage', () => {
  it('a reply of CID and INFO alone says what the flag says, with no records', () => {
    const r = decodeModuleLogReply(Uint8Array.of(0xa2, MODULE_LOG_INFO.outOfRange));
    expect(r).toMatchObject({ records: [], info: MODULE_LOG_INFO.outOfRange });
  });

  it('an empty log: no records, its ids and the empty flag', () => {
    const r = decodeModuleLogReply(fromHex('a0 01 00 00 00 00 00 01'));
    expect(r).toMatchObject({ records: [], lastReadId: 0, newestId: 0, info: MODULE_LOG_INFO.empty });
  });

  it('a reply cut off inside a record is refused', () => {
    const whole = fromHex(A0_REPLY);
    const cut = Uint8Array.of(...whole.subarray(0, 30), ...whole.subarray(whole.length - 5));
    expect(() => decodeModuleLogReply(cut)).toThrow(/not whole records/);
  });

  it('random and mutated bytes give a reply or a KmpError, nothing else', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const whole = fromHex(A0_REPLY);
    for (let i = 0; i < 3000; i++) {
      const bytes =
        i % 2
          ? Uint8Array.from({ length: Math.floor(rand() * 60) }, () => Math.floor(rand() * 256))
          : whole.map((b) => (rand() < 0.05 ? Math.floor(rand() * 256) : b));
      if (i % 4 === 0) bytes[0] = 0xa0;
      try {
        decodeModuleLogReply(bytes);
        decodeModuleLogRequest(bytes);
      } catch (e) {
        expect(e).toBeInstanceOf(KmpError);
      }
    }
  });
});
