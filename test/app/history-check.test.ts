/**
 * A download proves the history it continues (src/app/history-check.ts, downloadLoggerAndKeep):
 * the newest entry held is read again; the same meter passes, a meter with the same serial but
 * another history (replaced, reset, the head on another meter) stops the download, stores
 * nothing of it, and keeps both versions with the meter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LOGGER_TYPE } from '../../src/kmp/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { closeApps, english, startApp } from './helpers.ts';

afterEach(closeApps);

const SERIAL = 81234567;
const NOW = Date.parse('2026-03-10T12:30:00Z');
let n = 0;

async function connected(name: string, seed: number) {
  const app = startApp(name);
  await app.ready;
  const meter = createVirtualMeter({ model: '603', frozen: true, serial: SERIAL, seed, now: () => NOW });
  await app.session.connect(meter.port, { label: 'virtual', demo: true });
  await app.session.identify();
  return { app, meter };
}

describe('a download that proves the history it continues', () => {
  it('the same meter: nothing new is nothing new, and no change is reported', async () => {
    const name = `history-${++n}`;
    const { app } = await connected(name, 7);
    const first = await app.downloadLogger(LOGGER_TYPE.month, [60, 68]);
    expect(first.entries).toHaveLength(36);
    const again = await app.downloadLogger(LOGGER_TYPE.month, [60, 68]);
    expect(again).toMatchObject({ entries: [], complete: true });
    expect(again.historyChanged).toBeUndefined();
    const db = (await app.store)!;
    expect((await db.getMeter(SERIAL))?.historyChanges).toBeUndefined();
  });

  it('another history under the same serial: stopped, told, nothing stored, both versions kept', async () => {
    const name = `history-${++n}`;
    const a = await connected(name, 7);
    await a.app.downloadLogger(LOGGER_TYPE.month, [60, 68]);
    const db = (await a.app.store)!;
    const before = await db.loggerEntries(SERIAL, LOGGER_TYPE.month);
    await a.app.session.disconnect();

    const b = await connected(name, 8);
    const r = await b.app.downloadLogger(LOGGER_TYPE.month, [60, 68]);
    expect(r.complete).toBe(false);
    expect(english(r.historyChanged)).toMatch(
      /^The meter's history changed: entry \d+ of the monthly log is not what was downloaded before \(register 60: .* here, .* now.*\)\. .*both versions are kept/,
    );
    const db2 = (await b.app.store)!;
    expect(await db2.loggerEntries(SERIAL, LOGGER_TYPE.month)).toEqual(before);
    const changes = (await db2.getMeter(SERIAL))?.historyChanges ?? [];
    expect(changes).toHaveLength(1);
    expect(changes[0]!.stored).toEqual(before.at(-1));
    expect(changes[0]!.again.id).toBe(before.at(-1)!.id);
    expect(changes[0]!.again.values.find((v) => v.id === 60)!.decimal).not.toBe(
      changes[0]!.stored.values.find((v) => v.id === 60)!.decimal,
    );
  });
});
