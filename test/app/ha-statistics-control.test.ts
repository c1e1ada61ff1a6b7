/**
 * "Send to Home Assistant" in the app layer (src/app/ha-statistics-control.ts) over fake IndexedDB
 * and the Home Assistant WebSocket double: the token sealed at rest, one send at a time, and the
 * polled readings going the same way once an hour, on by itself after a reload.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { HaStatisticsControl } from '../../src/app/ha-statistics-control.ts';
import { HA_SETTING_KEY } from '../../src/app/ha-setting-key.ts';
import { LOGGER_TYPE } from '../../src/kmp/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { HaWsDouble } from '../support/ha-ws-double.ts';
import { reading } from '../store/helpers.ts';
import { closeApps, english, startApp, until } from './helpers.ts';

const TOKEN = 'llat-unit-0123456789abcdef';
const HOUR = 3_600_000;
let n = 0;
let ha: HaWsDouble;
let haUrl: string;

beforeAll(() => {
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
});
beforeEach(async () => {
  ha = new HaWsDouble({ tokens: { [TOKEN]: { admin: true } } });
  haUrl = await ha.start();
});
afterEach(async () => {
  await closeApps();
  await ha.stop();
});

async function configured(name: string, live: boolean): Promise<HaStatisticsControl> {
  const app = startApp(name);
  const control = (await app.homeAssistant())!;
  await control.save({ address: haUrl, token: TOKEN, live });
  return control;
}

const imports = () => ha.received.filter((m) => m.type === 'recorder/import_statistics').length;

describe('HaStatisticsControl', () => {
  it('keeps the token sealed: the stored record never holds it as text', async () => {
    const name = `ha-ctl-${++n}`;
    const app = startApp(name);
    const control = (await app.homeAssistant())!;
    await control.save({ address: haUrl.replace('http://', ''), token: TOKEN, live: false });
    const db = (await app.store)!;
    const raw = await db.getSetting<Record<string, unknown>>(HA_SETTING_KEY);
    expect(raw?.address).toBe(haUrl);
    expect(JSON.stringify(raw)).not.toContain(TOKEN);
    expect(control.state).toMatchObject({ tokenSaved: true, address: haUrl });
  });

  it('sends once when asked twice while a send runs, and says when nothing is stored yet', async () => {
    const name = `ha-ctl-${++n}`;
    const control = await configured(name, false);
    expect(await control.send(1)).toBeUndefined();
    expect(english(control.state.error)).toMatch(/download a log first/);
    const app = startApp(`${name}-b`);
    const db = (await app.store)!;
    const c2 = (await app.homeAssistant())!;
    await c2.save({ address: haUrl, token: TOKEN, live: false });
    const entries = [1, 2, 3].map((id) => ({
      logger: LOGGER_TYPE.day,
      id,
      time: `2026-01-0${id}T00:00:00`,
      values: [{ id: 60, unitCode: 8, unit: 'GJ', value: id, decimal: `${id}.000` }],
    }));
    await db.saveLoggerEntries(9, entries, Date.now());
    const [a, b] = [c2.send(9), c2.send(9)];
    expect(a).toBe(b);
    const result = await a;
    expect(result?.statistics.map((s) => [s.id, s.rows])).toEqual([['kmp_web:heat_energy_9', 3]]);
    expect(imports()).toBe(1);
  });

  it('sends the polled readings as hourly rows once an hour, and goes on after a reload', async () => {
    const name = `ha-ctl-${++n}`;
    const control = await configured(name, true);
    const app1 = startApp(name);
    const db = (await app1.store)!;
    const t0 = Date.parse('2026-11-02T08:00:00Z');
    // Four readings in two hours; the last of each hour is that hour's row.
    for (const [at, gj] of [
      [t0 + 10 * 60_000, '100.010'],
      [t0 + 50 * 60_000, '100.050'],
      [t0 + HOUR + 5 * 60_000, '100.070'],
      [t0 + HOUR + 55 * 60_000, '100.120'],
    ] as const)
      await db.saveReading(reading(4, at, gj));
    await control.readingSaved(4, t0 + 2 * HOUR + 60_000);
    expect(ha.statistic('kmp_web:heat_energy_4')).toEqual([
      { start: t0 / 1000, state: 100.05, sum: 0 },
      { start: (t0 + HOUR) / 1000, state: 100.12, sum: 0.07 },
    ]);
    expect(english(control.state.liveStatus)).toMatch(/2 hourly row\(s\)/);
    // Within the same hour, nothing more is sent.
    await control.readingSaved(4, t0 + 2 * HOUR + 30 * 60_000);
    expect(imports()).toBe(1);

    // A reload: the live choice is kept, and a reading saved by polling sends the hours completed
    // since (here one polled an hour ago, before the reload).
    const anHourAgo = Date.now() - HOUR;
    await db.saveReading(reading(5, anHourAgo, '200.000'));
    await closeApps();
    const app = startApp(name);
    await app.ready;
    const meter = createVirtualMeter({ model: '603', frozen: true, serial: 5 });
    await app.session.connect(meter.port, { label: 'virtual', demo: true });
    await app.session.identifyAndRead([60, 68]);
    await until(
      () => ha.statistic('kmp_web:heat_energy_5'),
      (rows) => rows.length > 0,
    );
    expect(ha.statistic('kmp_web:heat_energy_5')).toEqual([
      { start: Math.floor(anHourAgo / HOUR) * (HOUR / 1000), state: 200, sum: 0 },
    ]);
    await app.session.disconnect();
  });
});
