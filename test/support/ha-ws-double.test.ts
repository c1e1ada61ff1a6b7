/**
 * Each rule of the Home Assistant WebSocket double (test/support/ha-ws-double.ts), spoken to with a
 * bare WebSocket as any client would: the double must refuse what Home Assistant 2025.6 refuses,
 * or the tests that use it prove nothing.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HaWsDouble } from './ha-ws-double.ts';

interface Client {
  next(): Promise<Record<string, unknown>>;
  send(msg: unknown): void;
  closed: Promise<number>;
}

async function client(base: string): Promise<Client> {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/websocket`);
  const queue: Record<string, unknown>[] = [];
  const waiting: Array<(m: Record<string, unknown>) => void> = [];
  ws.on('message', (d) => {
    const m = JSON.parse((d as Buffer).toString()) as Record<string, unknown>;
    const w = waiting.shift();
    if (w) w(m);
    else queue.push(m);
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    next: () => (queue.length ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiting.push(resolve))),
    send: (msg) => ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg)),
    closed,
  };
}

async function authed(base: string, token = 'admin'): Promise<Client> {
  const c = await client(base);
  await c.next();
  c.send({ type: 'auth', access_token: token });
  expect((await c.next()).type).toBe('auth_ok');
  return c;
}

const meta = (over: Record<string, unknown> = {}) => ({
  has_mean: false,
  has_sum: true,
  name: 'Heat',
  source: 'kmp_web',
  statistic_id: 'kmp_web:heat_energy_1',
  unit_of_measurement: 'GJ',
  ...over,
});

let ha: HaWsDouble;
let base: string;
let nextId = 1;

async function call(c: Client, msg: Record<string, unknown>) {
  c.send({ id: nextId++, ...msg });
  return c.next();
}

beforeEach(async () => {
  ha = new HaWsDouble({ tokens: { admin: { admin: true }, guest: { admin: false } } });
  base = await ha.start();
  nextId = 1;
});
afterEach(() => ha.stop());

describe('rule 1: auth phase', () => {
  it('greets with auth_required and the version, and accepts a known token', async () => {
    const c = await client(base);
    expect(await c.next()).toEqual({ type: 'auth_required', ha_version: '2025.6.3' });
    c.send({ type: 'auth', access_token: 'admin' });
    expect(await c.next()).toEqual({ type: 'auth_ok', ha_version: '2025.6.3' });
  });

  it('refuses an unknown token with auth_invalid and closes', async () => {
    const c = await client(base);
    await c.next();
    c.send({ type: 'auth', access_token: 'nope' });
    expect(await c.next()).toEqual({ type: 'auth_invalid', message: 'Invalid access token or password' });
    await c.closed;
  });

  it('refuses a command before auth and closes', async () => {
    const c = await client(base);
    await c.next();
    c.send({ id: 1, type: 'get_config' });
    expect((await c.next()).type).toBe('auth_invalid');
    await c.closed;
  });

  it('closes the connections of a revoked token and refuses it afterwards', async () => {
    const c = await authed(base);
    ha.revoke('admin');
    await c.closed;
    const d = await client(base);
    await d.next();
    d.send({ type: 'auth', access_token: 'admin' });
    expect((await d.next()).type).toBe('auth_invalid');
  });
});

describe('rule 2: commands and results', () => {
  it('answers in the result shape, and refuses an id that does not increase', async () => {
    const c = await authed(base);
    const ok = await call(c, { type: 'get_config' });
    expect(ok).toMatchObject({ id: 1, type: 'result', success: true, result: { time_zone: 'Europe/Copenhagen' } });
    c.send({ id: 1, type: 'get_config' });
    expect(await c.next()).toEqual({
      id: 1,
      type: 'result',
      success: false,
      error: { code: 'id_reuse', message: 'Identifier values have to increase.' },
    });
  });

  it('says unknown_command for a type it does not know', async () => {
    const c = await authed(base);
    expect(await call(c, { type: 'recorder/nonsense' })).toMatchObject({
      success: false,
      error: { code: 'unknown_command', message: 'Unknown command.' },
    });
  });

  it('says invalid_format for a message outside the schema', async () => {
    const c = await authed(base);
    const noMeta = await call(c, { type: 'recorder/import_statistics', stats: [] });
    expect(noMeta).toMatchObject({ success: false, error: { code: 'invalid_format' } });
    const extra = await call(c, {
      type: 'recorder/import_statistics',
      metadata: meta({ unit_class: 'energy' }),
      stats: [],
    });
    expect(extra).toMatchObject({ success: false, error: { code: 'invalid_format' } });
    const noMean = await call(c, {
      type: 'recorder/import_statistics',
      metadata: { ...meta(), has_mean: undefined },
      stats: [],
    });
    expect(noMean).toMatchObject({ success: false, error: { code: 'invalid_format' } });
  });

  it('tells the user whether they are an administrator', async () => {
    const c = await authed(base, 'guest');
    expect(await call(c, { type: 'auth/current_user' })).toMatchObject({ result: { is_admin: false } });
  });
});

describe('rule 3: import_statistics', () => {
  const row = { start: '2026-01-01T10:00:00+00:00', state: 5, sum: 0 };

  it('is admin-only', async () => {
    const c = await authed(base, 'guest');
    expect(await call(c, { type: 'recorder/import_statistics', metadata: meta(), stats: [row] })).toMatchObject({
      success: false,
      error: { code: 'unauthorized', message: 'Unauthorized' },
    });
    expect(ha.statistic('kmp_web:heat_energy_1')).toEqual([]);
  });

  it.each([
    'kmp_web:Heat_energy_1',
    'kmp_web:heat-energy-1',
    'kmp_web:heat__energy',
    'kmp_web:_heat',
    'kmp_web:heat_',
    'kmp_web',
  ])('refuses the statistic id %s', async (statistic_id) => {
    const c = await authed(base);
    expect(
      await call(c, { type: 'recorder/import_statistics', metadata: meta({ statistic_id }), stats: [row] }),
    ).toMatchObject({ success: false, error: { code: 'home_assistant_error', message: 'Invalid statistic_id' } });
  });

  it('refuses a source other than the id’s domain', async () => {
    const c = await authed(base);
    expect(
      await call(c, { type: 'recorder/import_statistics', metadata: meta({ source: 'recorder' }), stats: [row] }),
    ).toMatchObject({ success: false, error: { message: 'Invalid source' } });
  });

  it('refuses a row off the hour, and a row without a time zone', async () => {
    const c = await authed(base);
    const off = await call(c, {
      type: 'recorder/import_statistics',
      metadata: meta(),
      stats: [{ ...row, start: '2026-01-01T10:30:00+00:00' }],
    });
    expect(off).toMatchObject({ success: false, error: { message: 'Invalid timestamp' } });
    const naive = await call(c, {
      type: 'recorder/import_statistics',
      metadata: meta(),
      stats: [{ ...row, start: '2026-01-01T10:00:00' }],
    });
    expect(naive).toMatchObject({ success: false, error: { message: 'Naive timestamp' } });
    expect(ha.statistic('kmp_web:heat_energy_1')).toEqual([]);
  });

  it('upserts rows by start, and takes the unit last sent', async () => {
    const c = await authed(base);
    await call(c, { type: 'recorder/import_statistics', metadata: meta(), stats: [row] });
    const again = await call(c, {
      type: 'recorder/import_statistics',
      metadata: meta({ unit_of_measurement: 'MWh' }),
      stats: [{ ...row, sum: 1 }],
    });
    expect(again).toMatchObject({ success: true, result: null });
    expect(ha.statistic('kmp_web:heat_energy_1')).toEqual([{ start: Date.parse(row.start) / 1000, state: 5, sum: 1 }]);
    expect(ha.meta.get('kmp_web:heat_energy_1')?.unit_of_measurement).toBe('MWh');
  });
});

describe('rules 4 and 5: reading statistics back', () => {
  async function seed(c: Client) {
    const stats = [0, 1, 2, 3].map((h) => ({
      start: `2026-01-01T${String(20 + h).padStart(2, '0')}:00:00+00:00`,
      state: 10 + h,
      sum: h * 2,
    }));
    await call(c, { type: 'recorder/import_statistics', metadata: meta(), stats });
  }

  it('gives hourly rows in ms with sum, state and change from the sum before start_time', async () => {
    const c = await authed(base);
    await seed(c);
    const r = await call(c, {
      type: 'recorder/statistics_during_period',
      start_time: '2026-01-01T21:00:00Z',
      end_time: '2026-01-01T23:00:00Z',
      statistic_ids: ['kmp_web:heat_energy_1'],
      period: 'hour',
      types: ['sum', 'change'],
    });
    expect(r.result).toEqual({
      'kmp_web:heat_energy_1': [
        { start: Date.parse('2026-01-01T21:00:00Z'), end: Date.parse('2026-01-01T22:00:00Z'), sum: 2, change: 2 },
        { start: Date.parse('2026-01-01T22:00:00Z'), end: Date.parse('2026-01-01T23:00:00Z'), sum: 4, change: 2 },
      ],
    });
  });

  it('takes the first change against 0 when nothing comes before', async () => {
    const c = await authed(base);
    await seed(c);
    const r = await call(c, {
      type: 'recorder/statistics_during_period',
      start_time: '2026-01-01T00:00:00Z',
      statistic_ids: ['kmp_web:heat_energy_1'],
      period: 'hour',
      types: ['change'],
    });
    const rows = (r.result as Record<string, Array<{ change: number }>>)['kmp_web:heat_energy_1']!;
    expect(rows.map((x) => x.change)).toEqual([0, 2, 2, 2]);
  });

  it('groups days in HA’s time zone (Copenhagen midnight is 23:00 UTC in winter)', async () => {
    const c = await authed(base);
    await seed(c);
    const r = await call(c, {
      type: 'recorder/statistics_during_period',
      start_time: '2026-01-01T00:00:00Z',
      statistic_ids: ['kmp_web:heat_energy_1'],
      period: 'day',
      types: ['sum'],
    });
    const rows = (r.result as Record<string, Array<{ start: number; sum: number }>>)['kmp_web:heat_energy_1']!;
    // 20:00, 21:00, 22:00 UTC are 1 January in Copenhagen; 23:00 UTC is 2 January.
    expect(rows).toEqual([
      { start: Date.parse('2025-12-31T23:00:00Z'), end: Date.parse('2026-01-01T23:00:00Z'), sum: 4 },
      { start: Date.parse('2026-01-01T23:00:00Z'), end: Date.parse('2026-01-02T23:00:00Z'), sum: 6 },
    ]);
  });

  it('lists the metadata of what it holds', async () => {
    const c = await authed(base);
    await seed(c);
    const r = await call(c, {
      type: 'recorder/get_statistics_metadata',
      statistic_ids: ['kmp_web:heat_energy_1', 'x:y'],
    });
    expect(r.result).toEqual([
      expect.objectContaining({
        statistic_id: 'kmp_web:heat_energy_1',
        statistics_unit_of_measurement: 'GJ',
        unit_class: 'energy',
      }),
    ]);
  });
});

describe('rules 6 and 7: limits and versions', () => {
  it('closes the socket on a message over 4 MiB', async () => {
    const c = await authed(base);
    c.send({ id: 1, type: 'ping', pad: 'x'.repeat(4 * 1024 * 1024 + 1) });
    expect(await c.closed).toBe(1009);
  });

  it('an older Core does not know a command', async () => {
    await ha.stop();
    ha = new HaWsDouble({ version: '2021.8.0', tooOld: ['recorder/import_statistics'] });
    base = await ha.start();
    const c = await authed(base);
    expect(await call(c, { type: 'recorder/import_statistics', metadata: meta(), stats: [] })).toMatchObject({
      error: { code: 'unknown_command' },
    });
  });
});
