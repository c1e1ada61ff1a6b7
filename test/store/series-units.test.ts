import { describe, expect, it } from 'vitest';
import type { Reading } from '../../src/kmp/index.ts';
import { openStore } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);
const MIN = 60_000;

/** Heat energy as the meter reported it: GJ first, then MWh after it was reconfigured. */
function energy(t: number, decimal: string, unit: 'GJ' | 'MWh'): Reading {
  const unitCode = unit === 'GJ' ? 8 : 3;
  return { serial: 4, takenAt: t, values: [{ id: 60, unitCode, unit, value: Number(decimal), decimal }] };
}

/** 90 minutes in GJ, then 90 minutes in MWh (the switch falls inside an hour). */
async function reconfiguredMeter() {
  const store = await openStore();
  const rows: Reading[] = [];
  for (let i = 0; i < 90; i++) rows.push(energy(T0 + i * MIN, (500 + i / 100).toFixed(2), 'GJ'));
  for (let i = 90; i < 180; i++) rows.push(energy(T0 + i * MIN, (139 + i / 1000).toFixed(3), 'MWh'));
  await store.importAll([], rows);
  return store;
}

describe('a register whose unit changed is two lines, never one', () => {
  it('from the readings themselves (short range)', async () => {
    const store = await reconfiguredMeter();
    const s = await store.series(4, [60], T0, T0 + 180 * MIN, 1000);
    expect(s.times).toHaveLength(180);
    expect(s.lines.map((l) => [l.key, l.id, l.unitCode, l.unit])).toEqual([
      ['60/8', 60, 8, 'GJ'],
      ['60/3', 60, 3, 'MWh'],
    ]);
    const [gj, mwh] = s.lines;
    // Each line has a value only where the meter reported that unit.
    expect(gj!.values.slice(0, 90).every((v) => v !== null && v >= 500)).toBe(true);
    expect(gj!.values.slice(90).every((v) => v === null)).toBe(true);
    expect(mwh!.values.slice(0, 90).every((v) => v === null)).toBe(true);
    expect(mwh!.values.slice(90).every((v) => v !== null && v < 200)).toBe(true);
    // The per-register column (what the chart drew as one line) holds one unit only: the latest.
    expect(s.units.get(60)).toBe('MWh');
    expect(s.columns.get(60)!.filter((v) => v !== null && v >= 500)).toEqual([]);
  });

  it('from decimated buckets (envelopes never take a minimum from one unit and a maximum from another)', async () => {
    const store = await reconfiguredMeter();
    const s = await store.series(4, [60], T0, T0 + 180 * MIN, 20);
    const [gj, mwh] = s.lines;
    expect(gj!.unit).toBe('GJ');
    expect(Math.max(...mwh!.values.filter((v): v is number => v !== null))).toBeLessThan(200);
    expect(Math.min(...gj!.values.filter((v): v is number => v !== null))).toBeGreaterThanOrEqual(500);
  });

  it('from the hourly rollups (long range), with the hour of the switch in both units', async () => {
    const store = await reconfiguredMeter();
    const s = await store.series(4, [60], T0 - 400 * 3_600_000, T0 + 400 * 3_600_000, 4);
    expect(s.lines.map((l) => l.unit)).toEqual(['GJ', 'MWh']);
    const [gj, mwh] = s.lines;
    // Three hours in two buckets: [00:00–02:00) with both units, [02:00–03:00) in MWh only.
    expect(gj!.values).toEqual([500, 500.89, null, null]);
    expect(mwh!.values).toEqual([139.09, 139.119, 139.12, 139.179]);
  });
});
