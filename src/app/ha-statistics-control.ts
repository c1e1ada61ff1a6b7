/**
 * "Send to Home Assistant": the Home Assistant address and long-lived token (sealed at rest like
 * the broker password: never exported, logged or put in a URL), the plan a person sees before
 * sending, one send at a time with its progress and Home Assistant's answer, and, when asked for,
 * the polled readings as hourly rows after each completed hour. Loaded on demand: the first
 * screen carries none of it (see MeterApp.homeAssistant).
 */
import { LOGGER_TYPE } from '../kmp/logger.ts';
import type { Words } from '../kmp/words.ts';
import { haBaseUrl, haNetworkCheck } from '../ha/ha-address.ts';
import { openHa } from '../ha/ha-connection.ts';
import { HaError } from '../ha/ha-error.ts';
import { liveStatistics } from '../ha/live-rows.ts';
import { planStatistics, type EntryLike, type StatisticPlan } from '../ha/statistic-plan.ts';
import { importStatistics, type ImportProgress, type SentStatistic } from '../ha/statistics-import.ts';
import { isKnownTimeZone } from '../ha/zone-time.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import { isSealed, SecretBox, type Sealed } from '../store/secret-box.ts';
import { appWords, problemWords } from './app-words.ts';
import { HA_SETTING_KEY } from './ha-setting-key.ts';

/** The settings record (key HA_SETTING_KEY); the token only sealed. */
interface StoredHaSettings {
  address?: string;
  tokenSealed?: Sealed;
  live?: boolean;
  /** Home Assistant's time zone, as it said last time: the plan uses it before connecting. */
  timeZone?: string;
  /** Per meter serial: the newest hour of live readings Home Assistant has. */
  liveSentUntil?: Record<string, number>;
}

/** How far back live readings are sent the first time (and after a long pause). */
const LIVE_BACKLOG_MS = 48 * 3_600_000;

const LOGGERS = [LOGGER_TYPE.hour, LOGGER_TYPE.day, LOGGER_TYPE.month, LOGGER_TYPE.year];

export interface HaSendResult {
  at: number;
  haVersion: string;
  statistics: SentStatistic[];
}

export interface HaStatisticsState {
  address: string;
  tokenSaved: boolean;
  live: boolean;
  /** Home Assistant's zone if known, else this browser's. */
  timeZone: string;
  sending: boolean;
  progress?: ImportProgress;
  result?: HaSendResult;
  /** The last failure, in words (message and advice). */
  error?: Words;
  /** What the browser will ask or block, said before connecting. */
  warning?: Words;
  /** The last live send: when, and what came of it. */
  liveStatus?: Words;
}

export class HaStatisticsControl {
  private stored: StoredHaSettings = {};
  private readonly box: SecretBox;
  private readonly listeners = new Set<() => void>();
  private sendRun: Promise<HaSendResult | undefined> | undefined;
  private liveRun: Promise<void> | undefined;
  state: HaStatisticsState;

