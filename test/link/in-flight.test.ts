/**
 * What the session and the client do while a request is on the wire: the cases a test can only
 * reach by holding a reply back (found by mutation testing). Fake timers drive a
 * realtime virtual meter, so each request takes the time 1200 baud takes and nothing more.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CID } from '../../src/kmp/index.ts';
import { KmpClient, MeterSession, type Activity, type SerialPortLike } from '../../src/link/index.ts';
import { createVirtualMeter, type VirtualMeter } from '../../src/sim/index.ts';
import { FAST, SEED_IDS } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

/** A session on a meter that answers at 1200 baud after `turnaroundMs`, under fake timers. */
async function slowMeter(turnaroundMs = 300): Promise<{ meter: VirtualMeter; session: MeterSession }> {
  vi.useFakeTimers({ now: 1_000_000 });
  const meter = createVirtualMeter({ frozen: true, timing: 'realtime', turnaroundMs });
  const session = new MeterSession({ client: { ...FAST, firstByteTimeoutMs: 2_000 } });
  sessions.push(session);
  await session.connect(meter.port, { label: 'slow', demo: true });
  return { meter, session };
}

/** Every activity the session shows, in order, without repeats. */
function activities(session: MeterSession): string[] {
  const seen: string[] = [];
  session.subscribe(() => {
    const kind: Activity['kind'] = session.activity.kind;
    if (seen.at(-1) !== kind) seen.push(kind);
  });
  return seen;
}

describe('a reply cut off by the total deadline', () => {
  it('is logged as received bytes, cut, after the request that was sent', async () => {
    vi.useFakeTimers();
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    let timer: ReturnType<typeof setInterval> | undefined;
    // Answers with a frame start and then a byte every 100 ms, never the stop byte.
    const port: SerialPortLike = {
      readable: new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }),
      writable: new WritableStream<Uint8Array>({
        write: () => {
          controller.enqueue(Uint8Array.of(0x40));
          timer = setInterval(() => controller.enqueue(Uint8Array.of(0x3f)), 100);
        },
      }),
    };
    const client = new KmpClient(port, { interByteTimeoutMs: 200, retries: 0, replyDeadlineMs: 1_000 });
    const result = client.getSerialNo().catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    clearInterval(timer);
    await result;
    const [request, cut] = client.log.all();
    expect(request).toMatchObject({ dir: 'tx', kind: 'request' });
    expect(cut).toMatchObject({ dir: 'rx', kind: 'cut' });
    expect(cut!.hex.startsWith('40 3F 3F')).toBe(true);
    void client.close();
  });
});

describe('alignment while each request takes a while', () => {
  it('starts a request once a period, counting the time the last one took', async () => {
    const { meter, session } = await slowMeter(300);
    const startedAt: number[] = [];
    const count = () => meter.stats.requests;
    session.startAlign(60_000, 1_000);
    let seen = 0;
    for (let t = 0; t < 5_000; t += 10) {
      await vi.advanceTimersByTimeAsync(10);
      if (count() > seen) {
        seen = count();
        startedAt.push(Date.now());
      }
    }
    session.stopAlign();
    // A GetSerialNo takes ~300 ms turnaround + the wire; each tick still starts 1 s after the last.
    expect(startedAt.length).toBeGreaterThanOrEqual(5);
    const gaps = startedAt.slice(1).map((t, i) => t - startedAt[i]!);
    for (const gap of gaps) {
      expect(gap).toBeGreaterThanOrEqual(990);
      expect(gap).toBeLessThanOrEqual(1_020);
    }
  });
});

describe('a read and polling at the same time', () => {
  it('a read asked for during polling leaves the activity at polling, not reading', async () => {
    const { session } = await slowMeter(300);
    session.startPolling([0x3c], 60_000);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(session.activity.kind).toBe('polling');
    const seen = activities(session);
    const read = session.readNow([0x3c, 0x44]);
    await vi.advanceTimersByTimeAsync(3_000);
    await read;
    expect(seen).not.toContain('reading');
    expect(session.activity.kind).toBe('polling');
  });

  it('polling started during a read is still shown after the read ends', async () => {
    const { session } = await slowMeter(300);
    const read = session.readNow(SEED_IDS.slice(0, 8));
    await vi.advanceTimersByTimeAsync(50);
    expect(session.activity.kind).toBe('reading');
    session.startPolling([0x3c], 60_000);
    await vi.advanceTimersByTimeAsync(6_000);
    await read;
    expect(session.activity.kind).toBe('polling');
  });
});

describe('a scan interrupted by another activity', () => {
  for (const [what, start] of [
    ['polling', (s: MeterSession) => s.startPolling([0x3c], 60_000)],
    ['alignment', (s: MeterSession) => s.startAlign(60_000, 1_000)],
  ] as const) {
    it(`stops when ${what} starts, after the batch on the wire`, async () => {
      const { meter, session } = await slowMeter(300);
      const candidates = Array.from({ length: 64 }, (_, i) => 0x3c + i);
      const scan = session.scan(candidates, 64, 99);
      await vi.advanceTimersByTimeAsync(50);
      start(session);
      await vi.advanceTimersByTimeAsync(10_000);
      const result = await scan;
      expect(result.stoppedEarly).toBe('stopped by you');
      // The first batch only: 8 ids asked by the scan, the rest of the requests are polling's.
      expect(result.supported.length + result.unsupported.length).toBeLessThanOrEqual(8);
      // Register requests only: alignment's own GetSerialNo requests go on once a second.
      expect(meter.received.filter((r) => r.cid === CID.GetRegister).length).toBeLessThan(8);
    });
  }

  it('alignment that takes over a scan goes on after the scan’s last batch, and stays on show', async () => {
    const { session } = await slowMeter(300);
    const candidates = Array.from({ length: 64 }, (_, i) => 0x3c + i);
    const scan = session.scan(candidates, 64, 99);
    await vi.advanceTimersByTimeAsync(50);
    session.startAlign(60_000, 1_000);
    const seen = activities(session);
    await vi.advanceTimersByTimeAsync(10_000);
    await scan;
    // The scan's last progress once replaced alignment on show, and alignment then stopped itself.
    expect(seen).not.toContain('scanning');
    expect(session.activity).toMatchObject({ kind: 'aligning', counts: { ok: expect.any(Number) } });
    expect((session.activity as Extract<Activity, { kind: 'aligning' }>).counts.ok).toBeGreaterThanOrEqual(5);
    session.stopAlign();
  });
});
