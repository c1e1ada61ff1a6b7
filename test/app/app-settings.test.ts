import { describe, expect, it } from 'vitest';
import { MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../../src/kmp/index.ts';
import { AppSettings, DEFAULT_SETTINGS, pollIntervalWithinLimits } from '../../src/app/app-settings.ts';

describe('the polling interval settings keep', () => {
  it.each([
    [1.2, MIN_POLL_INTERVAL_MS],
    [0, MIN_POLL_INTERVAL_MS],
    [-5, MIN_POLL_INTERVAL_MS],
    [60_000, 60_000],
    [15 * 60_000, 15 * 60_000],
    [50_000 * 60_000, MAX_POLL_INTERVAL_MS],
    [90_000.4, 90_000],
  ])('%d ms is kept as %d ms', (given, kept) => {
    expect(pollIntervalWithinLimits(given)).toBe(kept);
    expect(new AppSettings({ pollIntervalMs: given }).values.pollIntervalMs).toBe(kept);
  });

  it.each([[NaN], [Infinity], ['5'], [true], [null]])('%j is not a number of milliseconds: not taken', (given) => {
    expect(pollIntervalWithinLimits(given)).toBeUndefined();
    const s = new AppSettings();
    s.update({ pollIntervalMs: 5 * 60_000 });
    s.update({ pollIntervalMs: given as number });
    expect(s.values.pollIntervalMs).toBe(5 * 60_000);
    expect(new AppSettings({ pollIntervalMs: given as number }).values.pollIntervalMs).toBe(
      DEFAULT_SETTINGS.pollIntervalMs,
    );
  });

  it('leaves the other settings of a patch alone', () => {
    const s = new AppSettings();
    s.update({ demoEcho: false, pollIntervalMs: 10 });
    expect(s.values.demoEcho).toBe(false);
    expect(s.values.pollIntervalMs).toBe(MIN_POLL_INTERVAL_MS);
  });
});