  constructor(
    private readonly db: KmpStore,
    private readonly pageUrl: () => string,
  ) {
    this.box = SecretBox.inStore(db);
    this.state = { address: '', tokenSaved: false, live: false, timeZone: browserZone(), sending: false };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(change: Partial<HaStatisticsState>): void {
    this.state = { ...this.state, ...change };
    for (const l of this.listeners) l();
  }

  async load(): Promise<void> {
    const raw = await this.db.getSetting<StoredHaSettings>(HA_SETTING_KEY);
    this.stored = raw && typeof raw === 'object' ? raw : {};
    this.set({
      address: this.stored.address ?? '',
      tokenSaved: isSealed(this.stored.tokenSealed),
      live: this.stored.live === true,
      timeZone: this.zone(),
    });
  }

  private zone(): string {
    const z = this.stored.timeZone;
    return z && isKnownTimeZone(z) ? z : browserZone();
  }

  private async keep(change: Partial<StoredHaSettings>): Promise<void> {
    this.stored = { ...this.stored, ...change };
    await this.db.putSetting(HA_SETTING_KEY, this.stored);
  }

  /** Saves the address, a new token ('' removes it; undefined keeps it) and the live choice. */
  async save(input: { address: string; token?: string; live: boolean }): Promise<void> {
    try {
      const address = input.address.trim() ? haBaseUrl(input.address) : '';
      let tokenSealed = this.stored.tokenSealed;
      if (input.token !== undefined)
        tokenSealed = input.token.trim() ? await this.box.seal(input.token.trim()) : undefined;
      await this.keep({ address, tokenSealed, live: input.live });
      this.set({ address, tokenSaved: tokenSealed !== undefined, live: input.live, error: undefined });
    } catch (e) {
      this.set({ error: problemWords(e) });
      throw e;
    }
  }

  /** Every logger entry of the meter as the plan wants them. */
  private async entries(serial: number): Promise<EntryLike[]> {
    const all = await Promise.all(LOGGERS.map((l) => this.db.loggerEntries(serial, l)));
    return all.flat();
  }

  /** What a send would do now: statistics, rows, period, first and last counter. */
  async preview(serial: number, model?: string): Promise<StatisticPlan> {
    return planStatistics({
      serial,
      ...(model ? { model } : {}),
      entries: await this.entries(serial),
      timeZone: this.zone(),
    });
  }

  /** Sends the meter's stored logger entries; a second call while one runs gets the same run. */
  send(serial: number, model?: string): Promise<HaSendResult | undefined> {
    return (this.sendRun ??= this.runSend(serial, model).finally(() => (this.sendRun = undefined)));
  }

  private async openSession() {
    const address = this.stored.address;
    if (!address) throw new HaError('address', appWords('app.ha.address-first'));
    if (!this.stored.tokenSealed) throw new HaError('wrong-token', appWords('app.ha.token-first'));
    const warning = haNetworkCheck(address, this.pageUrl());
    this.set({ warning });
    const token = await this.box.open(this.stored.tokenSealed).catch((e: unknown) => {
      throw new HaError('wrong-token', appWords('app.ha.token-unreadable', { why: problemWords(e) }));
    });
    const session = await openHa(address, token);
    if (session.info.timeZone !== this.stored.timeZone && isKnownTimeZone(session.info.timeZone)) {
      await this.keep({ timeZone: session.info.timeZone });
      this.set({ timeZone: session.info.timeZone });
    }
    return session;
  }

  private async runSend(serial: number, model?: string): Promise<HaSendResult | undefined> {
    this.set({ sending: true, error: undefined, progress: undefined });
    try {
      const session = await this.openSession();
      try {
        // Planned again with the zone Home Assistant just gave, which the preview may not have known.
        const plan = await this.preview(serial, model);
        if (!plan.statistics.length)
          throw new HaError('refused', plan.problems[0] ?? appWords('app.ha.nothing-to-send'));
        const statistics = await importStatistics(session, plan.statistics, (progress) => this.set({ progress }));
        const result: HaSendResult = { at: Date.now(), haVersion: session.info.version, statistics };
        this.set({ result });
        return result;
      } finally {
        session.close();
      }
    } catch (e) {
      this.set({ error: problemWords(e) });
      return undefined;
    } finally {
      this.set({ sending: false });
    }
  }

  /**
   * After a reading was saved: when live is on and an hour has completed since the last live
   * send, sends the polled readings' hourly rows of the hours since (at most two days back).
   * Failures are shown, not retried before the next completed hour.
   */
  readingSaved(serial: number, now = Date.now()): Promise<void> {
    if (!this.stored.live || this.liveRun) return this.liveRun ?? Promise.resolve();
    const hour = Math.floor(now / 3_600_000) * 3_600_000;
    const sentUntil = this.stored.liveSentUntil?.[serial] ?? 0;
    // Rows are sent once their hour is over: the hour before this one is the newest complete.
    if (sentUntil >= hour - 3_600_000) return Promise.resolve();
    const from = Math.max(sentUntil + 3_600_000, hour - LIVE_BACKLOG_MS);
    this.liveRun = this.runLive(serial, from, hour).finally(() => (this.liveRun = undefined));
    return this.liveRun;
  }

  private async runLive(serial: number, from: number, to: number): Promise<void> {
    try {
      const readings = await this.db.readings(serial, { from, to: to - 1 });
      const meter = (await this.db.listMeters()).find((m) => m.serial === serial);
      const statistics = liveStatistics({ serial, ...(meter?.model ? { model: meter.model } : {}), readings });
      if (!statistics.length) return;
      const session = await this.openSession();
      try {
        const sent = await importStatistics(session, statistics);
        const rows = sent.reduce((n, s) => n + s.rows, 0);
        await this.keep({ liveSentUntil: { ...this.stored.liveSentUntil, [serial]: to - 3_600_000 } });
        this.set({
          liveStatus: appWords('app.ha.live-sent', { time: new Date().toLocaleTimeString(), rows }),
        });
      } finally {
        session.close();
      }
    } catch (e) {
      this.set({
        liveStatus: appWords('app.ha.live-failed', { time: new Date().toLocaleTimeString(), problem: problemWords(e) }),
      });
    }
  }
}

function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
