/**
 * A double of Home Assistant's WebSocket API (/api/websocket) for what kmp-web asks of it: the
 * auth phase, `get_config`, `auth/current_user` and the recorder's long-term statistics. It
 * copies the behaviour of Home Assistant Core 2025.6.3 (homeassistant/components/websocket_api
 * and components/recorder/websocket_api.py, statistics.py), which cannot be installed here; each
 * rule has a test in test/support/ha-ws-double.test.ts that the double refuses what HA refuses.
 *
 * Rules:
 * 1. Auth: on connect the server sends {type:'auth_required', ha_version}. The first message must
 *    be {type:'auth', access_token}; a known token gets {type:'auth_ok', ha_version}, anything
 *    else {type:'auth_invalid', message} and the socket closes. A token revoked later closes the
 *    connections it opened and is refused from then on.
 * 2. Commands: {id, type, …}; the id must be an integer greater than the last one on this
 *    connection (else error `id_reuse`). Every answer is {id, type:'result', success, result} or
 *    {id, type:'result', success:false, error:{code, message}}. An unknown type is
 *    `unknown_command`; a message that does not fit the command's schema is `invalid_format`.
 * 3. `recorder/import_statistics` is admin-only (`unauthorized`). Its statistic_id is either an
 *    entity id (source 'recorder') or `<domain>:<object_id>`, lower case letters, digits and
 *    single underscores, none at either end, else `home_assistant_error` "Invalid statistic_id";
 *    an external statistic's `source` must be its domain, else "Invalid source". Each row's
 *    `start` needs a time zone ("Naive timestamp") and must be on the hour ("Invalid
 *    timestamp"). Rows are upserted by start: sending a row again replaces it. The metadata,
 *    unit included, is replaced by what was sent last (HA does not refuse a unit change).
 * 4. `recorder/statistics_during_period`: rows from start_time (inclusive) to end_time
 *    (exclusive), period 'hour', 'day' or 'month' (day and month in HA's time zone, each the last
 *    hourly row of the group, stamped at the group's start), times as ms; `types` chooses among
 *    state, sum and change. `change` is a row's sum minus the previous row's sum, the first
 *    against the last sum before start_time, or 0 when there is none.
 * 5. `recorder/get_statistics_metadata` lists the metadata of the ids asked for (all when none).
 * 6. A message longer than 4 MiB (aiohttp's default) closes the socket with code 1009.
 * 7. Versions: `tooOld` lists commands this HA does not know (unknown_command), to stand for an
 *    older Core.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface StatisticRow {
  /** Seconds since the epoch, on the hour. */
  start: number;
  state?: number;
  sum?: number;
}

export interface StatisticMeta {
  statistic_id: string;
  source: string;
  name: string | null;
  unit_of_measurement: string | null;
  has_sum: boolean;
  has_mean: boolean;
}

export interface HaWsDoubleOptions {
  version?: string;
  timeZone?: string;
  /** Tokens and whether they belong to an administrator. */
  tokens?: Record<string, { admin: boolean; name?: string }>;
  /** Commands this HA does not know (an older Core). */
  tooOld?: string[];
  /** Close the socket, without applying it, on this import_statistics message (1 = the first). */
  closeOnImport?: number;
}

const MAX_MESSAGE = 4 * 1024 * 1024;
const ID_PART = '(?!_)[\\da-z_]+(?<!_)';
const STATISTIC_ID = new RegExp(`^(?!.+__)${ID_PART}:${ID_PART}$`);
const ENTITY_ID = new RegExp(`^(?!.+__)${ID_PART}\\.${ID_PART}$`);

class CommandError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new CommandError('invalid_format', message);
const haError = (message: string) => new CommandError('home_assistant_error', message);

export class HaWsDouble {
  readonly version: string;
  readonly timeZone: string;
  private readonly tokens: Map<string, { admin: boolean; name: string }>;
  private readonly tooOld: Set<string>;
  readonly meta = new Map<string, StatisticMeta>();
  readonly rows = new Map<string, Map<number, StatisticRow>>();
  /** Every command received after auth, in order (type and id), for tests to count. */
  readonly received: Array<{ type: string; token: string }> = [];
  private readonly sockets = new Map<WebSocket, string>();
  private imports = 0;
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  closeOnImport: number | undefined;

