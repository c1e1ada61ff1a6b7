/**
 * Arithmetic on exact decimal text ("1234.567", "-0.5"), as the meter's numbers are kept
 * (RegisterValue.decimal): BigInt underneath, so a difference or a unit shift is the exact decimal,
 * never a float's nearest neighbour.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;

/** True for plain decimal text: an optional minus, digits, an optional fraction. */
export function isDecimalText(text: string): boolean {
  return DECIMAL.test(text);
}

function places(d: string): number {
  return d.split('.')[1]?.length ?? 0;
}

function scaled(d: string, to: number): bigint {
  const [whole = '0', frac = ''] = d.replace('-', '').split('.');
  const n = BigInt(whole + frac.padEnd(to, '0'));
  return d.startsWith('-') ? -n : n;
}

function text(n: bigint, p: number): string {
  const digits = (n < 0n ? -n : n).toString().padStart(p + 1, '0');
  const body = p ? `${digits.slice(0, -p)}.${digits.slice(-p)}` : digits;
  return n < 0n ? `-${body}` : body;
}

/** a − b, exact, with the larger of their resolutions. */
export function subtractDecimals(a: string, b: string): string {
  const p = Math.max(places(a), places(b));
  return text(scaled(a, p) - scaled(b, p), p);
}

/** Negative, zero or positive as a is less than, equal to or greater than b. */
export function compareDecimals(a: string, b: string): number {
  const p = Math.max(places(a), places(b));
  const d = scaled(a, p) - scaled(b, p);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** `d` × 10^`exponent`, exact ("1.5", 1 → "15.0"; "15", −3 → "0.015"); the resolution follows. */
export function shiftDecimal(d: string, exponent: number): string {
  const p = places(d);
  const n = scaled(d, p);
  return exponent >= 0 ? text(n * 10n ** BigInt(exponent), p) : text(n, p - exponent);
}
