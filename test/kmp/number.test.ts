import { describe, expect, it } from 'vitest';
import { decodeKmpNumber, encodeKmpNumber, toHex } from '../../src/kmp/index.ts';
import { errorOf } from './error-of.ts';

// The round-trip properties only decode what was encoded, so an encoder that sets a needless bit
// the decoder ignores (SIEX 0x40 on a whole number, the sign of "-0") passed them. These pin the bytes.

function encoded(decimal: string, length?: number): string {
  const { siex, mantissa } = encodeKmpNumber(decimal, length);
  return toHex([siex, ...mantissa]);
}

describe('encodeKmpNumber writes exactly the bytes a meter would', () => {
  it.each([
    ['5', undefined, '00 05'],
    ['0', undefined, '00 00'],
    ['-0', undefined, '00 00'],
    ['-0.00', undefined, '42 00'],
    ['-1.5', undefined, 'C1 0F'],
    ['-7', undefined, '80 07'],
    ['255', undefined, '00 FF'],
    ['256', undefined, '00 01 00'],
    ['65535', undefined, '00 FF FF'],
    ['65536', undefined, '00 01 00 00'],
    ['55.006', 4, '43 00 00 D6 DE'],
    ['123.456', 4, '43 00 01 E2 40'],
    ['  7.25 ', undefined, '42 02 D5'],
  ])('%j (length %s) → %s', (decimal, length, bytes) => {
    expect(encoded(decimal, length)).toBe(bytes);
  });

  it('moves trailing zeros into the exponent only when the mantissa is too small', () => {
    expect(encoded('10', 1)).toBe('00 0A');
    expect(encoded('2550', 1)).toBe('01 FF');
    expect(encoded('-25500', 1)).toBe('82 FF');
  });

  it('reaches an exponent of 63 and no further', () => {
    expect(encoded('1' + '0'.repeat(65), 1)).toBe('3F 64');
    const e = errorOf(() => encodeKmpNumber('1' + '0'.repeat(66), 1));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(`"1${'0'.repeat(66)}" does not fit in a 1-byte mantissa`);
  });

  it('takes up to 63 decimal places and refuses 64', () => {
    expect(encoded(`0.${'0'.repeat(62)}1`)).toBe('7F 01');
    const text = `0.${'0'.repeat(63)}1`;
    const e = errorOf(() => encodeKmpNumber(text));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(`"${text}" has more than 63 decimal places`);
  });

  it('refuses a value that does not fit the forced mantissa, saying so', () => {
    const e = errorOf(() => encodeKmpNumber('256', 1));
    expect(e.code).toBe('argument');
    expect(e.message).toBe('"256" does not fit in a 1-byte mantissa');
    expect(errorOf(() => encodeKmpNumber('0', 0)).message).toBe('"0" does not fit in a 0-byte mantissa');
  });

  it.each(['12,5', '', '-', '.5', '5.', '+5', '--5', '5-', 'a5', '5a', '1.2.3', '0x10', '1e3'])(
    'refuses %j as not a decimal number',
    (text) => {
      const e = errorOf(() => encodeKmpNumber(text));
      expect(e.code).toBe('argument');
      expect(e.message).toBe(`"${text}" is not a decimal number`);
    },
  );
});

describe('decodeKmpNumber', () => {
  it.each([
    ['00', '05', '5'],
    ['01', '05', '50'],
    ['03', '00', '0'],
    ['3F', '01', '1' + '0'.repeat(63)],
    ['7F', '01', `0.${'0'.repeat(62)}1`],
    ['41', '05', '0.5'],
    ['43', '05', '0.005'],
    ['C2', '30 39', '-123.45'],
    ['80', '2A', '-42'],
    ['82', '00', '0'],
    ['BF', '01', '-1' + '0'.repeat(63)],
  ])('SIEX %s mantissa %s → %s', (siex, mantissa, decimal) => {
    const bytes = Uint8Array.from(mantissa.split(' '), (b) => parseInt(b, 16));
    const n = decodeKmpNumber(parseInt(siex, 16), bytes);
    expect(n.decimal).toBe(decimal);
    expect(n.value).toBe(Number(decimal));
  });

  it('refuses an empty mantissa with code "length"', () => {
    const e = errorOf(() => decodeKmpNumber(0x00, new Uint8Array(0)));
    expect(e.code).toBe('length');
    expect(e.message).toBe('a KMP number needs at least one mantissa byte');
  });

  it('says how large a number beyond a double is', () => {
    const e = errorOf(() => decodeKmpNumber(0x3f, new Uint8Array(120).fill(0xff)));
    expect(e.code).toBe('range');
    expect(e.message).toBe('a KMP number of 120 mantissa byte(s) is too large for any meter (about 10^351)');
  });
});
