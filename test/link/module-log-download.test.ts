/**
 * A 601's and an 801's logs downloaded through the session (MeterSession.readLogger →
 * src/link/module-log-reader.ts): on the logger module's address, page by page up to the newest
 * record, resuming from what is held, stopping on Cancel and at the budget, and in words when a
 * 601 carries no logger module.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CID, LOGGER_ADDRESS, LOGGER_TYPE, recordsWithin } from '../../src/kmp/index.ts';
import { LinkError, type MeterSession } from '../../src/link/index.ts';
import type { VirtualMeter, VirtualMeterOptions } from '../../src/sim/index.ts';
import { connectedSession } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => Promise.all(sessions.splice(0).map((s) => s.disconnect())));

const NOW = Date.parse('2026-03-10T12:30:00Z');
const connected = async (options: VirtualMeterOptions) => {
  const c = await connectedSession(sessions, { now: () => NOW, ...options });
  await c.session.identify();
  return c;
};
const loggerRequests = (meter: VirtualMeter) =>
  meter.received.filter((r) => r.cid !== CID.GetType && r.cid !== CID.GetSerialNo && r.cid !== CID.GetRegister);

describe('601 and 801 logs through the session', () => {
  it('a 601 (known by its type code): the monthly log over 0x7F, never 0xB8, each record once and in order', async () => {
    const { meter, session } = await connected({ model: '601' });
    expect(session.identity?.model).toBe('MULTICAL 601');
    const progress: number[] = [];
    const result = await session.readLogger(LOGGER_TYPE.month, [60, 68], { onProgress: (p) => progress.push(p.done) });
    expect(result.complete).toBe(true);
    expect(result.entries).toHaveLength(36);
    const ids = result.entries.map((e) => e.id).reverse();
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    expect(result.entries.every((e) => /^\d{4}-\d\d-01T00:00:00$/.test(e.time))).toBe(true);
    expect(result.newestId).toBe(ids.at(-1));
    const asked = loggerRequests(meter);
    expect(asked.every((r) => r.cid === CID.GetLogIdPresent && r.dst === LOGGER_ADDRESS.topModule)).toBe(true);
    // One probe, then pages of as many records as 128 bytes hold (1003, 1002, 60, 68: 5 records).
    expect(recordsWithin(128, 4)).toBe(5);
    expect(asked).toHaveLength(1 + Math.ceil(35 / 5));
    expect(progress.at(-1)).toBe(36);
  });

  it('an 801: 0xB8 (silent, asked twice as one lost reply is not yet silence), then its own logger on 0x7F; the next download asks only for what is new', async () => {
    const { meter, session } = await connected({ model: '801' });
    const first = await session.readLogger(LOGGER_TYPE.day, [60], { maxRequests: 400 });
    expect(first.entries.length).toBe(460);
    expect(loggerRequests(meter).filter((r) => r.cid === CID.Logger)).toHaveLength(2);
    const before = meter.received.length;
    const again = await session.readLogger(LOGGER_TYPE.day, [60], { have: new Set(first.entries.map((e) => e.id)) });
    expect(again.entries).toEqual([]);
    expect(again.complete).toBe(true);
    // Only the probe: no 0xB8 again, no page.
    expect(meter.received.slice(before).map((r) => [r.cid, r.dst])).toEqual([[CID.GetLogIdPresent, 0x7f]]);
  });

  it('resumes where a held range ends, and stops on Cancel and at the budget with what it read', async () => {
    const { session } = await connected({ model: '601' });
    const held = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((i) => i));
    const r = await session.readLogger(LOGGER_TYPE.month, [60], { have: held });
    expect(r.entries.every((e) => !held.has(e.id))).toBe(true);
    const budget = await session.readLogger(LOGGER_TYPE.hour, [60], { maxRequests: 3 });
    expect(budget).toMatchObject({ complete: false, stoppedBy: 'budget', requests: 3 });
    expect(budget.entries.length).toBeGreaterThan(0);
    const abort = new AbortController();
    const cancelled = await session.readLogger(LOGGER_TYPE.hour, [60], {
      signal: abort.signal,
      onProgress: (p) => p.requests >= 2 && abort.abort(),
    });
    expect(cancelled).toMatchObject({ complete: false, stoppedBy: 'cancelled' });
  });

  it('a 601 with a base module: answered on 0xBF', async () => {
    const { meter, session } = await connected({ model: '601', loggerModule: 'base' });
    const r = await session.readLogger(LOGGER_TYPE.year, [60]);
    expect(r.entries.length).toBeGreaterThan(0);
    expect(loggerRequests(meter).at(-1)!.dst).toBe(LOGGER_ADDRESS.baseModule);
  });

  it('a 601 without a logger module: said in words after one silent request on each module address', async () => {
    const { meter, session } = await connected({ model: '601', loggerModule: 'none' });
    const err = await session.readLogger(LOGGER_TYPE.month, [60]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).kind).toBe('no-logger');
    expect((err as LinkError).advice).toMatch(/a 601 only with a logger module/);
    expect(loggerRequests(meter).map((r) => r.dst)).toEqual([0x7f, 0xbf]);
    // Not asked again this session.
    const again = await session.readLogger(LOGGER_TYPE.month, [60]).catch((e: unknown) => e);
    expect(again).toMatchObject({ kind: 'no-logger' });
    expect(loggerRequests(meter)).toHaveLength(2);
  });

  it('a 402 (known by its type code): the silent 0xB8 request and its one retry, no module address tried', async () => {
    const { meter, session } = await connected({ model: '402' });
    await expect(session.readLogger(LOGGER_TYPE.month, [60])).rejects.toMatchObject({ kind: 'no-logger' });
    expect(loggerRequests(meter).map((r) => [r.cid, r.dst])).toEqual([
      [CID.Logger, 0x3f],
      [CID.Logger, 0x3f],
    ]);
  });
});
