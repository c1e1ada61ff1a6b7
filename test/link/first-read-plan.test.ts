import { describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_REGISTERS } from '../../src/kmp/index.ts';
import {
  IDENTITY_REGISTERS,
  MODEL_PROBE_REGISTERS,
  SERIAL_REGISTER,
  planFirstRead,
  serialFromRegister,
} from '../../src/link/index.ts';

const nothingKnown = { serial: false, model: false };

describe('planFirstRead', () => {
  it('reads the default registers and the identity in 3 requests, the chosen ones first', () => {
    const plan = planFirstRead(DEFAULT_LIVE_REGISTERS, nothingKnown);
    // With GetType before them: 4 requests from Connect to the first whole reading, so the
    // first values show within seconds of Connect.
    expect(plan).toEqual([
      [60, 68, 80, 74, 86, 87, 89, 99],
      [113, 1004, 1001, 1002, 1003, 152, 153, 168],
      [155, 266, 88, 69],
    ]);
  });

  it('asks no register twice and at most 8 per request, whatever was chosen', () => {
    const chosen = [99, 60, 60, 1004, 155, 1002, 500, 501, 502, 503, 504, 505, 506, 507];
    const plan = planFirstRead(chosen, nothingKnown);
    const flat = plan.flat();
    expect(new Set(flat).size).toBe(flat.length);
    for (const request of plan) expect(request.length).toBeLessThanOrEqual(8);
    // Every chosen register, the identity's and the probes are all in it.
    for (const id of [...chosen, ...IDENTITY_REGISTERS, ...MODEL_PROBE_REGISTERS, SERIAL_REGISTER])
      expect(flat).toContain(id);
    // The chosen come first, in their order, so the first reply fills the readings table.
    expect(flat.slice(0, 13)).toEqual([99, 60, 1004, 155, 1002, 500, 501, 502, 503, 504, 505, 506, 507]);
  });

  it('leaves out what GetSerialNo and GetType already told', () => {
    const plan = planFirstRead([60, 68], { serial: true, model: true }).flat();
    expect(plan).toEqual([60, 68, ...IDENTITY_REGISTERS]);
    expect(plan).not.toContain(SERIAL_REGISTER);
    // A chosen register 1001 is still read: it is part of the reading asked for.
    expect(planFirstRead([1001], { serial: true, model: true }).flat()).toContain(1001);
  });

  it('identifies alone in 2 requests when nothing is chosen', () => {
    expect(planFirstRead([], nothingKnown)).toHaveLength(2);
  });

  it('sends no empty request when the registers fill the last one exactly', () => {
    expect(planFirstRead([], { serial: true, model: true })).toEqual([[...IDENTITY_REGISTERS]]);
    const eight = [500, 501, 502, 503, 504, 505, 506, 507];
    expect(planFirstRead(eight, { serial: true, model: true })).toEqual([eight, [...IDENTITY_REGISTERS]]);
  });
});

describe('serialFromRegister', () => {
  it('takes a whole 32-bit number and nothing else', () => {
    expect(serialFromRegister({ value: 71234567 })).toBe(71234567);
    expect(serialFromRegister(undefined)).toBeUndefined();
    expect(serialFromRegister({ value: 0 })).toBeUndefined();
    expect(serialFromRegister({ value: 12.5 })).toBeUndefined();
    expect(serialFromRegister({ value: 2 ** 32 })).toBeUndefined();
    expect(serialFromRegister({ value: 0xffffffff })).toBe(4294967295);
    expect(serialFromRegister({ value: 1 })).toBe(1);
  });
});
