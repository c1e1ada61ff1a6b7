import { subtractDecimals } from '../../../kmp/exact-decimal.ts';
import type { EntryLike } from './consumption.ts';

/** Register ids: volume V1, and the day's time-averaged flow and return temperatures (603/303, docs/registers.md). */
const VOLUME = 0x44;
const DAY_AVG_T1 = 379;
const DAY_AVG_T2 = 380;

/** The cooling of one month or year: the return temperature and ΔT weighted by the volume that flowed. */
export interface CoolingPeriod {
  /** "2026-03" or "2026". */
  period: string;
  /** Volume in the period, exact, in the meter's unit. */
  volume: string;
  volumeUnit: string;
  /** Volume-weighted mean return temperature T2, °C. */
  returnTemp: number;
  /** Volume-weighted mean T1 − T2, K. */
  deltaT: number;
  /** Days that went into it. */
  days: number;
  /** Set when a limit was given: the return temperature is above it (utilities charge for poor cooling). */
  aboveLimit?: boolean;
}

/**
 * Cooling per month or year from the daily log. A daily entry holds the counter at the day's start
 * and the time averages of the day before it, so each pair of consecutive entries gives one day:
 * the volume between them, and the later entry's averages. Days with no flow weigh nothing; days
 * without the averages (a logger that does not record 379 and 380), a gap in the ids or a change
 * of the volume's unit are left out. Temperatures are rounded to 0.01.
 */
export function coolingReport(
  entries: readonly EntryLike[],
  by: 'month' | 'year',
  returnLimit?: number,
): CoolingPeriod[] {
  const oldestFirst = [...entries].sort((a, b) => a.id - b.id);
  const groups = new Map<
    string,
    { volume: string; unit: string; t2: number; dt: number; weight: number; days: number }
  >();
  for (let i = 1; i < oldestFirst.length; i++) {
    const [a, b] = [oldestFirst[i - 1]!, oldestFirst[i]!];
    if (b.id !== a.id + 1) continue;
    const va = a.values.find((v) => v.id === VOLUME);
    const vb = b.values.find((v) => v.id === VOLUME);
    const t1 = b.values.find((v) => v.id === DAY_AVG_T1);
    const t2 = b.values.find((v) => v.id === DAY_AVG_T2);
    if (!va || !vb || !t1 || !t2 || va.unitCode !== vb.unitCode) continue;
    const flowed = subtractDecimals(vb.decimal, va.decimal);
    const w = Number(flowed);
    if (!(w >= 0)) continue;
    const key = by === 'month' ? a.time.slice(0, 7) : a.time.slice(0, 4);
    const g = groups.get(key) ?? { volume: '0', unit: vb.unit, t2: 0, dt: 0, weight: 0, days: 0 };
    if (g.unit !== vb.unit) continue;
    g.volume = subtractDecimals(g.volume, `-${flowed.replace(/^-/, '')}`);
    g.t2 += w * t2.value;
    g.dt += w * (t1.value - t2.value);
    g.weight += w;
    g.days++;
    groups.set(key, g);
  }
  return [...groups.entries()]
    .filter(([, g]) => g.weight > 0)
    .map(([period, g]) => {
      const returnTemp = Math.round((g.t2 / g.weight) * 100) / 100;
      return {
        period,
        volume: g.volume,
        volumeUnit: g.unit,
        returnTemp,
        deltaT: Math.round((g.dt / g.weight) * 100) / 100,
        days: g.days,
        ...(returnLimit !== undefined ? { aboveLimit: returnTemp > returnLimit } : {}),
      };
    });
}

/** The report as CSV (RFC 4180, a header line), for a spreadsheet or the utility. */
export function coolingCsv(rows: readonly CoolingPeriod[], returnLimit?: number): string {
  const head = ['period', 'days', 'volume', 'volume unit', 'return temperature [°C]', 'delta T [K]'];
  if (returnLimit !== undefined) head.push(`above ${returnLimit} °C`);
  const lines = rows.map((r) =>
    [r.period, r.days, r.volume, r.volumeUnit, r.returnTemp.toFixed(2), r.deltaT.toFixed(2)]
      .concat(returnLimit !== undefined ? [r.aboveLimit ? 'yes' : 'no'] : [])
      .join(','),
  );
  return [head.join(','), ...lines].join('\r\n') + '\r\n';
}
