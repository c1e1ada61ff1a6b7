import { MIN_POLL_INTERVAL_MS, type MeterType, type Reading, type RegisterValue } from '../kmp/index.ts';
import { KmpClient, type KmpClientOptions } from './kmp-client.ts';
import type { LoggerReadOptions, LoggerReadResult } from './logger-reader.ts';
import { LinkError, type LinkFailure } from './link-error.ts';
import { IDENTITY_REGISTERS, SERIAL_REGISTER, planFirstRead, serialFromRegister } from './first-read-plan.ts';
import { guessModel, modelOfType, type ModelGuess } from './model-guess.ts';
import type { SerialPortLike } from './serial-port-like.ts';
import {
  KMP_SERIAL,
  SerialAccessError,
  classifySerialError,
  type PortInfo,
  type SerialSettings,
} from './web-serial.ts';
import { WireLog } from './wire-log.ts';

/** A port the session can open and close: Web Serial's SerialPort or the virtual meter's. */
export interface OpenablePort extends SerialPortLike {
  open(options: SerialOptions): Promise<void>;
  close(): Promise<void>;
}

export type SessionState =
  | { kind: 'disconnected' }
  | { kind: 'connecting'; label: string; demo: boolean; port?: PortInfo }
  | { kind: 'connected'; label: string; demo: boolean; port?: PortInfo }
  /** The cable or adapter went away mid-session. */
  | { kind: 'lost'; label: string; demo: boolean; port?: PortInfo; error: LinkError }
  | { kind: 'failed'; error: SerialAccessError | LinkError };

export interface AlignCounts {
  ok: number;
  'no-answer': number;
  'echo-only': number;
  'bad-crc': number;
  other: number;
}

export type Activity =
  | { kind: 'idle' }
  | { kind: 'reading' }
  | { kind: 'polling'; intervalMs: number; nextAt: number; reads: number }
  | { kind: 'aligning'; endsAt: number; counts: AlignCounts; last: 'ok' | LinkFailure | undefined }
  | { kind: 'scanning'; done: number; total: number; found: number }
  /** Downloading one of the meter's own loggers (CID 0xB8): entries done of total, requests sent. */
  | { kind: 'logger'; logger: number; done: number; total: number; requests: number };

export interface MeterIdentity extends ModelGuess {
  serial: number;
  type: MeterType | undefined;
  /** Info code, counters, meter clock and config numbers read while identifying. */
  registers: RegisterValue[];
}

export interface ScanResult {
  supported: RegisterValue[];
  unsupported: number[];
  /** Why the scan ended before the candidate list did, if it did. */
  stoppedEarly: string | undefined;
}

/**
 * The first reading after connecting while its replies arrive: the chosen registers' values
 * decoded so far (CRC checked), in the chosen order. Never stored or published; the reading is,
 * once, when whole.
 */
export interface ReadProgress {
  values: RegisterValue[];
  /** How many registers were chosen: values still missing are on their way, or not on this meter. */
  chosen: number;
}

export { MIN_POLL_INTERVAL_MS };

/** setTimeout's longest delay; a longer one fires at once, so longer waits are chained. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** The interval polling really uses: at least MIN_POLL_INTERVAL_MS; a non-number is refused. */
export function effectivePollInterval(intervalMs: number): number {
  if (!Number.isFinite(intervalMs))
    throw new RangeError(`The polling interval must be a number of milliseconds, not ${intervalMs}.`);
  return Math.max(MIN_POLL_INTERVAL_MS, intervalMs);
}

export interface SessionOptions {
  client?: KmpClientOptions;
  now?: () => number;
}

type Listener = () => void;

