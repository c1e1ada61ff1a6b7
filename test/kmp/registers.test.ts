import { describe, expect, it } from 'vitest';
import {
  checkRegisterIds,
  decodeGetRegisterRequest,
  decodeGetTypeResponse,
  decodeRegisters,
  decodeSerialNoResponse,
  encodeGetRegister,
  encodeGetSerialNo,
  encodeGetType,
  encodeGetTypeResponse,
  encodeRegisterBlocks,
  encodeSerialNoResponse,
  fromHex,
  getRegisterBody,
  toHex,
} from '../../src/kmp/index.ts';
import { errorOf } from './error-of.ts';

describe('GetRegister requests', () => {
  it('asks for the edge ids 0 and 65535', () => {
    expect(toHex(encodeGetRegister([0, 65535]))).toBe('80 3F 10 02 00 00 FF FF 90 6C 0D');
    expect(toHex(getRegisterBody([0, 65535]))).toBe('3F 10 02 00 00 FF FF');
  });

  it('puts eight ids high byte first, in the order asked', () => {
    expect(toHex(encodeGetRegister([0x1234, 0xabcd, 1, 2, 3, 4, 5, 6]))).toBe(
      '80 3F 10 08 12 34 AB CD 00 01 00 02 00 03 00 04 00 05 00 1B F9 68 67 0D',
    );
  });

  it.each([
    [[], 'a GetRegister request takes 1 to 8 register ids, not 0'],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9], 'a GetRegister request takes 1 to 8 register ids, not 9'],
    [[1, -1], 'register id -1 is not 0..65535'],
    [[65536], 'register id 65536 is not 0..65535'],
    [[1.5], 'register id 1.5 is not 0..65535'],
    [[NaN], 'register id NaN is not 0..65535'],
  ])('refuses %j: %s', (ids, message) => {
    const e = errorOf(() => checkRegisterIds(ids));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(message);
  });

  it('decodes the ids of a request back, and refuses data that does not match its count', () => {
    expect(decodeGetRegisterRequest(fromHex('02 00 00 FF FF'))).toEqual([0, 65535]);
    expect(decodeGetRegisterRequest(fromHex('00'))).toEqual([]);
    for (const [hex, message] of [
      ['', 'GetRegister request data of 0 byte(s) does not match its count (none)'],
      ['02 00 3C', 'GetRegister request data of 3 byte(s) does not match its count 2'],
      ['01 00 3C 00', 'GetRegister request data of 4 byte(s) does not match its count 1'],
    ] as const) {
      const e = errorOf(() => decodeGetRegisterRequest(fromHex(hex)));
      expect(e.code).toBe('length');
      expect(e.message).toBe(message);
    }
  });
});

describe('GetRegister replies', () => {
  it('decodes the edge ids, a signed value and every field', () => {
    expect(decodeRegisters(fromHex('00 00 25 02 C2 04 D2  FF FF 00 01 00 07'))).toEqual([
      { id: 0, unitCode: 37, unit: '°C', value: -12.34, decimal: '-12.34' },
      { id: 65535, unitCode: 0, unit: '', value: 7, decimal: '7' },
    ]);
  });

  it('encodes blocks byte for byte, high byte of the id first', () => {
    expect(
      toHex(
        encodeRegisterBlocks([
          { id: 0x1234, unitCode: 37, decimal: '-12.34', length: 3 },
          { id: 0xffff, unitCode: 0, decimal: '7' },
        ]),
      ),
    ).toBe('12 34 25 03 C2 00 04 D2 FF FF 00 01 00 07');
    expect(encodeRegisterBlocks([])).toEqual(new Uint8Array(0));
  });

  it.each([
    ['00 3C 08 04', 'register block at byte 0 is cut off: 4 byte(s) left, a block header needs 5'],
    ['00 3C 08 01 00 05  00', 'register block at byte 6 is cut off: 1 byte(s) left, a block header needs 5'],
    ['00 3C 08 01 00 05  00 56 25 02', 'register block at byte 6 is cut off: 4 byte(s) left, a block header needs 5'],
    ['00 3C 08 00 43', 'register 60 has a zero-length mantissa'],
    ['00 3C 08 00 43 00 00', 'register 60 has a zero-length mantissa'],
    ['00 3C 08 04 43 00 00 D6', 'register 60 says 4 mantissa byte(s) but only 3 remain'],
    ['00 3C 08 01 00 05  01 00 25 02 42', 'register 256 says 2 mantissa byte(s) but only 0 remain'],
  ])('%s → length: %s', (hex, message) => {
    const e = errorOf(() => decodeRegisters(fromHex(hex)));
    expect(e.code).toBe('length');
    expect(e.message).toBe(message);
  });

  it('decodes a block whose mantissa ends exactly at the end of the data', () => {
    expect(decodeRegisters(fromHex('00 3C 08 01 00 05')).map((r) => r.decimal)).toEqual(['5']);
  });

  it('names the register when its number is beyond a double', () => {
    const data = new Uint8Array(5 + 200);
    data.set([0x01, 0x02, 8, 200, 0x00]);
    data.fill(0xff, 5);
    const e = errorOf(() => decodeRegisters(data));
    expect(e.code).toBe('range');
    expect(e.message).toBe(
      'register 258: a KMP number of 200 mantissa byte(s) is too large for any meter (about 10^481)',
    );
  });
});

