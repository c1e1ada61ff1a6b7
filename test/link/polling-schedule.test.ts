/**
 * Polling keeps a fixed grid: the k-th read starts at firstAt + k × interval, however long each
 * read takes and however late a timer fires (a hidden tab's timers run up to a minute late), so
 * a week of 15-minute polls stays on the quarter hours instead of drifting by a read's length
 * each time. A start given a future `firstAt` (a reload resuming after the last reading) waits
 * for it; a late one reads at once and keeps the grid's phase.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Reading } from '../../src/kmp/index.ts';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 0, 5, 8, 0, 0);
let session: MeterSession | undefined;

afterEach(async () => {
  session?.stopPolling();
  await session?.disconnect();
  session = undefined;
  vi.useRealTimers();
});

/** A session on a meter answering at 1200 baud in fake time: each read takes about a second. */
async function connected(): Promise<{ session: MeterSession }> {
  vi.useFakeTimers({ now: T0 });
  const meter = createVirtualMeter({ frozen: true, timing: 'realtime', turnaroundMs: 400 });
  session = new MeterSession({ now: () => Date.now() });
  await session.connect(meter.port, { label: 'virtual', demo: true });
  return { session };
}

function takenAt(readings: Reading[]): number[] {
  return readings.map((r) => r.takenAt - T0);
}

describe('polling on a fixed grid', () => {
  it('a read that takes seconds does not push the next one later: 97 reads in 24 h on the quarter hours', async () => {
    const { session } = await connected();
    const readings: Reading[] = [];
    session.onReading((r) => readings.push(r));
    session.startPolling([60, 68, 74, 80, 86, 87, 89, 99], 15 * MINUTE);
    await vi.advanceTimersByTimeAsync(24 * 60 * MINUTE + 10_000);
    expect(readings).toHaveLength(97);
    const taken = takenAt(readings);
    // Each read takes about a second on the wire; the grid keeps every start within that of its slot.
    const lateness = taken.map((t, k) => t - k * 15 * MINUTE);
    expect(Math.min(...lateness)).toBeGreaterThan(0);
    expect(Math.max(...lateness)).toBeLessThan(5_000);
    expect(Math.max(...lateness) - Math.min(...lateness)).toBeLessThan(1_000);
  });

  it('shows the slot of the next read as nextAt', async () => {
    const { session } = await connected();
    session.startPolling([60, 68], 15 * MINUTE);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(session.activity).toMatchObject({ kind: 'polling', nextAt: T0 + 15 * MINUTE });
  });

  it('a future firstAt waits for it, then keeps its grid', async () => {
    const { session } = await connected();
    const readings: Reading[] = [];
    session.onReading((r) => readings.push(r));
    session.startPolling([60, 68], 15 * MINUTE, { firstAt: T0 + 7 * MINUTE });
    expect(session.activity).toMatchObject({ kind: 'polling', nextAt: T0 + 7 * MINUTE, reads: 0 });
    await vi.advanceTimersByTimeAsync(7 * MINUTE - 1000);
    expect(readings).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(31 * MINUTE);
    const taken = takenAt(readings);
    expect(taken).toHaveLength(3);
    taken.forEach((t, k) => expect(t - (7 + 15 * k) * MINUTE).toBeLessThan(5_000));
  });

  it('a firstAt already past reads at once and keeps that grid’s phase', async () => {
    const { session } = await connected();
    const readings: Reading[] = [];
    session.onReading((r) => readings.push(r));
    // The last reading was 20 minutes ago: the slot 15 minutes after it is overdue by 5.
    session.startPolling([60, 68], 15 * MINUTE, { firstAt: T0 - 5 * MINUTE });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(readings).toHaveLength(1);
    expect(session.activity).toMatchObject({ kind: 'polling', nextAt: T0 + 10 * MINUTE });
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(readings).toHaveLength(2);
    expect(readings[1]!.takenAt - T0 - 10 * MINUTE).toBeLessThan(5_000);
  });

  it('a timer that fires minutes late (a hidden tab) reads once, not once per missed slot', async () => {
    const { session } = await connected();
    const readings: Reading[] = [];
    session.onReading((r) => readings.push(r));
    session.startPolling([60, 68], 1 * MINUTE);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(readings).toHaveLength(1);
    // The clock jumps 10 minutes with no timer run in between, as when a laptop sleeps.
    vi.setSystemTime(Date.now() + 10 * MINUTE);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(readings).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(readings).toHaveLength(2);
    // Back on the grid of the start: the slots are whole minutes after T0.
    const next = (session.activity as { nextAt: number }).nextAt;
    expect((next - T0) % MINUTE).toBe(0);
    expect(next).toBeGreaterThan(Date.now());
  });
});
