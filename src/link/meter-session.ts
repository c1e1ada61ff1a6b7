import { MIN_POLL_INTERVAL_MS, type Reading } from '../kmp/index.ts';
import { KmpClient, type KmpClientOptions } from './kmp-client.ts';
import type { LoggerReadOptions, LoggerReadResult } from './logger-reader.ts';
import type { LoggerList } from './logger-list.ts';
import { LinkError } from './link-error.ts';
import type { ActivityContext, SessionPatch } from './session/activity-context.ts';
import { runAlign } from './session/align-runner.ts';
import { mayStart } from './session/busy-rule.ts';
import { runFirstRead } from './session/first-read-runner.ts';
import { runLoggerDownload } from './session/logger-runner.ts';
import { effectivePollInterval, runPolling } from './session/polling-runner.ts';
import { readOnce } from './session/read-once.ts';
import { runScan } from './session/scan-runner.ts';
import { SessionBusyError } from './session/session-busy-error.ts';
import type {
  Activity,
  MeterIdentity,
  OpenablePort,
  ReadProgress,
  ScanResult,
  SessionState,
  StartableActivity,
} from './session/session-types.ts';
import {
  KMP_SERIAL,
  SerialAccessError,
  classifySerialError,
  type PortInfo,
  type SerialSettings,
} from './web-serial.ts';
import { WireLog } from './wire-log.ts';

export type * from './session/session-types.ts';
export { BUSY_SENTENCES, SessionBusyError } from './session/session-busy-error.ts';
export { SCAN_SENTENCES, scanStopWords } from './session/scan-runner.ts';
export { effectivePollInterval, nextSlot } from './session/polling-runner.ts';
export { MIN_POLL_INTERVAL_MS };

export interface SessionOptions {
  client?: KmpClientOptions;
  now?: () => number;
}

type Listener = () => void;

/** Activities a new connection, a lost one or each other's start stop: they hold no result a caller waits for. */
const TAKEN_OVER = ['polling', 'aligning', 'scanning'] as const;

/**
 * One meter session: connect and identify, read now, poll, align, scan and download loggers,
 * one activity at a time (see `canStart`). Keeps the connection and what the UI observes
 * (`state`, `activity`, `identity`, `lastReading`, ...) through `subscribe`; each activity runs
 * in its own runner (src/link/session/) with an AbortSignal the session owns.
 */
export class MeterSession {
  readonly log = new WireLog();
  state: SessionState = { kind: 'disconnected' };
  activity: Activity = { kind: 'idle' };
  identity: MeterIdentity | undefined;
  lastReading: Reading | undefined;
  /** The first reading after connecting, as its replies are decoded; undefined once it is whole or failed. */
  firstReadProgress: ReadProgress | undefined;
  /** Registers asked for in the last reading that this meter left out: it does not have them. */
  lastUnsupported: readonly number[] = [];
  lastError: LinkError | undefined;
  private client: KmpClient | undefined;
  private port: OpenablePort | undefined;
  /** The read, scan or download in flight (polling may stay shown over it). */
  private running: Activity | undefined;
  private readonly aborts = new Map<StartableActivity, AbortController>();
  private readonly listeners = new Set<Listener>();
  private readonly readingListeners = new Set<(r: Reading) => void>();
  /** Serials of meters that answered but stayed silent to the logger read-out, this session. */
  private readonly withoutLoggers = new Set<number>();
  /** Per meter serial: the address its 601/801 logger answered on. */
  private readonly moduleAddresses = new Map<number, number>();
  private readonly now: () => number;
  private sentBefore = 0;

