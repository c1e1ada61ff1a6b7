/**
 * Every logger a 0xB8 meter has (src/link/logger-list.ts, MeterSession.listLoggers): one sub-05
 * request per type, the silent types listed as absent, a meter without the read-out told after
 * two silent requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CID, LOGGER_TYPE, loggerConfigHeaderNames } from '../../src/kmp/index.ts';
import type { MeterSession } from '../../src/link/index.ts';
import { connectedSession } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => Promise.all(sessions.splice(0).map((s) => s.disconnect())));

describe('listLoggers', () => {
  it('a 603: each logger it keeps, with depth and registers; the configuration type is absent', async () => {
    const { meter, session } = await connectedSession(sessions, { model: '603' });
    const shown: string[] = [];
    session.subscribe(() => {
      const a = session.activity;
      if (a.kind === 'logger') shown.push(`${a.done}/${a.total}`);
    });
    const list = await session.listLoggers();
    expect(list.configs.map((c) => c.logger)).toEqual([
      LOGGER_TYPE.info,
      LOGGER_TYPE.year,
      LOGGER_TYPE.month,
      LOGGER_TYPE.day,
      LOGGER_TYPE.hour,
      LOGGER_TYPE.minute1,
      LOGGER_TYPE.minute2,
    ]);
    expect(list.absent).toEqual([0]);
    expect(list.requests).toBe(8);
    const year = list.configs.find((c) => c.logger === LOGGER_TYPE.year)!;
    expect(year.depth).toBe(20);
    expect(year.registers).toContain(60);
    expect(loggerConfigHeaderNames(year.header)).toMatchObject({ date1: [1, 1] });
    expect(meter.received.filter((r) => r.cid === CID.Logger)).toHaveLength(8);
    expect(shown.at(-1)).toBe('8/8');
  });

  it('a 402: no logger read-out, said after two silent requests', async () => {
    const { meter, session } = await connectedSession(sessions, { model: '402' });
    await expect(session.listLoggers()).rejects.toMatchObject({ kind: 'no-logger' });
    expect(meter.received.filter((r) => r.cid === CID.Logger)).toHaveLength(2);
  });
});
