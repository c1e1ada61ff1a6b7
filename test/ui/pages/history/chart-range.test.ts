import { describe, expect, it } from 'vitest';
import { shownRange } from '../../../../src/ui/pages/history/chart-range.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 28, 12);

describe('the time axis the history chart shows', () => {
  it('is the chosen range, whatever the readings in it', () => {
    const chosen = [NOW - 30 * DAY, NOW] as const;
    expect(shownRange(chosen, [])).toEqual([NOW - 30 * DAY, NOW]);
    expect(shownRange(chosen, [NOW - 5000])).toEqual([NOW - 30 * DAY, NOW]);
    expect(shownRange(chosen, [NOW - 2 * DAY, NOW - DAY])).toEqual([NOW - 30 * DAY, NOW]);
  });

  it('is the readings’ own span for "everything"', () => {
    expect(shownRange([0, NOW], [NOW - 3 * DAY, NOW - DAY, NOW - 2 * DAY])).toEqual([NOW - 3 * DAY, NOW - DAY]);
  });

  it('puts a lone point in the middle of two hours for "everything", and nothing without points', () => {
    expect(shownRange([0, NOW], [NOW - DAY])).toEqual([NOW - DAY - 3_600_000, NOW - DAY + 3_600_000]);
    expect(shownRange([0, NOW], [])).toBeUndefined();
  });
});