  constructor(private readonly options: SessionOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Requests sent in this session (since the page loaded), across connections. */
  get requestsSent(): number {
    return this.sentBefore + (this.client?.stats.requests ?? 0);
  }

  /**
   * Whether `activity` may start now: the one busy rule every page asks before it offers a start.
   * Nothing starts without a connection or while a read, scan or logger download is in flight;
   * while polling, a read or a download may start between its reads; alignment and a scan leave
   * room for nothing. A start the rule refuses fails with SessionBusyError. (startPolling and
   * startAlign take over instead: they stop polling, alignment or a scan that runs.)
   */
  canStart(activity: StartableActivity): boolean {
    return mayStart(activity, {
      connected: this.client !== undefined && this.state.kind === 'connected',
      shown: this.activity.kind,
      running: this.running?.kind,
    });
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every successful reading, in order: the store and the MQTT outbox hang off this. */
  onReading(listener: (r: Reading) => void): () => void {
    this.readingListeners.add(listener);
    return () => this.readingListeners.delete(listener);
  }

  async connect(
    port: OpenablePort,
    how: {
      label: string;
      demo?: boolean;
      /** Which path and driver reach the head; a function is asked again once the port is open (a driver learns the chip's generation then). */
      port?: PortInfo | (() => PortInfo);
      settings?: SerialSettings;
      client?: KmpClientOptions;
    },
  ): Promise<void> {
    await this.disconnect();
    const demo = how.demo ?? false;
    // Carried in every state of this connection, so diagnostics say which path and driver it took.
    const portInfo = () =>
      how.port === undefined ? {} : { port: typeof how.port === 'function' ? how.port() : how.port };
    // Another head or another meter, maybe: nothing of the last connection is shown as this one's.
    this.set({
      state: { kind: 'connecting', label: how.label, demo, ...portInfo() },
      lastError: undefined,
      identity: undefined,
      lastReading: undefined,
      lastUnsupported: [],
      firstReadProgress: undefined,
    });
    try {
      await port.open({ ...(how.settings ?? KMP_SERIAL), bufferSize: 4096 });
    } catch (e) {
      this.set({
        state: { kind: 'failed', error: e instanceof SerialAccessError ? e : classifySerialError(e, 'open') },
      });
      throw this.stateError();
    }
    this.port = port;
    const info = portInfo();
    const client = new KmpClient(port, {
      now: this.now,
      ...this.options.client,
      ...how.client,
      baudRate: how.settings?.baudRate ?? 1200,
      log: this.log,
    });
    this.client = client;
    client.onStateChange((s, reason) => {
      if (s === 'disconnected' && this.client === client) {
        this.stop(...TAKEN_OVER);
        this.set({
          state: { kind: 'lost', label: how.label, demo, ...info, error: reason ?? new LinkError('disconnected') },
          activity: { kind: 'idle' },
        });
      }
    });
    this.set({ state: { kind: 'connected', label: how.label, demo, ...info } });
  }

  async disconnect(): Promise<void> {
    // Nothing open: no state change, so listeners (the tab lock) see no spurious 'disconnected'.
    if (!this.client && !this.port) return;
    this.stop(...TAKEN_OVER);
    const client = this.client;
    this.client = undefined;
    if (client) {
      this.sentBefore += client.stats.requests;
      await client.close();
    } else {
      await this.port?.close().catch(() => undefined);
    }
    this.port = undefined;
    this.set({ state: { kind: 'disconnected' }, activity: { kind: 'idle' } });
  }

  /**
   * Downloads one of the meter's loggers (see readLogger: newest first, progress, cancel through
   * `options.signal`, resume through `options.have`, a request budget) as this session's activity.
   * A meter found without the logger read-out is remembered by serial for the rest of the session
   * (the page's life, across reconnects) and refused at once with LinkError 'no-logger'.
   */
  async readLogger(
    logger: number,
    registers: readonly number[],
    options: LoggerReadOptions = {},
  ): Promise<LoggerReadResult> {
    this.requireClient();
    const serial = this.identity?.serial;
    if (serial !== undefined && this.withoutLoggers.has(serial)) throw new LinkError('no-logger');
    return this.run({ kind: 'logger', logger, done: 0, total: 0, requests: 0 }, options.signal, (ctx) =>
      runLoggerDownload(ctx, this.withoutLoggers, logger, registers, options, this.moduleAddresses),
    );
  }

  /**
   * The configuration of every logger the meter has (0xB8 sub 05 for types 0 to 7, one request
   * each) as this session's activity; LinkError 'no-logger' when the meter has no such read-out.
   */
  async listLoggers(options: { signal?: AbortSignal } = {}): Promise<LoggerList> {
    this.requireClient();
    return this.run({ kind: 'logger', logger: 0, done: 0, total: 0, requests: 0 }, options.signal, async (ctx) => {
      const { listLoggers } = await import('./logger-list.ts');
      return listLoggers(ctx.client, {
        signal: ctx.signal,
        onProgress: (p) => ctx.update({ activity: { kind: 'logger', logger: 0, ...p } }),
      });
    });
  }

  /** Serial number, type, model guess and the identity registers. The first request may only wake the meter. */
  async identify(): Promise<MeterIdentity> {
    return this.run({ kind: 'reading' }, undefined, async (ctx) => (await runFirstRead(ctx, [])).identity);
  }

  /**
   * Identifies the meter and takes the first reading of `ids` in one round: GetType, then the
   * chosen and the identity registers together, each once (see planFirstRead). Values appear in
   * `firstReadProgress` as each reply is decoded; the reading is published once, when whole.
   * Never yields an empty reading: none of `ids` on the meter is an error (the identity is kept).
   */
  async identifyAndRead(ids: readonly number[]): Promise<{ identity: MeterIdentity; reading: Reading }> {
    return this.run({ kind: 'reading' }, undefined, async (ctx) => {
      const { identity, reading } = await runFirstRead(ctx, ids);
      if (!reading) throw new LinkError('unexpected', 'no registers were chosen to read');
      return { identity, reading };
    });
  }

  /** One read of `ids`. Never yields an empty reading: no values at all is an error. */
  async readNow(ids: readonly number[]): Promise<Reading> {
    return this.run({ kind: 'reading' }, undefined, (ctx) => readOnce(ctx, ids));
  }

  /**
   * Reads now and then every `requestedMs`, clamped to at least MIN_POLL_INTERVAL_MS (see
   * `activity.intervalMs` for what is used). Any length works: beyond 2^31−1 ms (about 24.8 days)
   * the wait is chained, not fired at once. Throws RangeError for NaN or Infinity. Takes over
   * from polling, alignment or a scan that runs. Reads fall on the grid `firstAt` + k × interval
   * (now unless given; a reload resumes one interval after the last reading, see polling-runner.ts).
   */
  startPolling(ids: readonly number[], requestedMs: number, options: { firstAt?: number } = {}): void {
    const intervalMs = effectivePollInterval(requestedMs);
    void runPolling(this.takeOver('polling'), ids, intervalMs, options.firstAt);
  }

  stopPolling(): void {
    if (this.activity.kind !== 'polling') return;
    this.stop('polling');
    this.set({ activity: { kind: 'idle' } });
  }

  /**
   * Alignment mode: a GetSerialNo about once a second, no retries, each outcome counted,
   * so a person can slide the head until it goes green. Capped: every request costs battery.
   * Takes over from polling, alignment or a scan that runs.
   */
  startAlign(durationMs = 60_000, periodMs = 1000): void {
    void runAlign(this.takeOver('aligning'), durationMs, periodMs);
  }

  stopAlign(): void {
    if (this.activity.kind !== 'aligning') return;
    this.stop('aligning');
    this.set({ activity: { kind: 'idle' } });
  }

  /**
   * Reads a candidate list in batches of 8 within a budget, and stops after `maxEmpty`
   * batches in a row that brought nothing: some meters drop the session when asked for
   * many registers they do not have, and every request costs battery. Stops after the batch on
   * the wire when `stopScan` is called or `options.signal` aborts.
   */
  async scan(
    candidates: readonly number[],
    budget = 64,
    maxEmpty = 2,
    options: { signal?: AbortSignal } = {},
  ): Promise<ScanResult> {
    const total = candidates.slice(0, budget).length;
    return this.run({ kind: 'scanning', done: 0, total, found: 0 }, options.signal, (ctx) =>
      runScan(ctx, candidates, budget, maxEmpty),
    );
  }

  stopScan(): void {
    this.stop('scanning');
  }

  /** Runs a read, scan or download as the session's activity, if the busy rule lets it start. */
  private async run<T>(
    activity: Activity & { kind: StartableActivity },
    signal: AbortSignal | undefined,
    work: (ctx: ActivityContext) => Promise<T>,
  ): Promise<T> {
    this.requireClient();
    if (!this.canStart(activity.kind)) throw new SessionBusyError(this.running ?? this.activity);
    const ctx = this.context(activity.kind, signal);
    this.running = activity;
    // Told even when polling stays on show: what the busy rule answers has changed.
    this.set(this.activity.kind === 'idle' ? { activity } : {});
    try {
      return await work(ctx);
    } catch (e) {
      if (e instanceof LinkError) this.set({ lastError: e });
      throw e;
    } finally {
      this.running = undefined;
      this.set(this.activity.kind === activity.kind ? { activity: { kind: 'idle' } } : {});
    }
  }

  /** Stops polling, alignment and a scan, and hands `activity` its runner's context. */
  private takeOver(activity: 'polling' | 'aligning'): ActivityContext {
    this.requireClient();
    this.stop(...TAKEN_OVER);
    return this.context(activity);
  }

  /** A runner's context with a new AbortSignal of the session's, also aborted by `external`. */
  private context(activity: StartableActivity, external?: AbortSignal): ActivityContext {
    const controller = new AbortController();
    this.aborts.set(activity, controller);
    return {
      client: this.requireClient(),
      signal: external ? AbortSignal.any([controller.signal, external]) : controller.signal,
      now: this.now,
      view: this,
      update: (patch) => this.set(patch),
      publish: (reading) => {
        for (const l of this.readingListeners) l(reading);
      },
    };
  }

  private stop(...activities: StartableActivity[]): void {
    for (const a of activities) this.aborts.get(a)?.abort();
  }

  private requireClient(): KmpClient {
    if (!this.client || this.state.kind !== 'connected') throw new LinkError('closed', 'not connected to a meter');
    return this.client;
  }

  private stateError(): Error {
    return this.state.kind === 'failed' ? this.state.error : new Error('connection failed');
  }

  private set(patch: SessionPatch & { state?: SessionState }): void {
    Object.assign(this, patch);
    for (const l of this.listeners) l();
  }
}
