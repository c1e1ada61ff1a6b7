import { describe, expect, it } from 'vitest';
import { errorOf } from './error-of.ts';
import {
  DEFAULT_LIVE_REGISTERS,
  KmpError,
  REGISTERS,
  SCAN_CANDIDATES,
  SEED_PARAMETERS,
  parseRegisterRef,
  registerById,
  registerByKey,
} from '../../src/kmp/index.ts';

// The reference project's parameter names and ids, transcribed from docs/registers.md#seed-names.
const SEED: Array<[string, number]> = [
  ['energy', 0x3c],
  ['power', 0x50],
  ['temp1', 0x56],
  ['temp2', 0x57],
  ['tempdiff', 0x59],
  ['flow', 0x4a],
  ['volume', 0x44],
  ['minflow_m', 0x8d],
  ['maxflow_m', 0x8b],
  ['minflowDate_m', 0x8c],
  ['maxflowDate_m', 0x8a],
  ['minpower_m', 0x91],
  ['maxpower_m', 0x8f],
  ['avgtemp1_m', 0x95],
  ['avgtemp2_m', 0x96],
  ['minpowerdate_m', 0x90],
  ['maxpowerdate_m', 0x8e],
  ['minflow_y', 0x7e],
  ['maxflow_y', 0x7c],
  ['minflowdate_y', 0x7d],
  ['maxflowdate_y', 0x7b],
  ['minpower_y', 0x82],
  ['maxpower_y', 0x80],
  ['avgtemp1_y', 0x92],
  ['avgtemp2_y', 0x93],
  ['minpowerdate_y', 0x81],
  ['maxpowerdate_y', 0x7f],
  ['temp1xm3', 0x61],
  ['temp2xm3', 0x6e],
  ['infoevent', 0x71],
  ['hourcounter', 0x3ec],
];

describe('register catalogue', () => {
  it("has the reference project's 31 parameters, spelt exactly, in its order, with their ids", () => {
    expect(SEED_PARAMETERS).toEqual(SEED.map(([name]) => name));
    for (const [name, id] of SEED) {
      expect(registerByKey(name)?.id).toBe(id);
      expect(registerById(id)?.seedName).toBe(name);
    }
  });

  it('has unique ids and keys, and every entry names the models it is known on', () => {
    expect(new Set(REGISTERS.map((r) => r.id)).size).toBe(REGISTERS.length);
    expect(new Set(REGISTERS.map((r) => r.key)).size).toBe(REGISTERS.length);
    for (const r of REGISTERS) expect(r.models.length).toBeGreaterThan(0);
  });

  it('keeps the info code (99) apart from the info event counter (113) the reference project calls infoevent', () => {
    expect(registerById(99)?.key).toBe('infoCode');
    expect(registerById(113)?.label).toMatch(/counter/i);
    expect(registerById(266)?.notes).toMatch(/not a total/);
  });

  it('is case-sensitive for seed names, like the reference config', () => {
    expect(registerByKey('minflowDate_m')?.id).toBe(0x8c);
    expect(registerByKey('minflowdate_m')).toBeUndefined();
  });

  it.each([
    ['energy', 60],
    ['60', 60],
    ['0x3C', 60],
    ['0x003c', 60],
    [' volume ', 68],
    ['1001', 1001],
    ['65535', 65535],
    ['0', 0],
    ['0x0', 0],
    ['0xFFFF', 65535],
    ['minflowDate_m', 0x8c],
  ])('parseRegisterRef(%j) = %i', (text, id) => {
    expect(parseRegisterRef(text)).toBe(id);
  });

  it.each([
    ['energie', '"energie" is not a register name, decimal id or 0x hex id'],
    ['6e1', '"6e1" is not a register name, decimal id or 0x hex id'],
    ['10x3C', '"10x3C" is not a register name, decimal id or 0x hex id'],
    ['0x3Cz', '"0x3Cz" is not a register name, decimal id or 0x hex id'],
    ['000x3C', '"000x3C" is not a register name, decimal id or 0x hex id'],
    ['65536', 'register "65536" is outside 0..65535'],
    ['0x10000', 'register "0x10000" is outside 0..65535'],
  ])('parseRegisterRef(%j) says: %s', (text, message) => {
    const e = errorOf(() => parseRegisterRef(text));
    expect(e.code).toBe('argument');
    expect(e.message).toBe(message);
  });

  it.each(['energie', '-1', '65536', '0x10000', '1.5', ''])(
    'parseRegisterRef(%j) is refused with a message naming it',
    (text) => {
      try {
        parseRegisterRef(text);
        throw new Error('accepted');
      } catch (e) {
        expect(e).toBeInstanceOf(KmpError);
        expect((e as KmpError).code).toBe('argument');
        expect((e as KmpError).message).toContain(`"${text}"`);
      }
    },
  );

  it('default and scan lists name known registers once each', () => {
    for (const id of DEFAULT_LIVE_REGISTERS) expect(registerById(id)).toBeDefined();
    expect(new Set(SCAN_CANDIDATES).size).toBe(SCAN_CANDIDATES.length);
    expect(SCAN_CANDIDATES).toContain(99);
  });
});

describe('registers named by one public source (docs/registers.md#603-and-303)', () => {
  it('are in the catalogue with their source, and their units have names', async () => {
    const { unitName } = await import('../../src/kmp/index.ts');
    for (const [id, key] of [
      [178, 'differentialEnergy'],
      [364, 'heatEnergyA1'],
      [379, 'dayAverageT1'],
      [400, 'tempDiffTenths'],
      [1032, 'operationMode'],
    ] as const) {
      const info = registerById(id);
      expect(info?.key).toBe(key);
      expect(info?.source).toMatch(/one public logger reader/);
      expect(parseRegisterRef(key)).toBe(id);
    }
    expect(registerById(400)?.quantity).toBe('temperatureDifference');
    // The seed's and the better-known registers say nothing of a single source.
    expect(registerById(0x3c)?.source).toBeUndefined();
    expect([0x55, 0x56, 0x57, 0x58, 0x59, 0x5a].map(unitName)).toEqual(['%RH', '%O₂', 'm/s', 'kJ/kg', 'pH', 'g/kg']);
    expect(unitName(0x5b)).toBe('unit 91');
  });
});
