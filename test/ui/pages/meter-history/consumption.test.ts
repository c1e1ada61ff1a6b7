import { describe, expect, it } from 'vitest';
import type { RegisterValue } from '../../../../src/kmp/index.ts';
import { periodUse, type EntryLike } from '../../../../src/ui/pages/meter-history/consumption.ts';
import { infoTimeline } from '../../../../src/ui/pages/meter-history/info-timeline.ts';

const gj = (decimal: string): RegisterValue => ({ id: 60, unitCode: 8, unit: 'GJ', value: Number(decimal), decimal });
const mwh = (decimal: string): RegisterValue => ({ id: 60, unitCode: 3, unit: 'MWh', value: Number(decimal), decimal });
const info = (code: number): RegisterValue => ({ id: 99, unitCode: 0, unit: '', value: code, decimal: String(code) });
const entry = (id: number, time: string, ...values: RegisterValue[]): EntryLike => ({ id, time, values });

describe('consumption per period', () => {
  it('is the exact difference of consecutive entries, oldest first, labelled by the period start', () => {
    const use = periodUse(
      [
        entry(3, '2026-03-01T00:00:00', gj('110.300')),
        entry(1, '2026-01-01T00:00:00', gj('100.100')),
        entry(2, '2026-02-01T00:00:00', gj('105.2')),
      ],
      60,
    );
    expect(use).toEqual([
      { from: '2026-01-01T00:00:00', to: '2026-02-01T00:00:00', value: 5.1, decimal: '5.100', unit: 'GJ' },
      { from: '2026-02-01T00:00:00', to: '2026-03-01T00:00:00', value: 5.1, decimal: '5.100', unit: 'GJ' },
    ]);
  });

  it('never subtracts across a unit change, a gap of ids or a missing counter', () => {
    const use = periodUse(
      [
        entry(1, 'a', gj('100.000')),
        entry(2, 'b', mwh('28.000')),
        entry(3, 'c', mwh('29.500')),
        entry(5, 'e', mwh('31.000')),
        entry(6, 'f'),
      ],
      60,
    );
    expect(use.map((u) => [u.from, u.decimal, u.unit])).toEqual([['b', '1.500', 'MWh']]);
  });

  it('keeps a counter that went backwards visible as a negative period, and sub-unit values exact', () => {
    expect(periodUse([entry(1, 'a', gj('0.10')), entry(2, 'b', gj('0.07'))], 60)[0]!.decimal).toBe('-0.03');
  });
});

describe('the info logger as a timeline', () => {
  it('lists each info code from when it was logged until the next change, in words', () => {
    const periods = infoTimeline(
      [
        entry(1, '2026-01-05T10:00:00', info(0)),
        entry(2, '2026-01-06T08:00:00', info(64)),
        entry(3, '2026-01-08T09:30:00', info(0)),
        entry(4, '2026-02-01T12:00:00', info(64)),
      ],
      '403',
    );
    expect(periods.map((p) => [p.from, p.until, p.code])).toEqual([
      ['2026-01-06T08:00:00', '2026-01-08T09:30:00', 64],
      ['2026-02-01T12:00:00', undefined, 64],
    ]);
    expect(periods[0]!.meanings.join(' ')).toMatch(/\S/);
    expect(periods[0]!.meanings.join(' ')).not.toMatch(/^\d+$/);
  });
});
