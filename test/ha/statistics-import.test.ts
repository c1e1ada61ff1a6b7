/**
 * The demo 603's hourly and daily loggers, downloaded as the app downloads them, sent to the Home
 * Assistant WebSocket double (test/support/ha-ws-double.ts) through Home Assistant's own client
 * and read back as the Energy dashboard reads them (statistics_during_period, change).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { subtractDecimals } from '../../src/kmp/exact-decimal.ts';
import { LOGGER_TYPE } from '../../src/kmp/index.ts';
import { openHa, type HaSession } from '../../src/ha/ha-connection.ts';
import { HaError } from '../../src/ha/ha-error.ts';
import { planStatistics, type EntryLike, type PlannedStatistic } from '../../src/ha/statistic-plan.ts';
import { importStatistics } from '../../src/ha/statistics-import.ts';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { FAST } from '../link/helpers.ts';
import { aedesBroker } from '../support/brokers.ts';
import { HaWsDouble } from '../support/ha-ws-double.ts';

const ZONE = 'Europe/Copenhagen';
/** A Sunday in November: the hourly logger's 45 days reach back over the end of summer time. */
const NOW = Date.parse('2026-11-08T09:20:00Z');
const INSTALLED = Date.parse('2024-01-10T08:00:00Z');
const HEAT = 'kmp_web:heat_energy_';

beforeAll(() => {
  // Node 20 has no WebSocket of its own; Home Assistant's client uses the global one, as in a browser.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
});

/** The demo meter's clock: the later download reads the same meter ten days on. */
let clock = NOW;
const meter = createVirtualMeter({ model: '603', frozen: true, now: () => clock, installedAt: INSTALLED, seed: 7 });

async function download(now: number): Promise<{ serial: number; entries: EntryLike[] }> {
  clock = now;
  const session = new MeterSession({ client: FAST });
  await session.connect(meter.port, { label: 'virtual', demo: true });
  try {
    const entries: EntryLike[] = [];
    for (const logger of [LOGGER_TYPE.hour, LOGGER_TYPE.day])
      entries.push(...(await session.readLogger(logger, [60, 68])).entries);
    return { serial: meter.serial, entries };
  } finally {
    await session.disconnect();
  }
}

let ha: HaWsDouble;
let base: string;
const open: HaSession[] = [];
const connect = async (token = 'admin') => {
  const s = await openHa(base, token);
  open.push(s);
  return s;
};

async function startHa(options: ConstructorParameters<typeof HaWsDouble>[0] = {}) {
  ha = new HaWsDouble({ tokens: { admin: { admin: true }, guest: { admin: false } }, ...options });
  base = await ha.start();
}

afterEach(async () => {
  open.splice(0).forEach((s) => s.close());
  await ha?.stop();
});

let first: { serial: number; entries: EntryLike[] };
let later: { serial: number; entries: EntryLike[] };
beforeAll(async () => {
  first = await download(NOW);
  later = await download(NOW + 10 * 86_400_000);
}, 60_000);

const plan = (d: { serial: number; entries: EntryLike[] }) =>
  planStatistics({ serial: d.serial, model: '603', entries: d.entries, timeZone: ZONE });

/** The Energy dashboard's view: each hour's change, by start (ms). */
async function changes(s: HaSession, id: string): Promise<Map<number, number>> {
  const r = await s.call<Record<string, Array<{ start: number; change: number }>>>({
    type: 'recorder/statistics_during_period',
    start_time: '2000-01-01T00:00:00Z',
    statistic_ids: [id],
    period: 'hour',
    types: ['change'],
  });
  return new Map((r[id] ?? []).map((x) => [x.start, x.change]));
}

/** A change as HA computes it, to the meter's resolution (`places` decimals). */
const rounded = (n: number, places: number) => n.toFixed(places);
const places = (d: string) => d.split('.')[1]?.length ?? 0;

function expectChangesMatchLogger(stat: PlannedStatistic, got: Map<number, number>) {
  for (let i = 1; i < stat.rows.length; i++) {
    const [a, b] = [stat.rows[i - 1]!, stat.rows[i]!];
    const want = subtractDecimals(b.state, a.state);
    expect(rounded(got.get(b.start)!, places(want)), `${b.time}`).toBe(rounded(Number(want), places(want)));
  }
}

