/**
 * The meter's exact decimals in the reader's language (src/ui/common/exact-number-format.ts and
 * formatValue): the separator follows Intl, the digits never change, no grouping; the CSV export
 * keeps the dot whatever the browser's language.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reading, RegisterValue } from '../../../src/kmp/index.ts';
import { readingsToCsv } from '../../../src/store/export-csv.ts';
import { formatExactDecimal } from '../../../src/ui/common/exact-number-format.ts';
import { formatValue } from '../../../src/ui/common/format.ts';

afterEach(() => vi.unstubAllGlobals());

const mwh = (decimal: string): RegisterValue => ({ id: 60, unitCode: 3, unit: 'MWh', value: Number(decimal), decimal });

describe('formatExactDecimal', () => {
  it.each([
    ['de', '55,006'],
    ['nl', '55,006'],
    ['da', '55,006'],
    ['sv', '55,006'],
    ['en', '55.006'],
  ])('55.006 in %s is %s', (locale, shown) => {
    expect(formatExactDecimal('55.006', locale)).toBe(shown);
  });

  it('keeps every digit, groups none, and writes the minus as the language does', () => {
    expect(formatExactDecimal('1234567.0000000001', 'de')).toBe('1234567,0000000001');
    expect(formatExactDecimal('-3.50', 'de')).toBe('-3,50');
    expect(formatExactDecimal('-3.50', 'sv')).toBe('\u22123,50');
    expect(formatExactDecimal('42', 'de')).toBe('42');
  });

  it('leaves what is not a plain decimal as it is', () => {
    for (const text of ['1e5', 'abc', '', '1.2.3', '.5']) expect(formatExactDecimal(text, 'de')).toBe(text);
  });
});

it('55.006 MWh shows as 55,006 MWh in a German browser, and the CSV still says 55.006', () => {
  vi.stubGlobal('navigator', { language: 'de-DE' });
  const v = mwh('55.006');
  expect(`${formatValue(v)} ${v.unit}`).toBe('55,006 MWh');
  const reading: Reading = { serial: 1, takenAt: Date.UTC(2026, 0, 1), values: [v] };
  const csv = [...readingsToCsv([reading], [{ id: 60, unit: 'MWh' }])].join('');
  expect(csv).toBe('time,reg 60 [MWh]\r\n2026-01-01T00:00:00.000Z,55.006\r\n');
});