/**
 * One meter session: connect and identify, read now, poll, align and scan. Device logic only;
 * the UI observes `state`, `activity`, `identity` and `lastReading` through `subscribe`.
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
  private timer: ReturnType<typeof setTimeout> | undefined;
  private scanAbort = false;
  private readonly listeners = new Set<Listener>();
  private readonly readingListeners = new Set<(r: Reading) => void>();
  private readonly now: () => number;

  constructor(private readonly options: SessionOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  /** Requests sent in this session (since the page loaded), across connections. */
  get requestsSent(): number {
    return this.sentBefore + (this.client?.stats.requests ?? 0);
  }
  private sentBefore = 0;

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
        this.stopTimers();
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
    this.stopTimers();
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
    const client = this.requireClient();
    const serial = this.identity?.serial;
    if (serial !== undefined && this.withoutLoggers.has(serial)) throw new LinkError('no-logger');
    return this.run({ kind: 'logger', logger, done: 0, total: 0, requests: 0 }, async () => {
      try {
        return await client.readLogger(logger, registers, {
          ...options,
          onProgress: (p) => {
            if (this.activity.kind === 'logger') this.set({ activity: { kind: 'logger', logger, ...p } });
            options.onProgress?.(p);
          },
        });
      } catch (e) {
        if (e instanceof LinkError && e.kind === 'no-logger' && serial !== undefined) this.withoutLoggers.add(serial);
        throw e;
      }
    });
  }

  /** Serials of meters that answered but stayed silent to the logger read-out, this session. */
  private readonly withoutLoggers = new Set<number>();

  /** Serial number, type, model guess and the identity registers. The first request may only wake the meter. */
  async identify(): Promise<MeterIdentity> {
    this.requireClient();
    return this.run({ kind: 'reading' }, async () => (await this.identifyReading([])).identity);
  }

  /**
   * Identifies the meter and takes the first reading of `ids` in one round: GetType, then the
   * chosen and the identity registers together, each once (see planFirstRead). Values appear in
   * `firstReadProgress` as each reply is decoded; the reading is published once, when whole.
   * Never yields an empty reading: none of `ids` on the meter is an error (the identity is kept).
   */
  async identifyAndRead(ids: readonly number[]): Promise<{ identity: MeterIdentity; reading: Reading }> {
    this.requireClient();
    return this.run({ kind: 'reading' }, async () => {
      const { identity, reading } = await this.identifyReading(ids);
      if (!reading) throw new LinkError('unexpected', 'no registers were chosen to read');
      return { identity, reading };
    });
  }

  private async identifyReading(chosen: readonly number[]): Promise<{ identity: MeterIdentity; reading?: Reading }> {
    const client = this.requireClient();
    let serial: number | undefined;
    let type: MeterType | undefined;
    try {
      type = await client.getType();
    } catch (e) {
      if (!(e instanceof LinkError) || e.kind === 'disconnected' || e.kind === 'closed') throw e;
      // Silence may be a sleeping meter or one that ignores GetType: one GetSerialNo tells them
      // apart without hammering a meter that is asleep. Any other failure leaves the type unknown.
      if (e.kind === 'no-answer' || e.kind === 'echo-only') serial = await this.serialOr(e);
    }
    const requests = planFirstRead(chosen, { serial: serial !== undefined, model: modelOfType(type) !== undefined });
    const wanted = new Set(chosen);
    const progress: ReadProgress = { values: [], chosen: wanted.size };
    // Each step is published as its own object: one shown before must not change under the view.
    if (chosen.length) this.set({ firstReadProgress: { ...progress } });
    try {
      const result = await client.readRegisters(requests.flat(), {
        onValues: (values) => {
          if (!chosen.length) return;
          progress.values = [...progress.values, ...values.filter((v) => wanted.has(v.id))];
          this.set({ firstReadProgress: { ...progress } });
        },
      });
      // Meters without register 1001 still answer GetSerialNo: one extra request, only for them.
      serial ??=
        serialFromRegister(result.values.find((v) => v.id === SERIAL_REGISTER)) ?? (await client.getSerialNo());
      const identity: MeterIdentity = {
        serial,
        type,
        registers: result.values.filter((v) => (IDENTITY_REGISTERS as readonly number[]).includes(v.id)),
        ...guessModel(type, result.values),
      };
      if (!chosen.length) {
        this.set({ identity });
        return { identity };
      }
      const values = result.values.filter((v) => wanted.has(v.id));
      const failed = result.failed.find((f) => f.ids.some((id) => wanted.has(id)))?.error;
      const lastUnsupported = result.unsupported.filter((id) => wanted.has(id));
      if (values.length === 0) {
        this.set({ identity, lastUnsupported, firstReadProgress: undefined });
        throw failed ?? new LinkError('unexpected', 'the meter has none of the requested registers');
      }
      const reading: Reading = { serial, takenAt: this.now(), values };
      this.set({ identity, lastReading: reading, lastUnsupported, lastError: failed, firstReadProgress: undefined });
      for (const l of this.readingListeners) l(reading);
      return { identity, reading };
    } finally {
      if (this.firstReadProgress) this.set({ firstReadProgress: undefined });
    }
  }

  /** The serial from a single GetSerialNo, or `silence` if that goes unanswered too. */
  private async serialOr(silence: LinkError): Promise<number> {
    try {
      return await this.requireClient().getSerialNo({ retries: 0 });
    } catch (e) {
      if (e instanceof LinkError && (e.kind === 'disconnected' || e.kind === 'closed')) throw e;
      throw silence;
    }
  }

  /** One read of `ids`. Never yields an empty reading: no values at all is an error. */
  async readNow(ids: readonly number[]): Promise<Reading> {
    return this.run({ kind: 'reading' }, () => this.read(ids));
  }

  /**
   * Reads now and then every `requestedMs`, clamped to at least MIN_POLL_INTERVAL_MS (see
   * `activity.intervalMs` for what is used). Any length works: beyond 2^31−1 ms (about 24.8 days)
   * the wait is chained, not fired at once. Throws RangeError for NaN or Infinity.
   */
  startPolling(ids: readonly number[], requestedMs: number): void {
    const intervalMs = effectivePollInterval(requestedMs);
    this.requireClient();
    this.stopTimers();
    let reads = 0;
    const tick = async () => {
      this.set({ activity: { kind: 'polling', intervalMs, nextAt: this.now() + intervalMs, reads } });
      try {
        await this.read(ids);
        reads++;
      } catch {
        // lastError already tells the UI; polling goes on until stopped or the port is lost
      }
      if (this.activity.kind !== 'polling' || !this.client) return;
      this.set({ activity: { kind: 'polling', intervalMs, nextAt: this.now() + intervalMs, reads } });
      this.wait(intervalMs, () => void tick());
    };
    this.activity = { kind: 'polling', intervalMs, nextAt: this.now(), reads };
    void tick();
  }

  stopPolling(): void {
    if (this.activity.kind !== 'polling') return;
    this.stopTimers();
    this.set({ activity: { kind: 'idle' } });
  }

  /**
   * Alignment mode: a GetSerialNo about once a second, no retries, each outcome counted,
   * so a person can slide the head until it goes green. Capped: every request costs battery.
   */
  startAlign(durationMs = 60_000, periodMs = 1000): void {
    const client = this.requireClient();
    this.stopTimers();
    const endsAt = this.now() + Math.min(durationMs, 180_000);
    const counts: AlignCounts = { ok: 0, 'no-answer': 0, 'echo-only': 0, 'bad-crc': 0, other: 0 };
    this.set({ activity: { kind: 'aligning', endsAt, counts, last: undefined } });
    const tick = async () => {
      const started = this.now();
      let last: 'ok' | LinkFailure;
      try {
        await client.getSerialNo({ retries: 0 });
        last = 'ok';
        counts.ok++;
      } catch (e) {
        // Anything but a LinkError is a fault of ours: count it rather than let it end the
        // loop as an unhandled rejection with the page still showing "aligning".
        last = e instanceof LinkError ? e.kind : 'unexpected';
        if (!(e instanceof LinkError)) counts.other++;
        else if (e.kind === 'no-answer' || e.kind === 'echo-only' || e.kind === 'bad-crc') counts[e.kind]++;
        else if (e.kind === 'cut-off') counts['bad-crc']++;
        else counts.other++;
      }
      if (this.activity.kind !== 'aligning') return;
      if (this.now() >= endsAt || !this.client) {
        this.set({ activity: { kind: 'idle' } });
        return;
      }
      this.set({ activity: { kind: 'aligning', endsAt, counts: { ...counts }, last } });
      this.timer = setTimeout(() => void tick(), Math.max(0, periodMs - (this.now() - started)));
    };
    void tick();
  }

  stopAlign(): void {
    if (this.activity.kind !== 'aligning') return;
    this.stopTimers();
    this.set({ activity: { kind: 'idle' } });
  }

  /**
   * Reads a candidate list in batches of 8 within a budget, and stops after `maxEmpty`
   * batches in a row that brought nothing: some meters drop the session when asked for
   * many registers they do not have, and every request costs battery.
   */
  async scan(candidates: readonly number[], budget = 64, maxEmpty = 2): Promise<ScanResult> {
    const client = this.requireClient();
    const list = candidates.slice(0, budget);
    const supported: RegisterValue[] = [];
    const unsupported: number[] = [];
    let empty = 0;
    let stoppedEarly: string | undefined;
    this.scanAbort = false;
    return this.run({ kind: 'scanning', done: 0, total: list.length, found: 0 }, async () => {
      for (let i = 0; i < list.length; i += 8) {
        if (this.scanAbort) {
          stoppedEarly = 'stopped by you';
          break;
        }
        const batch = list.slice(i, i + 8);
        let got = 0;
        try {
          const r = await client.readRegisters(batch, { retries: 1 });
          supported.push(...r.values);
          unsupported.push(...r.unsupported);
          got = r.values.length;
        } catch (e) {
          if (e instanceof LinkError && (e.kind === 'disconnected' || e.kind === 'closed')) throw e;
          if (e instanceof LinkError) this.lastError = e;
        }
        empty = got === 0 ? empty + 1 : 0;
        this.set({
          activity: {
            kind: 'scanning',
            done: Math.min(i + 8, list.length),
            total: list.length,
            found: supported.length,
          },
        });
        if (empty >= maxEmpty) {
          stoppedEarly = `${maxEmpty} batches in a row brought nothing`;
          break;
        }
      }
      if (candidates.length > budget && !stoppedEarly) stoppedEarly = `budget of ${budget} registers reached`;
      return { supported, unsupported, stoppedEarly };
    });
  }

  stopScan(): void {
    this.scanAbort = true;
  }

  private async read(ids: readonly number[]): Promise<Reading> {
    const client = this.requireClient();
    try {
      const result = await client.readRegisters(ids);
      if (result.values.length === 0)
        throw result.failed[0]?.error ?? new LinkError('unexpected', 'the meter has none of the requested registers');
      const serial = this.identity?.serial ?? (await client.getSerialNo());
      const reading: Reading = { serial, takenAt: this.now(), values: result.values };
      this.set({ lastReading: reading, lastUnsupported: result.unsupported, lastError: result.failed[0]?.error });
      for (const l of this.readingListeners) l(reading);
      return reading;
    } catch (e) {
      if (e instanceof LinkError) this.set({ lastError: e });
      throw e;
    }
  }

  private async run<T>(activity: Activity, work: () => Promise<T>): Promise<T> {
    const before = this.activity;
    if (before.kind === 'aligning' || before.kind === 'scanning' || before.kind === 'logger')
      throw new Error(`busy: ${before.kind}`);
    if (before.kind === 'idle') this.set({ activity });
    try {
      const result = await work();
      return result;
    } catch (e) {
      if (e instanceof LinkError) this.set({ lastError: e });
      throw e;
    } finally {
      if (this.activity.kind === activity.kind)
        this.set({ activity: before.kind === 'idle' ? { kind: 'idle' } : before });
    }
  }

  private requireClient(): KmpClient {
    if (!this.client || this.state.kind !== 'connected') throw new LinkError('closed', 'not connected to a meter');
    return this.client;
  }

  private stateError(): Error {
    return this.state.kind === 'failed' ? this.state.error : new Error('connection failed');
  }

  /** setTimeout for any delay, in steps setTimeout can take; `stopTimers` cancels every step. */
  private wait(ms: number, then: () => void): void {
    const step = Math.min(ms, MAX_TIMEOUT_MS);
    this.timer = setTimeout(() => (ms > step ? this.wait(ms - step, then) : then()), step);
  }

  private stopTimers(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.scanAbort = true;
  }

  private set(
    patch: Partial<
      Pick<
        MeterSession,
        'state' | 'activity' | 'identity' | 'lastReading' | 'firstReadProgress' | 'lastUnsupported' | 'lastError'
      >
    >,
  ): void {
    Object.assign(this, patch);
    for (const l of this.listeners) l();
  }
}
