/**
 * The session as a coordinator of activities: what the busy rule refuses with the session itself,
 * and that each activity's stop (its AbortSignal) ends it, whoever pulls it and whenever.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CID, LOGGER_TYPE } from '../../src/kmp/index.ts';
import { MeterSession, type StartableActivity } from '../../src/link/index.ts';
import type { VirtualMeterOptions } from '../../src/sim/index.ts';
import { connectedSession } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

const connected = (options: VirtualMeterOptions = {}) => connectedSession(sessions, options);

const STARTABLE: readonly StartableActivity[] = ['reading', 'polling', 'aligning', 'scanning', 'logger'];
const startable = (s: MeterSession) => STARTABLE.filter((a) => s.canStart(a));

describe('the busy rule, asked of the session', () => {
  it('offers nothing before connecting, everything once connected, nothing once the port is lost', async () => {
    expect(startable(new MeterSession())).toEqual([]);
    const { meter, session } = await connected();
    expect(startable(session)).toEqual(STARTABLE);
    meter.unplug();
    await vi.waitUntil(() => session.state.kind === 'lost');
    expect(startable(session)).toEqual([]);
  });

  it('while polling offers a read and a download, and refuses a scan, saying why', async () => {
    const { session } = await connected();
    session.startPolling([60], 60_000);
    expect(startable(session)).toEqual(['reading', 'logger']);
    await expect(session.scan([60, 68])).rejects.toMatchObject({
      kind: 'busy',
      message: 'The meter is busy polling: stop polling, then try again.',
      detail: 'polling',
    });
    session.stopPolling();
  });

  it('tells its listeners when a download started while polling begins and ends', async () => {
    const { session } = await connected();
    session.startPolling([60], 60_000);
    await vi.waitUntil(() => session.lastReading !== undefined);
    const told: boolean[] = [];
    session.subscribe(() => told.push(session.canStart('reading')));
    const download = session.readLogger(LOGGER_TYPE.month, [60], { maxRequests: 1 });
    expect(told).toEqual([false]);
    await download;
    expect(told.at(-1)).toBe(true);
    session.stopPolling();
  });

  it('offers nothing once disconnecting has begun, before the port has closed', async () => {
    const { session } = await connected();
    const closing = session.disconnect();
    expect(session.state.kind).toBe('connected');
    expect(startable(session)).toEqual([]);
    await closing;
  });

  it('a scan shows the budget as its total from the start', async () => {
    const { meter, session } = await connected({ model: '403' });
    const shown: string[] = [];
    session.subscribe(() => {
      const a = session.activity;
      if (a.kind === 'scanning') shown.push(`${a.done}/${a.total}`);
    });
    await session.scan(meter.supportedRegisters.slice(0, 20), 8, 2);
    expect(shown).toEqual(['0/8', '8/8']);
  });

  it('refuses a second read while one is on its way', async () => {
    const { session } = await connected();
    const first = session.readNow([60]);
    expect(startable(session)).toEqual([]);
    await expect(session.identify()).rejects.toMatchObject({ kind: 'busy', detail: 'reading' });
    await first;
    expect(startable(session)).toEqual(STARTABLE);
  });
});

describe('stopping an activity through its signal', () => {
  it('a scan stops after the batch on the wire when the caller’s signal aborts', async () => {
    const { meter, session } = await connected({ model: '403' });
    const stop = new AbortController();
    const ids = meter.supportedRegisters.slice(0, 20);
    const p = session.scan(ids, 64, 2, { signal: stop.signal });
    stop.abort();
    const r = await p;
    expect(r.stoppedEarly).toBe('stopped by you');
    expect(r.supported).toHaveLength(8);
  });

  it('a download is cancelled by the caller’s signal', async () => {
    const { meter, session } = await connected();
    const stop = new AbortController();
    const result = await session.readLogger(LOGGER_TYPE.day, [60], {
      onEntries: () => stop.abort(),
      signal: stop.signal,
    });
    expect(result).toMatchObject({ complete: false, stoppedBy: 'cancelled' });
    expect(meter.received.filter((r) => r.cid === CID.Logger).length).toBeLessThan(5);
  });

  it('polling stopped by a listener as it shows its next read is due reads no more', async () => {
    vi.useFakeTimers();
    const { meter, session } = await connected();
    session.subscribe(() => {
      if (session.activity.kind === 'polling' && session.activity.reads === 1) session.stopPolling();
    });
    session.startPolling([60], 60_000);
    await vi.advanceTimersByTimeAsync(1_000);
    const asked = meter.stats.requests;
    // One reading: its registers, then the serial for it (the meter is not identified).
    expect(asked).toBe(2);
    await vi.advanceTimersByTimeAsync(5 * 60_000);
    expect(meter.stats.requests).toBe(asked);
    expect(session.activity).toEqual({ kind: 'idle' });
  });

  it('alignment stopped by a listener as it shows an answer asks no more', async () => {
    vi.useFakeTimers();
    const { meter, session } = await connected();
    session.subscribe(() => {
      if (session.activity.kind === 'aligning' && session.activity.counts.ok === 1) session.stopAlign();
    });
    session.startAlign(60_000, 1_000);
    await vi.advanceTimersByTimeAsync(500);
    const asked = meter.stats.requests;
    expect(asked).toBe(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(meter.stats.requests).toBe(asked);
    expect(session.activity).toEqual({ kind: 'idle' });
  });
});