describe('the demo 603’s loggers in Home Assistant', () => {
  it('plans one statistic per quantity in the meter’s unit, hourly rows first, daily rows only before them', () => {
    const p = plan(first);
    expect(p.problems).toEqual([]);
    expect(p.statistics.map((s) => [s.id, s.unit])).toEqual([
      [`${HEAT}${first.serial}`, first.entries[0]!.values.find((v) => v.id === 60)!.unit],
      [`kmp_web:volume_${first.serial}`, 'm³'],
    ]);
    const heat = p.statistics[0]!;
    const [hourly, daily] = heat.sources;
    expect(hourly).toMatchObject({
      name: { id: 'kmp.logger.5', en: 'hourly' },
      rows: first.entries.filter((e) => e.logger === LOGGER_TYPE.hour).length,
    });
    expect(daily!.name).toEqual({ id: 'kmp.logger.4', en: 'daily' });
    // No daily row inside the hours: the last daily row is older than the first hourly one.
    const firstHour = heat.rows.find((r) => r.logger === LOGGER_TYPE.hour)!.start;
    expect(Math.max(...heat.rows.filter((r) => r.logger === LOGGER_TYPE.day).map((r) => r.start))).toBeLessThan(
      firstHour,
    );
    // Every row on the hour, one per hour.
    expect(heat.rows.every((r) => r.start % 3_600_000 === 0)).toBe(true);
    expect(new Set(heat.rows.map((r) => r.start)).size).toBe(heat.rows.length);
  });

  it('stamps a daily entry at the meter’s midnight in Copenhagen, summer and winter alike', () => {
    const heat = plan(first).statistics[0]!;
    const summer = heat.rows.find((r) => r.logger === LOGGER_TYPE.day && r.time.startsWith('2026-07-01'))!;
    const winter = heat.rows.find((r) => r.logger === LOGGER_TYPE.day && r.time.startsWith('2026-01-15'))!;
    // 00:00 in Copenhagen is 22:00 UTC the day before in summer, 23:00 in winter; the row is the hour before.
    expect(new Date(summer.start).toISOString()).toBe('2026-06-30T21:00:00.000Z');
    expect(new Date(winter.start).toISOString()).toBe('2026-01-14T22:00:00.000Z');
  });

  it('gives every hour the logger’s own difference, exact, and a second import changes nothing', async () => {
    await startHa();
    const p = plan(first);
    const s = await connect();
    const sent = await importStatistics(s, p.statistics);
    expect(sent.map((x) => x.rows)).toEqual(p.statistics.map((x) => x.rows.length));
    expect(sent.every((x) => x.heldAfter === x.rows && x.heldBefore === 0)).toBe(true);
    // A new statistic starts at 0: the consumption before the first entry is not known.
    expect(sent[0]!.first.sum).toMatch(/^0(\.0+)?$/);
    for (const stat of p.statistics) expectChangesMatchLogger(stat, await changes(s, stat.id));
    const before = p.statistics.map((x) => ha.statistic(x.id));
    const again = await importStatistics(s, plan(first).statistics);
    expect(again.map((x) => x.heldBefore)).toEqual(p.statistics.map((x) => x.rows.length));
    expect(p.statistics.map((x) => ha.statistic(x.id))).toEqual(before);
  });

  it('continues the sums without a step after an overlapping later download', async () => {
    await startHa();
    const s = await connect();
    const p1 = plan(first);
    await importStatistics(s, p1.statistics);
    const held = new Map(ha.statistic(p1.statistics[0]!.id).map((r) => [r.start, r.sum]));
    const p2 = plan(later);
    await importStatistics(s, p2.statistics);
    const heat = p2.statistics[0]!;
    const now = ha.statistic(heat.id);
    // The hours both downloads have keep their sums; the new ones continue from them.
    for (const r of now)
      if (held.has(r.start)) expect(r.sum, new Date(r.start * 1000).toISOString()).toBe(held.get(r.start));
    expect(now.length).toBeGreaterThan(held.size);
    // No step anywhere: each hour's change (as the Energy dashboard reads it) is the counter's own rise.
    const got = await changes(s, heat.id);
    const decimals = places(heat.rows[0]!.state);
    for (let i = 1; i < now.length; i++) {
      const [a, b] = [now[i - 1]!, now[i]!];
      expect(rounded(got.get(b.start * 1000)!, decimals), new Date(b.start * 1000).toISOString()).toBe(
        rounded(b.state! - a.state!, decimals),
      );
    }
  });

  it('reports a year of hourly rows in messages HA takes (none over 4 MiB)', async () => {
    await startHa();
    const s = await connect();
    const start = Date.parse('2025-11-01T00:00:00Z');
    const rows = Array.from({ length: 8760 }, (_, i) => ({
      start: start + i * 3_600_000,
      state: (1000 + i * 0.012).toFixed(3),
      logger: LOGGER_TYPE.hour,
      time: '',
    }));
    const stat: PlannedStatistic = {
      id: 'kmp_web:heat_energy_9',
      name: 'Heat',
      quantity: 'heat_energy',
      unit: 'GJ',
      meterUnit: 'GJ',
      rows,
      sources: [],
    };
    const [sent] = await importStatistics(s, [stat]);
    expect(sent!.heldAfter).toBe(8760);
    expect(sent!.last.sum).toBe('105.108');
    expect(ha.received.filter((m) => m.type === 'recorder/import_statistics')).toHaveLength(5);
  });
});

