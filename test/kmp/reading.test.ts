import { describe, expect, it } from 'vitest';
import { KmpError, isKnownUnit, suspectValues, unitName, type RegisterValue } from '../../src/kmp/index.ts';

const v = (id: number, unitCode: number, value: number): RegisterValue => ({
  id,
  unitCode,
  unit: unitName(unitCode),
  value,
  decimal: String(value),
});

const SHORTED = 'reads exactly 0.00 °C: the sensor is probably short-circuited or below its range (see the info code)';
const OPEN = 'reads exactly 185.00 °C: the sensor is probably disconnected or above its range (see the info code)';
const ZERO = 'is 0 while the info code reports a problem: likely a sensor error, not a real value';

describe('suspectValues', () => {
  it('names the sensor-error values a MULTICAL sends in place of a temperature', () => {
    const out = suspectValues([v(0x56, 37, 0), v(0x57, 37, 185), v(0x58, 37, 53.65)]);
    expect([...out]).toEqual([
      [0x56, SHORTED],
      [0x57, OPEN],
    ]);
  });

  it('ignores 0 and 185 in other units', () => {
    expect(suspectValues([v(0x56, 38, 0), v(0x3c, 8, 185)]).size).toBe(0);
  });

  it('flags zero flow and power only while the info code is set', () => {
    const flowAndPower = [v(74, 41, 0), v(80, 22, 0), v(60, 8, 0)];
    expect([...suspectValues([...flowAndPower, v(99, 0, 8)])]).toEqual([
      [74, ZERO],
      [80, ZERO],
    ]);
    expect(suspectValues([...flowAndPower, v(99, 0, 0)]).size).toBe(0);
    expect(suspectValues(flowAndPower).size).toBe(0);
    expect(suspectValues([v(74, 41, 12), v(80, 22, 0.1), v(99, 0, 8)]).size).toBe(0);
  });
});

describe('unit codes', () => {
  it('knows codes 0 to 64 and nothing else', () => {
    expect(isKnownUnit(0)).toBe(true);
    expect(isKnownUnit(64)).toBe(true);
    expect(isKnownUnit(65)).toBe(false);
    expect(isKnownUnit(-1)).toBe(false);
    expect(isKnownUnit(1.5)).toBe(false);
    expect(unitName(64)).toBe('datetime');
    expect(unitName(65)).toBe('unit 65');
    expect(unitName(-1)).toBe('unit -1');
  });
});

describe('KmpError', () => {
  it('is named for stack traces and logs', () => {
    const e = new KmpError('crc', 'x');
    expect(e.name).toBe('KmpError');
    expect(String(e)).toBe('KmpError: x');
  });
});
