/**
 * Values no meter can produce: an exponent of 63 gave 1.8e68 GJ, which was
 * stored and published as a heat energy. implausibleReason names such values so no layer uses them.
 */
import { describe, expect, it } from 'vitest';
import {
  REGISTERS,
  decodeRegisters,
  encodeRegisterBlocks,
  implausibleReason,
  partitionPlausible,
  plausibleRange,
  unitName,
  type RegisterValue,
} from '../../src/kmp/index.ts';

const UNIT_CODE: Record<string, number> = {};
for (let code = 0; code <= 64; code++) UNIT_CODE[unitName(code)] ??= code;

function value(id: number, unit: string, decimal: string): RegisterValue {
  return { id, unit, unitCode: UNIT_CODE[unit]!, decimal, value: Number(decimal) };
}

describe('implausibleReason', () => {
  it.each([
    // id, unit, decimal: what a real MULTICAL sends
    [0x3c, 'GJ', '55.006'],
    [0x3c, 'MWh', '15.279'],
    [0x3c, 'kWh', '15279'],
    [0x3c, 'GJ', '0'],
    [0x44, 'm³', '1875.56'],
    [0x56, '°C', '53.65'],
    [0x57, '°C', '-12.5'],
    [0x56, '°C', '185.00'], // a disconnected sensor: suspect, but a value the meter does send
    [0x59, 'K', '7.86'],
    [0x59, 'K', '-3.2'], // cooling: return warmer than flow
    [0x4a, 'l/h', '812'],
    [0x50, 'kW', '12.3'],
    [0x3ec, 'h', '43210'],
    [0x61, 'm³×°C', '94521.3'],
    [0x5b, 'bar', '6.2'],
    [0x63, '', '0'],
    [0x246, 'days', '3650'],
  ])('passes register %i in %s = %s', (id, unit, decimal) => {
    expect(implausibleReason(value(id, unit, decimal))).toBeUndefined();
  });

  it.each([
    [0x3c, 'GJ', '1' + '8'.padEnd(68, '0'), /heat energy E1/i],
    [0x3c, 'kWh', '-5', /below/],
    [0x44, 'm³', '-0.01', /below/],
    [0x56, '°C', '250.00', /above 200 °C/],
    [0x57, '°C', '-60', /below -50 °C/],
    [0x59, 'K', '300', /above 250 K/],
    [0x4a, 'l/h', '99999999', /above/],
    [0x50, 'kW', '5000000', /above/],
    [0x3ec, 'h', '9000000', /above/],
    [0x5b, 'bar', '1000', /above/],
  ])('flags register %i in %s = %s', (id, unit, decimal, why) => {
    expect(implausibleReason(value(id, unit, decimal))).toMatch(why);
  });

  it('flags a value that is not a finite number, whatever produced it', () => {
    expect(implausibleReason({ ...value(0x3c, 'GJ', '1'), value: Infinity })).toMatch(/not a finite number/);
    expect(implausibleReason({ ...value(0x56, '°C', '1'), value: NaN })).toMatch(/not a finite number/);
  });

  it('flags an exponent of 63 straight off the wire', () => {
    const [v] = decodeRegisters(encodeRegisterBlocks([{ id: 0x3c, unitCode: 8, decimal: '18' + '0'.repeat(63) }]));
    expect(v!.value).toBe(1.8e64);
    expect(implausibleReason(v!)).toMatch(/outside what/);
  });

  it('scales the limit with the unit: the same energy is plausible in kWh and in GJ', () => {
    // 10^7 GJ is plausible for a big plant; the same count in MWh (3.6 × 10^7 GJ) too; 10^9 GJ is not.
    expect(implausibleReason(value(0x3c, 'GJ', '10000000'))).toBeUndefined();
    expect(implausibleReason(value(0x3c, 'MWh', '10000000'))).toBeUndefined();
    expect(implausibleReason(value(0x3c, 'GJ', '1000000000'))).toBeDefined();
    expect(implausibleReason(value(0x3c, 'kWh', '1000000000'))).toBeUndefined();
  });

  it('has a range for every catalogue register in its typical unit, and a typical value passes', () => {
    const typical: Record<string, string> = { temperatureDifference: 'K', temperature: '°C' };
    for (const r of REGISTERS) {
      const unit = typical[r.quantity] ?? r.typicalUnit?.split(/[ ,]/)[0];
      if (!unit || UNIT_CODE[unit] === undefined) continue;
      const range = plausibleRange(r.id, unit);
      expect(range, `${r.key} in ${unit}`).toBeDefined();
      expect(implausibleReason(value(r.id, unit, '1')), `${r.key} = 1 ${unit}`).toBeUndefined();
    }
  });
});