describe('GetType and GetSerialNo', () => {
  it('encodes both requests byte for byte', () => {
    expect(toHex(encodeGetType())).toBe('80 3F 01 05 8A 0D');
    expect(toHex(encodeGetSerialNo())).toBe('80 3F 02 35 E9 0D');
  });

  it.each([
    ['AB CD 06 01', 0xabcd, '0xABCD', 'F1'],
    ['00 0A 01 00', 0x0a, '0x000A', 'A0'],
    ['11 01 1A 09', 0x1101, '0x1101', 'Z9'],
    ['00 04 00 00', 4, '0x0004', undefined],
    ['00 04 00 03', 4, '0x0004', '?03'],
    ['00 04 1B 02', 4, '0x0004', '?272'],
    ['00 04 05 00', 4, '0x0004', 'E0'],
  ])('type reply %s → %s %s rev %s', (hex, typeCode, typeHex, softwareRevision) => {
    expect(decodeGetTypeResponse(fromHex(hex))).toEqual({ typeCode, typeHex, softwareRevision });
  });

  it('encodes a type reply byte for byte', () => {
    expect(toHex(encodeGetTypeResponse({ typeCode: 0xabcd, revisionLetter: 6, revisionNumber: 1 }))).toBe(
      'AB CD 06 01',
    );
  });

  it('reads a serial number with the top bit set as unsigned', () => {
    expect(decodeSerialNoResponse(fromHex('FF FF FF FF'))).toBe(4294967295);
    expect(decodeSerialNoResponse(fromHex('80 00 00 01'))).toBe(2147483649);
    expect(decodeSerialNoResponse(fromHex('00 01 02 03'))).toBe(0x010203);
  });

  it('encodes serial numbers 0 to 2^32 − 1 byte for byte', () => {
    expect(toHex(encodeSerialNoResponse(0xfedcba98))).toBe('FE DC BA 98');
    expect(toHex(encodeSerialNoResponse(0))).toBe('00 00 00 00');
    expect(toHex(encodeSerialNoResponse(0xffffffff))).toBe('FF FF FF FF');
  });

  it.each([-1, 2 ** 32, 1.5])('refuses serial %s', (serial) => {
    const e = errorOf(() => encodeSerialNoResponse(serial));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(`serial ${serial} does not fit in 4 bytes`);
  });

  it.each([
    ['00 04 06', 'a GetType reply carries 4 data bytes, not 3'],
    ['00 04 06 01 00', 'a GetType reply carries 4 data bytes, not 5'],
  ])('refuses type reply %s', (hex, message) => {
    const e = errorOf(() => decodeGetTypeResponse(fromHex(hex)));
    expect(e.code).toBe('length');
    expect(e.message).toBe(message);
  });

  it.each([
    ['01 02 03', 'a GetSerialNo reply carries 4 data bytes, not 3'],
    ['01 02 03 04 05', 'a GetSerialNo reply carries 4 data bytes, not 5'],
  ])('refuses serial reply %s', (hex, message) => {
    const e = errorOf(() => decodeSerialNoResponse(fromHex(hex)));
    expect(e.code).toBe('length');
    expect(e.message).toBe(message);
  });
});
