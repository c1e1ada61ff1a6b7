import { describe, expect, it } from 'vitest';
import {
  KmpError,
  decodeFrame,
  decodeKmpNumber,
  decodeRegisters,
  encodeFrame,
  encodeGetRegister,
  encodeKmpNumber,
  formatDateTimeValue,
  fromHex,
  toHex,
  unitName,
  unstuff,
} from '../../src/kmp/index.ts';
import { errorOf } from './error-of.ts';

describe('decodeFrame rejects damaged frames with a classified KmpError', () => {
  const good = '40 3F 10 00 3C 08 04 42 00 01 E2 1B BF 7E 4A 0D';
  it.each([
    ['one flipped data bit', '40 3F 10 00 3C 08 04 42 00 01 E3 1B BF 7E 4A 0D', 'crc'],
    ['CRC byte altered', '40 3F 10 00 3C 08 04 42 00 01 E2 1B BF 7E 4B 0D', 'crc'],
    ['no stop byte', '40 3F 10 00 3C 08 04 42 00 01 E2 1B BF 7E 4A', 'framing'],
    ['unknown start byte', '41 3F 10 00 3C 08 04 42 00 01 E2 1B BF 7E 4A 0D', 'framing'],
    ['escape followed by a non-reserved complement', '40 3F 10 00 3C 08 04 42 00 01 E2 1B 00 7E 4A 0D', 'escape'],
    ['escape as the last body byte', '40 3F 10 1B 0D', 'escape'],
    ['bare reserved byte inside the body', '40 3F 10 06 3C 7E 4A 0D', 'framing'],
    ['body shorter than destination, command id and CRC', '40 3F 10 0D', 'length'],
    ['a lone stop byte', '0D', 'length'],
    ['empty input', '', 'length'],
  ])('%s', (_name, wire, code) => {
    expect(errorOf(() => decodeFrame(fromHex(wire))).code).toBe(code);
  });

  it('accepts the undamaged original', () => {
    expect(decodeFrame(fromHex(good)).cid).toBe(0x10);
  });

  it('names both checksums in the CRC message', () => {
    const err = errorOf(() => decodeFrame(fromHex('40 3F 10 00 3C 08 04 42 00 01 E2 1B BF 7E 4B 0D')));
    expect(err.message).toMatch(/0x7E4B.*0x7E4A/);
  });
});

describe('decodeRegisters', () => {
  it('walks blocks of different mantissa lengths and keys them by id', () => {
    // T1 with a 2-byte mantissa (as on a German 403) then E1 with 4 bytes and an 8-byte RTC-like value.
    const data = fromHex('00 56 25 02 42 14 F5  00 3C 08 04 43 00 00 D6 DE  04 17 35 08 00 00 00 00 01 02 03 04 05');
    const regs = decodeRegisters(data);
    expect(regs.map((r) => [r.id, r.unit, r.decimal])).toEqual([
      [0x56, '°C', '53.65'],
      [0x3c, 'GJ', '55.006'],
      [0x417, 'RTC', '4328719365'],
    ]);
  });

  it('an empty reply (no register recognised) is valid and empty', () => {
    expect(decodeRegisters(new Uint8Array(0))).toEqual([]);
  });

  it('a 10-byte mantissa decodes exactly (Kamstrup 382 customer number)', () => {
    const regs = decodeRegisters(fromHex('03 F2 33 0A 00 00 00 00 00 00 00 00 00 01 02'));
    expect(regs[0]!.decimal).toBe('258');
    const big = decodeRegisters(fromHex('03 F2 33 0A 00 FF FF FF FF FF FF FF FF FF FF'));
    expect(big[0]!.decimal).toBe((2n ** 80n - 1n).toString());
  });

  it.each([
    ['block header cut off', '00 3C 08 04'],
    ['mantissa shorter than its length byte', '00 3C 08 04 43 00 00 D6'],
    ['zero-length mantissa', '00 3C 08 00 43'],
  ])('%s → KmpError length', (_n, hex) => {
    expect(errorOf(() => decodeRegisters(fromHex(hex))).code).toBe('length');
  });
});

describe('KMP numbers', () => {
  it('never shows binary scaling artefacts (golles #37)', () => {
    const cases: Array<[string, number]> = [
      ['0.6', 0.6],
      ['64.57', 64.57],
      ['34.66', 34.66],
      ['63.44', 63.44],
    ];
    for (const [text, num] of cases) {
      const { siex, mantissa } = encodeKmpNumber(text, 4);
      const n = decodeKmpNumber(siex, mantissa);
      expect(n.decimal).toBe(text);
      expect(n.value).toBe(num);
      expect(String(n.value)).toBe(text);
    }
  });

  it('keeps trailing zeros of the meter resolution and never writes -0', () => {
    expect(decodeKmpNumber(0x42, Uint8Array.of(0x00, 0x00)).decimal).toBe('0.00');
    expect(decodeKmpNumber(0xc2, Uint8Array.of(0x00, 0x00)).decimal).toBe('0.00');
    expect(decodeKmpNumber(0x42, Uint8Array.of(0x48, 0x44)).decimal).toBe('185.00');
  });

  it('moves trailing zeros into the exponent when the mantissa is too small', () => {
    const { siex, mantissa } = encodeKmpNumber('255000', 1);
    expect([siex, ...mantissa]).toEqual([0x03, 0xff]);
    expect(() => encodeKmpNumber('256', 1)).toThrow(KmpError);
    expect(errorOf(() => encodeKmpNumber('12,5')).code).toBe('argument');
  });
});

