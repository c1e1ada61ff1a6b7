/**
 * The cooling report (src/ui/pages/meter-history/cooling.ts): return temperature and ΔT weighted
 * by the volume that flowed, per month and year, from daily entries written by hand.
 */
import { describe, expect, it } from 'vitest';
import type { RegisterValue } from '../../../../src/kmp/index.ts';
import { coolingCsv, coolingReport } from '../../../../src/ui/pages/meter-history/cooling.ts';

const v = (id: number, decimal: string, unit: string, unitCode = 0): RegisterValue => ({
  id,
  unitCode,
  unit,
  value: Number(decimal),
  decimal,
});

function day(id: number, date: string, m3: string, t1?: string, t2?: string, unitCode = 41) {
  return {
    id,
    time: `${date}T00:00:00`,
    values: [v(0x44, m3, 'm³', unitCode), ...(t1 ? [v(379, t1, '°C', 37)] : []), ...(t2 ? [v(380, t2, '°C', 37)] : [])],
  };
}

describe('coolingReport', () => {
  const march = [
    day(1, '2026-03-01', '100.00', '70.00', '40.00'),
    day(2, '2026-03-02', '102.00', '70.00', '40.00'), // 2 m³ at T2 40, ΔT 30
    day(3, '2026-03-03', '105.00', '60.00', '30.00'), // 3 m³ at T2 30, ΔT 30
    day(4, '2026-03-04', '105.00', '90.00', '80.00'), // no flow: weighs nothing
    day(5, '2026-04-01', '106.00', '65.00', '45.00'), // 1 m³, counted in March (the day starting 03-04)
  ];

  it('weights by volume: days without flow count for nothing', () => {
    expect(coolingReport(march, 'month')).toEqual([
      { period: '2026-03', volume: '6.00', volumeUnit: 'm³', returnTemp: 35.83, deltaT: 28.33, days: 4 },
    ]);
  });

  it('says which periods are above a return-temperature limit', () => {
    const april = [...march, day(6, '2026-04-02', '110.00', '60.00', '45.00')];
    const rows = coolingReport(april, 'month', 40);
    expect(rows.map((r) => [r.period, r.returnTemp, r.aboveLimit])).toEqual([
      ['2026-03', 35.83, false],
      ['2026-04', 45, true],
    ]);
    expect(coolingReport(april, 'year').map((r) => [r.period, r.volume, r.days])).toEqual([['2026', '10.00', 5]]);
  });

  it('leaves out gaps, days without the averages and a changed unit', () => {
    const rows = coolingReport(
      [
        day(1, '2026-03-01', '100.00', '70.00', '40.00'),
        day(3, '2026-03-03', '105.00', '60.00', '30.00'), // gap: ids 1 → 3
        day(4, '2026-03-04', '106.00'), // no averages
        day(5, '2026-03-05', '107.00', '60.00', '35.00', 40), // unit code changed
      ],
      'month',
    );
    expect(rows).toEqual([]);
  });

  it('writes the CSV with a header and one line per period', () => {
    const csv = coolingCsv(coolingReport(march, 'month', 40), 40);
    expect(csv).toBe(
      'period,days,volume,volume unit,return temperature [°C],delta T [K],above 40 °C\r\n2026-03,4,6.00,m³,35.83,28.33,no\r\n',
    );
  });
});