describe('the words and numbers of a plausibility verdict', () => {
  const raw = (id: number, unit: string, decimal: string): RegisterValue => ({
    id,
    unit,
    unitCode: 0,
    decimal,
    value: Number(decimal),
  });

  it.each([
    [
      0x3c,
      'GJ',
      '1000000000',
      'Heat energy E1 reads 1000000000 GJ, above 100000000 GJ: outside what an energy register can hold',
    ],
    [
      0x3c,
      'GJ',
      '1000000000000000',
      'Heat energy E1 reads 1000000000000000 GJ, above 100000000 GJ: outside what an energy register can hold',
    ],
    [
      0x3c,
      'GJ',
      '10000000000000000',
      'Heat energy E1 reads 1.000e+16 GJ, above 100000000 GJ: outside what an energy register can hold',
    ],
    [9999, 'GJ', '-1', 'Register 9999 reads -1 GJ, below 0 GJ: outside what an energy register can hold'],
    [99, '', '-1', 'Info code reads -1, below 0: outside what a counter or info code can hold'],
    [
      113,
      '',
      '4294967296',
      'Info event counter reads 4294967296, above 4290000000: outside what a counter or info code can hold',
    ],
  ])('register %i in %j = %s', (id, unit, decimal, reason) => {
    expect(implausibleReason(raw(id, unit, decimal))).toBe(reason);
  });

  it('passes the limits themselves', () => {
    expect(implausibleReason(raw(0x3c, 'GJ', '100000000'))).toBeUndefined();
    expect(implausibleReason(raw(99, '', '4294967295'))).toBeUndefined();
    expect(implausibleReason(raw(99, '', '0'))).toBeUndefined();
  });

  it('says nothing where no range is known: dates, unknown units, unitless registers that are not counters', () => {
    expect(implausibleReason(raw(0x3eb, 'yy:mm:dd', '-1'))).toBeUndefined();
    expect(implausibleReason(raw(60, '', '-5'))).toBeUndefined();
    expect(implausibleReason(raw(9999, '', '-5'))).toBeUndefined();
  });

  it('gives ranges in the value’s own unit, negative limits scaled too', () => {
    expect(plausibleRange(0x50, 'W')).toEqual({ min: -1e9, max: 1e9, unit: 'W' });
    expect(plausibleRange(9999, 'l/h')).toEqual({ min: -1e7, max: 1e7, unit: 'l/h' });
    expect(plausibleRange(99, '')).toEqual({ min: 0, max: 2 ** 32 - 1, unit: '' });
    expect(plausibleRange(113, '')).toEqual({ min: 0, max: 2 ** 32 - 1, unit: '' });
    expect(plausibleRange(60, '')).toBeUndefined();
    expect(plausibleRange(9999, '')).toBeUndefined();
    expect(plausibleRange(99, 'hh:mm:ss')).toBeUndefined();
  });

  it('partitions a reading into what may be used and what may not, with the reason', () => {
    const good = raw(0x56, '°C', '53.65');
    const bad = raw(0x57, '°C', '250');
    const alsoGood = raw(99, '', '0');
    expect(partitionPlausible([good, bad, alsoGood])).toEqual({
      plausible: [good, alsoGood],
      implausible: [
        {
          value: bad,
          reason: 'Return temperature T2 reads 250 °C, above 200 °C: outside what a temperature sensor can hold',
        },
      ],
    });
    expect(partitionPlausible([])).toEqual({ plausible: [], implausible: [] });
  });
});