  constructor(options: HaWsDoubleOptions = {}) {
    this.version = options.version ?? '2025.6.3';
    this.timeZone = options.timeZone ?? 'Europe/Copenhagen';
    this.tokens = new Map(
      Object.entries(options.tokens ?? { admin: { admin: true } }).map(([t, v]) => [
        t,
        { admin: v.admin, name: v.name ?? (v.admin ? 'Owner' : 'Guest') },
      ]),
    );
    this.tooOld = new Set(options.tooOld ?? []);
    this.closeOnImport = options.closeOnImport;
  }

  /** Listens on 127.0.0.1; resolves with the address a person types: http://127.0.0.1:<port>. */
  async start(): Promise<string> {
    this.server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>Home Assistant</title>');
    });
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE });
    this.server.on('upgrade', (req, socket, head) => {
      if (req.url !== '/api/websocket') return socket.destroy();
      this.wss!.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    for (const ws of this.sockets.keys()) ws.terminate();
    this.wss?.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Adds a token (a long-lived access token made on the profile page). */
  addToken(token: string, admin: boolean): void {
    this.tokens.set(token, { admin, name: admin ? 'Owner' : 'Guest' });
  }

  /** Deletes a token: its connections close and it is refused from now on (rule 1). */
  revoke(token: string): void {
    this.tokens.delete(token);
    for (const [ws, t] of this.sockets) if (t === token) ws.close();
  }

  /** The rows of a statistic, oldest first. */
  statistic(id: string): StatisticRow[] {
    return [...(this.rows.get(id)?.values() ?? [])].sort((a, b) => a.start - b.start);
  }

  private accept(ws: WebSocket): void {
    let token: string | undefined;
    let lastId = 0;
    const send = (msg: unknown) => ws.send(JSON.stringify(msg));
    send({ type: 'auth_required', ha_version: this.version });
    ws.on('close', () => this.sockets.delete(ws));
    // An oversized message ends in an error event, then the close HA's server sends (rule 6).
    ws.on('error', () => undefined);
    ws.on('message', (data) => {
      let msg: Record<string, unknown>;
      try {
        msg = JSON.parse((data as Buffer).toString()) as Record<string, unknown>;
      } catch {
        return ws.close(1003);
      }
      if (token === undefined) {
        if (msg.type !== 'auth' || typeof msg.access_token !== 'string') {
          send({ type: 'auth_invalid', message: 'Auth message incorrectly formatted: expected auth' });
          return ws.close();
        }
        if (!this.tokens.has(msg.access_token)) {
          send({ type: 'auth_invalid', message: 'Invalid access token or password' });
          return ws.close();
        }
        token = msg.access_token;
        this.sockets.set(ws, token);
        return send({ type: 'auth_ok', ha_version: this.version });
      }
      const id = msg.id;
      if (typeof id !== 'number' || !Number.isInteger(id))
        return send(errorResult(0, invalid('Message incorrectly formatted.')));
      if (id <= lastId)
        return send(errorResult(id, new CommandError('id_reuse', 'Identifier values have to increase.')));
      lastId = id;
      const user = this.tokens.get(token);
      if (!user) return ws.close();
      const type = String(msg.type);
      this.received.push({ type, token });
      if (type === 'recorder/import_statistics' && ++this.imports === this.closeOnImport) return ws.terminate();
      try {
        send({ id, type: 'result', success: true, result: this.command(type, msg, user) });
      } catch (e) {
        if (!(e instanceof CommandError)) throw e;
        send(errorResult(id, e));
      }
    });
  }

  private command(type: string, msg: Record<string, unknown>, user: { admin: boolean; name: string }): unknown {
    if (this.tooOld.has(type)) throw new CommandError('unknown_command', 'Unknown command.');
    switch (type) {
      case 'supported_features':
        return null;
      case 'ping':
        return undefined;
      case 'get_config':
        return { time_zone: this.timeZone, version: this.version, unit_system: { length: 'km' }, state: 'RUNNING' };
      case 'auth/current_user':
        return {
          id: 'u1',
          name: user.name,
          is_owner: user.admin,
          is_admin: user.admin,
          credentials: [],
          mfa_modules: [],
        };
      case 'recorder/import_statistics':
        if (!user.admin) throw new CommandError('unauthorized', 'Unauthorized');
        return this.importStatistics(msg);
      case 'recorder/get_statistics_metadata':
        return this.metadata(msg);
      case 'recorder/statistics_during_period':
        return this.during(msg);
      default:
        throw new CommandError('unknown_command', 'Unknown command.');
    }
  }

  private importStatistics(msg: Record<string, unknown>): null {
    const meta = msg.metadata as Record<string, unknown> | undefined;
    if (!meta || typeof meta !== 'object') throw invalid("required key not provided @ data['metadata']");
    for (const key of ['has_sum', 'source', 'statistic_id', 'unit_of_measurement', 'name'])
      if (!(key in meta)) throw invalid(`required key not provided @ data['metadata']['${key}']`);
    if (!('has_mean' in meta) && !('mean_type' in meta))
      throw invalid("required key not provided @ data['metadata']['mean_type']");
    const known = ['has_mean', 'mean_type', 'has_sum', 'name', 'source', 'statistic_id', 'unit_of_measurement'];
    for (const key of Object.keys(meta))
      if (!known.includes(key)) throw invalid(`extra keys not allowed @ data['metadata']['${key}']`);
    if (typeof meta.has_sum !== 'boolean')
      throw invalid("expected bool for dictionary value @ data['metadata']['has_sum']");
    if (typeof meta.statistic_id !== 'string' || typeof meta.source !== 'string')
      throw invalid("expected str for dictionary value @ data['metadata']['statistic_id']");
    if (!Array.isArray(msg.stats)) throw invalid("required key not provided @ data['stats']");
    const rows = msg.stats.map((s: Record<string, unknown>, i: number) => {
      if (typeof s.start !== 'string') throw invalid(`required key not provided @ data['stats'][${i}]['start']`);
      for (const key of ['state', 'sum'])
        if (key in s && typeof s[key] !== 'number')
          throw invalid(`expected float for dictionary value @ data['stats'][${i}]['${key}']`);
      return s as { start: string; state?: number; sum?: number };
    });
    const id = meta.statistic_id;
    if (ENTITY_ID.test(id)) {
      if (meta.source !== 'recorder') throw haError('Invalid source');
    } else {
      if (!STATISTIC_ID.test(id)) throw haError('Invalid statistic_id');
      if (!meta.source || meta.source !== id.split(':')[0]) throw haError('Invalid source');
    }
    const parsed = rows.map((r) => {
      if (!/(Z|[+-]\d\d:?\d\d)$/.test(r.start)) throw haError('Naive timestamp');
      const ms = Date.parse(r.start);
      if (Number.isNaN(ms)) throw invalid("Invalid datetime specified @ data['stats'][0]['start']");
      if (ms % 3_600_000 !== 0) throw haError('Invalid timestamp');
      return { start: ms / 1000, state: r.state, sum: r.sum };
    });
    this.meta.set(id, {
      statistic_id: id,
      source: meta.source,
      name: (meta.name as string | null) ?? null,
      unit_of_measurement: (meta.unit_of_measurement as string | null) ?? null,
      has_sum: meta.has_sum,
      has_mean: meta.has_mean === true,
    });
    const table = this.rows.get(id) ?? new Map<number, StatisticRow>();
    for (const r of parsed) table.set(r.start, r);
    this.rows.set(id, table);
    return null;
  }

  private metadata(msg: Record<string, unknown>): unknown[] {
    const ids = Array.isArray(msg.statistic_ids) ? (msg.statistic_ids as string[]) : [...this.meta.keys()];
    return ids.flatMap((id) => {
      const m = this.meta.get(id);
      if (!m) return [];
      return [
        {
          statistic_id: id,
          display_unit_of_measurement: m.unit_of_measurement,
          has_mean: m.has_mean,
          mean_type: 0,
          has_sum: m.has_sum,
          name: m.name,
          source: m.source,
          statistics_unit_of_measurement: m.unit_of_measurement,
          unit_class: unitClass(m.unit_of_measurement),
        },
      ];
    });
  }

  private during(msg: Record<string, unknown>): Record<string, unknown[]> {
    if (typeof msg.start_time !== 'string') throw invalid("required key not provided @ data['start_time']");
    const period = msg.period;
    if (period !== 'hour' && period !== 'day' && period !== 'month' && period !== '5minute' && period !== 'week')
      throw invalid(
        "value must be one of ['5minute', 'day', 'hour', 'month', 'week'] for dictionary value @ data['period']",
      );
    const from = Date.parse(msg.start_time) / 1000;
    const to = typeof msg.end_time === 'string' ? Date.parse(msg.end_time) / 1000 : Infinity;
    if (Number.isNaN(from)) throw invalid('Invalid start_time');
    const types = Array.isArray(msg.types)
      ? (msg.types as string[])
      : ['change', 'state', 'sum', 'mean', 'min', 'max', 'last_reset'];
    const ids = Array.isArray(msg.statistic_ids) ? (msg.statistic_ids as string[]) : [];
    const out: Record<string, unknown[]> = {};
    for (const id of ids) {
      const all = this.statistic(id);
      const inRange = all.filter((r) => r.start >= from && r.start < to);
      if (!inRange.length || period === '5minute') continue;
      const groups = new Map<number, { start: number; end: number; row: StatisticRow }>();
      for (const r of inRange) {
        const [start, end] = period === 'hour' ? [r.start, r.start + 3600] : this.group(r.start, period);
        groups.set(start, { start, end, row: r });
      }
      let prevSum = [...all].reverse().find((r) => r.start < from && r.sum !== undefined)?.sum ?? 0;
      out[id] = [...groups.values()].map(({ start, end, row }) => {
        const o: Record<string, unknown> = { start: start * 1000, end: end * 1000 };
        if (types.includes('state')) o.state = row.state ?? null;
        if (types.includes('sum')) o.sum = row.sum ?? null;
        if (types.includes('change')) {
          o.change = row.sum === undefined ? null : row.sum - prevSum;
          if (row.sum !== undefined) prevSum = row.sum;
        }
        return o;
      });
    }
    return out;
  }

  /** The day, week or month (in HA's time zone) that holds `start`, as [start, end) in seconds. */
  private group(start: number, period: 'day' | 'week' | 'month'): [number, number] {
    const parts = zoneParts(start * 1000, this.timeZone);
    const y = parts.year;
    const m = parts.month;
    let d = parts.day;
    if (period === 'week') d -= (parts.weekday + 6) % 7;
    const first = period === 'month' ? zoneMidnight(y, m, 1, this.timeZone) : zoneMidnight(y, m, d, this.timeZone);
    const next =
      period === 'month'
        ? zoneMidnight(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1, this.timeZone)
        : zoneMidnight(y, m, d + (period === 'week' ? 7 : 1), this.timeZone);
    return [first / 1000, next / 1000];
  }
}

function errorResult(id: number, e: CommandError) {
  return { id, type: 'result', success: false, error: { code: e.code, message: e.message } };
}

/** HA's unit class of a statistic's unit, as recorder/get_statistics_metadata names it. */
export function unitClass(unit: string | null): string | null {
  if (unit === null) return null;
  if (['Wh', 'kWh', 'MWh', 'GWh', 'TWh', 'MJ', 'GJ', 'cal', 'kcal', 'Mcal', 'Gcal'].includes(unit)) return 'energy';
  if (['L', 'mL', 'gal', 'fl. oz.', 'm³', 'ft³', 'CCF'].includes(unit)) return 'volume';
  return null;
}

interface ZoneParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function zoneParts(ms: number, timeZone: string): ZoneParts {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    weekday: 'short',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    weekday: WEEKDAYS.indexOf(String(p.weekday)),
  };
}

/** The instant of local midnight of y-m-d in `timeZone` (day may overflow the month). */
function zoneMidnight(y: number, m: number, d: number, timeZone: string): number {
  let guess = Date.UTC(y, m - 1, d);
  for (let i = 0; i < 3; i++) {
    const p = zoneParts(guess, timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += Date.UTC(y, m - 1, d) - asUtc;
  }
  return guess;
}
