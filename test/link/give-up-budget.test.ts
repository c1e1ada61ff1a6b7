import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_REGISTERS } from '../../src/kmp/index.ts';
import { LinkError, type MeterSession } from '../../src/link/index.ts';
import { SEED_IDS, connect, connectedSession } from './helpers.ts';

const sessions: MeterSession[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.disconnect();
});

/**
 * A line that damages every reply (stray light, a head half off the window) must not cost the
 * meter's battery more than a few healthy reads: split-and-retry rescues a flaky line, but once
 * nothing gets through it only spends requests.
 */
describe('giving up kindly on a line that damages every reply', () => {
  for (const [name, ids] of [
    ['the default live registers', DEFAULT_LIVE_REGISTERS],
    ['the reference project’s 31 registers', SEED_IDS],
    ['one register', [0x3c]],
  ] as const) {
    it(`reads ${name} with at most 3× a healthy read’s requests, and says why it stopped`, async () => {
      const { meter, client } = await connect();
      await client.readRegisters(ids);
      const healthy = meter.stats.requests;
      expect(healthy).toBe(Math.ceil(ids.length / 8));

      meter.faults = { corruptRate: 1 };
      const error = await client.readRegisters(ids).then(
        () => undefined,
        (e: unknown) => e,
      );
      const spent = meter.stats.requests - healthy;
      expect(error).toBeInstanceOf(LinkError);
      expect((error as LinkError).kind).toBe('bad-crc');
      expect((error as LinkError).message).toMatch(/every reply was damaged.*stopped after \d+ requests/i);
      expect((error as LinkError).advice).toMatch(/battery/);
      expect(spent).toBeLessThanOrEqual(3 * healthy);
      // Not given up at once either: each request of a healthy read is tried before giving up.
      expect(spent).toBeGreaterThanOrEqual(healthy);
      await client.close();
    });
  }

  it('still rescues a line that lets some replies through, value for value', async () => {
    const { meter, client } = await connect({ seed: 7 });
    const healthyValues = (await client.readRegisters(SEED_IDS)).values;
    meter.faults = { corruptRate: 0.4 };
    const result = await client.readRegisters(SEED_IDS);
    expect(result.values).toEqual(healthyValues);
    expect(result.failed).toEqual([]);
    await client.close();
  });

  it('gives up on one damaged batch without giving up the read: the others still come', async () => {
    const { meter, client } = await connect();
    const good = (await client.readRegisters(SEED_IDS)).values;
    let n = 0;
    // The first three requests (one batch and its retries) damaged, then a clean line.
    meter.faults = { corruptRate: 1 };
    const before = meter.stats.requests;
    const off = setInterval(() => {
      if (meter.stats.requests - before >= 3 && n++ === 0) meter.faults = {};
    }, 1);
    const result = await client.readRegisters(SEED_IDS);
    clearInterval(off);
    expect(result.values.length).toBeGreaterThan(0);
    expect(result.values.length + result.failed.flatMap((f) => f.ids).length).toBe(good.length);
    await client.close();
  });

  it('costs a poll on such a line at most 3× a healthy poll, and polling goes on to the next one', async () => {
    const { meter, session } = await connectedSession(sessions);
    await session.identifyAndRead(DEFAULT_LIVE_REGISTERS);
    let before = meter.stats.requests;
    await session.readNow(DEFAULT_LIVE_REGISTERS);
    const healthy = meter.stats.requests - before;

    meter.faults = { corruptRate: 1 };
    before = meter.stats.requests;
    await expect(session.readNow(DEFAULT_LIVE_REGISTERS)).rejects.toBeInstanceOf(LinkError);
    expect(meter.stats.requests - before).toBeLessThanOrEqual(3 * healthy);
    expect(session.lastError?.message).toMatch(/every reply was damaged/i);
    // Still connected: the next poll asks again, and a clean line reads at once.
    meter.faults = {};
    await expect(session.readNow(DEFAULT_LIVE_REGISTERS)).resolves.toMatchObject({ serial: meter.serial });
  });
});
