/**
 * A logger download as the session's activity (MeterSession.readLogger): what the page is shown
 * while it runs, what is passed through to the download, and which failures the session remembers.
 * Found by mutation testing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CID, LOGGER_TYPE } from '../../src/kmp/index.ts';
import {
  LinkError,
  MeterSession,
  SessionBusyError,
  type LoggerProgress,
  type LoggerReadResult,
} from '../../src/link/index.ts';
import type { VirtualMeter, VirtualMeterOptions } from '../../src/sim/index.ts';
import { connectedSession, settle } from './helpers.ts';

const until = async (ok: () => boolean) => {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
};

const sessions: MeterSession[] = [];
afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

const connected = (options: VirtualMeterOptions = {}) => connectedSession(sessions, options);

const loggerRequests = (meter: VirtualMeter) => meter.received.filter((r) => r.cid === CID.Logger).length;

describe('MeterSession.readLogger', () => {
  it('shows the download’s progress as its activity, and hands it on to the caller', async () => {
    const { session } = await connected();
    await session.identify();
    const shown: string[] = [];
    session.subscribe(() => {
      const a = session.activity;
      shown.push(a.kind === 'logger' ? `logger ${a.logger}: ${a.done}/${a.total} in ${a.requests}` : a.kind);
    });
    const told: LoggerProgress[] = [];
    const result = await session.readLogger(LOGGER_TYPE.month, [60], { onProgress: (p) => told.push({ ...p }) });
    expect(result.entries).toHaveLength(36);
    expect(told.length).toBeGreaterThan(0);
    const last = told.at(-1)!;
    expect(last.done).toBe(36);
    // Shown: the start, each progress the caller is told of, then idle.
    expect(shown).toEqual([
      `logger ${LOGGER_TYPE.month}: 0/0 in 0`,
      ...told.map((p) => `logger ${LOGGER_TYPE.month}: ${p.done}/${p.total} in ${p.requests}`),
      'idle',
    ]);
  });

  it('passes the caller’s options to the download: a budget of one request stops it there', async () => {
    const { meter, session } = await connected();
    const result = await session.readLogger(LOGGER_TYPE.month, [60], { maxRequests: 1 });
    expect(result.complete).toBe(false);
    expect(loggerRequests(meter)).toBe(1);
  });

  it('works before the meter is identified, and then asks a meter without loggers again after a reconnect', async () => {
    vi.useFakeTimers();
    const { meter, session } = await connected({ model: '402' });
    expect(await settle(session.readLogger(LOGGER_TYPE.month, [60]))).toMatchObject({ kind: 'no-logger' });
    await session.connect(meter.port, { label: 'again' });
    expect(await settle(session.readLogger(LOGGER_TYPE.month, [60]))).toMatchObject({ kind: 'no-logger' });
    // Twice per connection (one lost reply is not yet silence), on both connections.
    expect(loggerRequests(meter)).toBe(4);
  });

  it('a download that failed for silence is not taken for a meter without loggers', async () => {
    vi.useFakeTimers();
    const { meter, session } = await connected();
    await settle(session.identify());
    meter.faults = { dropRate: 1 };
    const e = await settle(session.readLogger(LOGGER_TYPE.month, [60]));
    expect(e).toBeInstanceOf(LinkError);
    expect((e as LinkError).kind).toBe('no-answer');
    meter.faults = {};
    await session.connect(meter.port, { label: 'again' });
    await settle(session.identify());
    const result = await settle(session.readLogger(LOGGER_TYPE.month, [60]));
    expect(result).not.toBeInstanceOf(LinkError);
    expect((result as LoggerReadResult).entries).toHaveLength(36);
  });

  it('refuses a read while downloading, and says so in words', async () => {
    const { session } = await connected();
    expect(session.canStart('reading')).toBe(true);
    const download = session.readLogger(LOGGER_TYPE.month, [60]);
    expect(session.activity.kind).toBe('logger');
    // The one busy rule the pages ask: the Meter page offered "Read now" here and the read was refused.
    expect(session.canStart('reading')).toBe(false);
    const refused = await session.readNow([60]).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SessionBusyError);
    expect(refused).toMatchObject({
      kind: 'busy',
      message: 'The meter is busy downloading its monthly logger: wait for it or cancel it, then try again.',
      advice: expect.any(String),
      detail: 'logger',
    });
    await download;
    expect(session.activity).toEqual({ kind: 'idle' });
    expect(session.canStart('reading')).toBe(true);
  });

  it('counts a download started while polling as busy, though polling stays on show', async () => {
    const { session } = await connected();
    session.startPolling([60], 60_000);
    await until(() => session.lastReading !== undefined);
    expect(session.canStart('logger')).toBe(true);
    const download = session.readLogger(LOGGER_TYPE.day, [60], { maxRequests: 3 });
    expect(session.activity.kind).toBe('polling');
    expect(session.canStart('reading')).toBe(false);
    expect(session.canStart('logger')).toBe(false);
    await expect(session.readLogger(LOGGER_TYPE.month, [60])).rejects.toMatchObject({
      kind: 'busy',
      message: 'The meter is busy downloading its daily logger: wait for it or cancel it, then try again.',
    });
    await download;
    expect(session.canStart('reading')).toBe(true);
    session.stopPolling();
  });

  it('a download started while polling leaves polling on show', async () => {
    const { session } = await connected();
    session.startPolling([60], 60_000);
    const seen: string[] = [];
    session.subscribe(() => seen.push(session.activity.kind));
    const result = await session.readLogger(LOGGER_TYPE.month, [60]);
    expect(result.entries).toHaveLength(36);
    expect(seen).not.toContain('logger');
    expect(session.activity.kind).toBe('polling');
    session.stopPolling();
  });
});
