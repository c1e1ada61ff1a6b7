import { KmpError } from './errors.ts';

/**
 * The KMP number format: an unsigned big-endian mantissa of any length and a SIEX byte
 * (bit 7 sign of the value, bit 6 sign of the exponent, bits 5..0 the decimal exponent).
 */
export interface KmpNumber {
  /**
   * Exact decimal text, e.g. "64.57", "-123.45", "87654321000". Trailing zeros are kept: they are
   * the meter's resolution.
   */
  decimal: string;
  /** The nearest double to `decimal`; parsed from the text, so free of 10^-n scaling artefacts. Always finite. */
  value: number;
}

/**
 * Decodes a mantissa of any length exactly, using BigInt so 8- and 10-byte mantissas lose nothing.
 * Throws KmpError 'range' when the number is beyond what a double holds (about 1.8e308, so a
 * mantissa of 128 bytes or more): `value` is always a finite number, never Infinity.
 */
export function decodeKmpNumber(siex: number, mantissa: Uint8Array): KmpNumber {
  if (mantissa.length === 0) throw new KmpError('length', 'a KMP number needs at least one mantissa byte');
  let m = 0n;
  for (const b of mantissa) m = (m << 8n) | BigInt(b);
  const negative = (siex & 0x80) !== 0 && m !== 0n;
  const exponent = (siex & 0x40 ? -1 : 1) * (siex & 0x3f);
  const decimal = (negative ? '-' : '') + scale(m.toString(), exponent);
  const value = Number(decimal);
  if (!Number.isFinite(value))
    throw new KmpError(
      'range',
      `a KMP number of ${mantissa.length} mantissa byte(s) is too large for any meter (about 10^${m.toString().length + exponent - 1})`,
    );
  return { decimal, value };
}

function scale(digits: string, exponent: number): string {
  if (exponent >= 0) return digits === '0' ? '0' : digits + '0'.repeat(exponent);
  const places = -exponent;
  const padded = digits.padStart(places + 1, '0');
  return `${padded.slice(0, padded.length - places)}.${padded.slice(padded.length - places)}`;
}

/**
 * Encodes decimal text as a KMP number. Used by the virtual meter; `length` forces a
 * mantissa size (as real meters use 2, 4 or 8 bytes for different registers).
 */
export function encodeKmpNumber(decimal: string, length?: number): { siex: number; mantissa: Uint8Array } {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new KmpError('argument', `"${decimal}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  let m = BigInt(whole! + fraction);
  let exponent = -fraction.length;
  if (exponent < -63) throw new KmpError('argument', `"${decimal}" has more than 63 decimal places`);
  const size = length ?? minBytes(m);
  // A value too wide for the mantissa drops trailing zeros into the exponent, as meters do (255000 = 255 × 10^3).
  while (minBytes(m) > size && m % 10n === 0n && m !== 0n && exponent < 63) {
    m /= 10n;
    exponent++;
  }
  if (minBytes(m) > size) throw new KmpError('argument', `"${decimal}" does not fit in a ${size}-byte mantissa`);
  const mantissa = new Uint8Array(size);
  for (let i = size - 1, rest = m; i >= 0; i--, rest >>= 8n) mantissa[i] = Number(rest & 0xffn);
  const siex = (sign === '-' && m !== 0n ? 0x80 : 0) | (exponent < 0 ? 0x40 : 0) | Math.abs(exponent);
  return { siex, mantissa };
}

function minBytes(m: bigint): number {
  let n = 1;
  for (let rest = m >> 8n; rest > 0n; rest >>= 8n) n++;
  return n;
}
