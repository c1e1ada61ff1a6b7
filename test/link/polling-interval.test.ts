/**
 * Polling must never run faster than the shortest interval the
 * app offers, and an interval beyond setTimeout's 2^31−1 ms (which fires at once) must still wait.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '../../src/kmp/index.ts';
import { MIN_POLL_INTERVAL_MS, MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST } from './helpers.ts';

const MINUTE = 60_000;
let session: MeterSession | undefined;

afterEach(async () => {
  session?.stopPolling();
  await session?.disconnect();
  session = undefined;
  vi.useRealTimers();
});

async function polling(intervalMs: number): Promise<{ reads: Reading[]; session: MeterSession }> {
  vi.useFakeTimers();
  const meter = createVirtualMeter({ frozen: true });
  session = new MeterSession({ client: FAST, now: () => Date.now() });
  await session.connect(meter.port, { label: 'virtual', demo: true });
  const reads: Reading[] = [];
  session.onReading((r) => reads.push(r));
  session.startPolling([60, 68], intervalMs);
  await vi.advanceTimersByTimeAsync(100); // the first read, at once
  expect(reads).toHaveLength(1);
  return { reads, session };
}

describe('polling intervals', () => {
  it('the minimum is one minute, the shortest interval the app offers', () => {
    expect(MIN_POLL_INTERVAL_MS).toBe(MINUTE);
  });

  it('0.00002 minutes never polls faster than the minimum', async () => {
    const { reads, session } = await polling(0.00002 * MINUTE);
    expect(session.activity).toMatchObject({ kind: 'polling', intervalMs: MIN_POLL_INTERVAL_MS });
    await vi.advanceTimersByTimeAsync(MIN_POLL_INTERVAL_MS - 200);
    expect(reads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(400);
    expect(reads).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10 * MIN_POLL_INTERVAL_MS);
    expect(reads).toHaveLength(12);
  });

  it('50000 minutes (past setTimeout’s 2^31−1 ms) does not fire early, and does fire', async () => {
    const interval = 50_000 * MINUTE;
    expect(interval).toBeGreaterThan(2 ** 31 - 1);
    const { reads, session } = await polling(interval);
    expect(session.activity).toMatchObject({ kind: 'polling', intervalMs: interval });
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(reads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(interval - 2 ** 31 - 1000);
    expect(reads).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(2000);
    expect(reads).toHaveLength(2);
  });

  it('stopping during a long wait stops it', async () => {
    const { reads, session } = await polling(40_000 * MINUTE);
    await vi.advanceTimersByTimeAsync(2 ** 31);
    session.stopPolling();
    await vi.advanceTimersByTimeAsync(40_000 * MINUTE);
    expect(reads).toHaveLength(1);
  });

  it('refuses an interval that is not a number, in words', async () => {
    const meter = createVirtualMeter({ frozen: true });
    session = new MeterSession({ client: FAST });
    await session.connect(meter.port, { label: 'virtual', demo: true });
    expect(() => session!.startPolling([60], NaN)).toThrow(/polling interval/i);
    expect(() => session!.startPolling([60], Infinity)).toThrow(/polling interval/i);
  });
});