describe('what goes wrong, in words, with nothing a retry would double', () => {
  it('an HA that closes the socket mid-import: told so, and sending again gives what one clean import gives', async () => {
    const p = plan(first);
    await startHa();
    await importStatistics(await connect(), p.statistics);
    const clean = p.statistics.map((x) => ha.statistic(x.id));
    await ha.stop();

    await startHa({ closeOnImport: 2 });
    const err = await importStatistics(await connect(), p.statistics).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HaError);
    expect((err as HaError).kind).toBe('lost');
    expect((err as HaError).message).toMatch(/closed before it answered/);
    expect((err as HaError).advice).toMatch(/never adds/);
    ha.closeOnImport = undefined;
    await importStatistics(await connect(), p.statistics);
    expect(p.statistics.map((x) => ha.statistic(x.id))).toEqual(clean);
  });

  it('a token revoked between two sends: the second is refused in words, and not retried', async () => {
    await startHa();
    const p = plan(first);
    const s = await connect();
    await importStatistics(s, p.statistics);
    s.close();
    ha.revoke('admin');
    const err = await connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'wrong-token', message: expect.stringMatching(/refused the access token/) });
    expect(ha.received.filter((m) => m.type === 'recorder/import_statistics').length).toBe(
      p.statistics.reduce((n, x) => n + Math.ceil(x.rows.length / 2000), 0),
    );
  });

  it('a token of a user who is not an administrator: said before anything is sent', async () => {
    await startHa();
    const err = await importStatistics(await connect('guest'), plan(first).statistics).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'not-admin', message: expect.stringMatching(/not an administrator/) });
    expect(ha.received.some((m) => m.type === 'recorder/import_statistics')).toBe(false);
  });

  it('a statistic HA already holds in another unit: refused, HA left as it was', async () => {
    await startHa();
    const p = plan(first);
    const heat = p.statistics[0]!;
    const s = await connect();
    await importStatistics(s, [{ ...heat, unit: heat.unit === 'MWh' ? 'GJ' : 'MWh' }]);
    const before = ha.statistic(heat.id);
    const err = await importStatistics(s, p.statistics).catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'unit',
      message: expect.stringMatching(/already holds .* in .*Nothing was sent/),
    });
    expect(ha.statistic(heat.id)).toEqual(before);
    expect(ha.statistic(p.statistics[1]!.id)).toEqual([]);
  });

  it('an HA too old for the import: says which command it lacks', async () => {
    await startHa({ version: '2021.8.0', tooOld: ['recorder/get_statistics_metadata'] });
    const err = await importStatistics(await connect(), plan(first).statistics).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'too-old', message: expect.stringMatching(/2021\.8\.0 does not know/) });
  });

  it('a wrong token: refused at once, one attempt only', async () => {
    await startHa();
    const err = await connect('wrong').catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'wrong-token', advice: expect.stringMatching(/does not try again/) });
  });

  it('an address that is a plain web server: not Home Assistant', async () => {
    await startHa();
    const web = createServer((_q, res) => res.end('hello'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
    try {
      const err = await connect().catch((e: unknown) => e);
      expect(err).toMatchObject({
        kind: 'unreachable',
        message: expect.stringMatching(/nothing there accepted a Home Assistant connection/),
      });
    } finally {
      web.close();
    }
  });

  it('an address that is an MQTT broker’s WebSocket: something, but not Home Assistant', async () => {
    await startHa();
    const broker = await aedesBroker();
    base = broker.wsUrl.replace(/^ws/, 'http');
    try {
      const err = await connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'not-ha', message: expect.stringMatching(/did not answer as Home Assistant/) });
    } finally {
      await broker.close();
    }
  });

  it('nothing listening at all', async () => {
    await startHa();
    await ha.stop();
    const err = await connect().catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'unreachable' });
  });
});