describe('requests', () => {
  it('encodes the 8-register request seen on a real 403 (golles #188) byte for byte', () => {
    expect(toHex(encodeGetRegister([0x3c, 0x3f, 0x50, 0x56, 0x57, 0x59, 0x4a, 0x44]))).toBe(
      '80 3F 10 08 00 3C 00 3F 00 50 00 56 00 57 00 59 00 4A 00 44 C1 38 0D',
    );
  });

  it('stuffs register id 0x0080 (Kamstrup doc 6.2.4)', () => {
    expect(toHex(encodeGetRegister([0x80]))).toBe('80 3F 10 01 00 1B 7F D4 08 0D');
  });

  it.each([[[]], [[1, 2, 3, 4, 5, 6, 7, 8, 9]], [[-1]], [[65536]], [[1.5]]])('refuses ids %j', (ids) => {
    expect(errorOf(() => encodeGetRegister(ids)).code).toBe('argument');
  });

  it('refuses a frame body without a command id', () => {
    expect(errorOf(() => encodeFrame(Uint8Array.of(0x3f))).code).toBe('argument');
  });

  it('unstuff refuses a trailing escape', () => {
    expect(errorOf(() => unstuff(fromHex('3F 1B'))).code).toBe('escape');
  });
});

describe('units', () => {
  it('uses W for code 21 and var for 25, where every peer duplicated kW and kvar', () => {
    expect(unitName(21)).toBe('W');
    expect(unitName(22)).toBe('kW');
    expect(unitName(25)).toBe('var');
    expect(unitName(8)).toBe('GJ');
    expect(unitName(37)).toBe('°C');
    expect(unitName(99)).toBe('unit 99');
  });

  it('formats date and time units', () => {
    expect(formatDateTimeValue(47, '200243')).toBe('20:02:43');
    expect(formatDateTimeValue(48, '220901')).toBe('2022-09-01');
    expect(formatDateTimeValue(49, '20220901')).toBe('2022-09-01');
    expect(formatDateTimeValue(50, '901')).toBe('09-01');
    expect(formatDateTimeValue(37, '53.65')).toBeUndefined();
    expect(formatDateTimeValue(37, '5365')).toBeUndefined();
  });

  it('pads short date and time values with leading zeros', () => {
    expect(formatDateTimeValue(47, '2043')).toBe('00:20:43');
    expect(formatDateTimeValue(48, '20901')).toBe('2002-09-01');
    expect(formatDateTimeValue(49, '2220901')).toBe('0222-09-01');
    expect(formatDateTimeValue(50, '1')).toBe('00-01');
  });

  it('leaves values that are not whole digits alone', () => {
    for (const text of ['12.5', 'x200243', '200243x', '-200243', ''])
      expect(formatDateTimeValue(47, text)).toBeUndefined();
  });
});

describe('numbers no double can hold are refused, never Infinity', () => {
  // A 255-byte mantissa of 0xFF is about 10^614: it decoded to `value: Infinity`, which was stored and published.
  const huge = new Uint8Array(255).fill(0xff);

  it('decodeKmpNumber refuses a value beyond the range of a number with code "range"', () => {
    const e = errorOf(() => decodeKmpNumber(0x00, huge));
    expect(e.code).toBe('range');
    expect(e.message).toMatch(/too large/);
    expect(errorOf(() => decodeKmpNumber(0x80, huge)).code).toBe('range');
  });

  it('decodeRegisters refuses a register block with such a mantissa, naming the register', () => {
    const block = new Uint8Array(5 + huge.length);
    block.set([0x00, 0x3c, 8, 255, 0x00]);
    block.set(huge, 5);
    const e = errorOf(() => decodeRegisters(block));
    expect(e.code).toBe('range');
    expect(e.message).toMatch(/register 60/);
  });

  it('still decodes the widest finite numbers exactly, and a large exponent stays finite for the plausibility check', () => {
    const wide = new Uint8Array(120).fill(0xff);
    expect(Number.isFinite(decodeKmpNumber(0x00, wide).value)).toBe(true);
    // Exponent 63 on a 4-byte mantissa: 1.8e68 is finite, so the codec passes it; implausibleReason flags it.
    expect(decodeKmpNumber(0x3f, fromHex('00 02 BF 20')).value).toBe(1.8e68);
  });
});
