import type { Words } from '../kmp/words.ts';
import { MeterSession } from '../link/index.ts';
// Straight from the modules, not the store's index: that also re-exports the YAML import,
// which must stay out of the first screen's bundle.
import { KmpStore } from '../store/kmp-store.ts';
import type { LoggerListRecord } from '../store/schema.ts';
import { StoreError } from '../store/store-error.ts';
import { acquireMeterLock, meterLockHeldElsewhere, type MeterLock } from '../store/tab-lock.ts';
import { AppSettings } from './app-settings.ts';
import { appWords, messageWords } from './app-words.ts';
import { FrameLogSink } from './frame-log-sink.ts';
import { connectHead } from './head-connection.ts';
import type { Head, HeadSource } from './head.ts';
import { InfoCodeWatch, browserNotifier, type Notifier } from './info-code-watch.ts';
import {
  downloadLoggerAndKeep,
  listLoggersAndKeep,
  scanAndKeep,
  type LoggerDownloadOptions,
  type LoggerDownloadOutcome,
  type ScanOutcome,
} from './meter-operations.ts';
import { rememberIdentities } from './meter-record.ts';
import { Notices } from './notices.ts';
import { loadPollingIntent, savePollingIntent, type PollingIntent } from './polling-intent.ts';
import { PollingWakeLock, type WakeLockEnv } from './polling-wake-lock.ts';
import { PublishingControl } from './publishing-control.ts';
import type { ConnectionOptions } from '../mqtt/mqtt-connection.ts';
import { followPollInterval, reportMeterEvents, storeReadings } from './reading-pipeline.ts';
import { keepSettings } from './settings-sync.ts';
import type { HaStatisticsControl } from './ha-statistics-control.ts';
import { HA_SETTING_KEY } from './ha-setting-key.ts';
import { Station } from './station.ts';
import { StoragePersistence, type PersistenceStorage } from './storage-persistence.ts';

export interface MeterAppOptions {
  /** The app's version: in the broker's device descriptions and the diagnostics bundle. */
  appVersion: string;
  /** The page's address: a broker address is checked against it (no ws:// from an https page). */
  pageUrl: string;
  /** The browser parts the screen wake lock needs. */
  wakeLock: WakeLockEnv;
  /** How an info-code change is notified; the browser's Notification API unless given. */
  notifier?: Notifier;
  /** The meter session; a new one unless given. */
  session?: MeterSession;
  /** Opens the database (the app's own unless given); `onVersionChange`: another tab upgraded it. */
  openStore?: (onVersionChange: () => void) => Promise<KmpStore>;
  /** Takes the one-tab meter lock (Web Locks unless given); undefined while another tab holds it. */
  acquireMeterLock?: (options: { wait?: boolean }) => Promise<MeterLock | undefined>;
  /** navigator.storage unless given: asked to keep the data when polling or station mode starts. */
  storage?: PersistenceStorage;
  /** The person's settings; new ones with the defaults unless given (the pages' head source reads them too). */
  settings?: AppSettings;
  /** The heads allowed before (made by the pages' side, which holds the browser APIs); none unless given. */
  heads?: HeadSource;
  /** Web Locks for the station's leader tab and the one publishing tab; navigator.locks unless given. */
  locks?: LockManager;
  /** How publishing reaches the broker (mqtt.js over WebSocket unless given): a simulation's transport. */
  mqttConnection?: Omit<ConnectionOptions, 'pageUrl' | 'once'>;
}

const UPDATED_ELSEWHERE = appWords('app.updated-elsewhere');

/**
 * The app without its pages: owns what happens to data. Readings go to the store first, then
 * to the outbox and the broker (see reading-pipeline.ts); identities, scans, logger downloads,
 * the frame log and the settings are kept in the store; the meter lock goes with the
 * connection. The pages call `scan` and `downloadLogger` and only show what comes back.
 */
export class MeterApp {
  readonly version: string;
  readonly session: MeterSession;
  readonly settings: AppSettings;
  /** The database; undefined when storage is unavailable (see storeProblem). */
  readonly store: Promise<KmpStore | undefined>;
  readonly publishing: PublishingControl;
  readonly infoWatch: InfoCodeWatch;
  readonly wakeLock: PollingWakeLock;
  /** Whether the browser keeps the data under disk pressure, asked when polling or station mode starts. */
  readonly storagePersistence: StoragePersistence;
  /** Station mode: reconnect and resume by itself (see station.ts); set up once the store is open. */
  readonly station: Promise<Station | undefined>;
  /** Problems outside any page: a reading not stored, publishing not started, another tab's upgrade. */
  readonly notices = new Notices();
  /** Calls back with the meter's serial each time a reading has been written to the store. */
  readonly readingsSaved = {
    subscribe: (listener: (serial: number) => void): (() => void) => {
      this.savedListeners.add(listener);
      return () => this.savedListeners.delete(listener);
    },
  };
  /** Settles once everything is connected to the store and publishing has started (or failed to). */
  readonly ready: Promise<void>;
  private readonly savedListeners = new Set<(serial: number) => void>();
  private haControl: Promise<HaStatisticsControl | undefined> | undefined;
  private readonly takeLock: (options: { wait?: boolean }) => Promise<MeterLock | undefined>;
  private problem: Words | undefined;
  private lock: MeterLock | undefined;
  private frames: FrameLogSink | undefined;
  private readonly stops: Array<() => unknown> = [];
  private readonly options: MeterAppOptions;

  constructor(options: MeterAppOptions) {
    this.options = options;
    this.settings = options.settings ?? new AppSettings();
    this.version = options.appVersion;
    this.session = options.session ?? new MeterSession();
    this.takeLock = options.acquireMeterLock ?? ((o) => acquireMeterLock(undefined, this.locks(), o));
    const open = options.openStore ?? ((onVersionChange) => KmpStore.open({ onVersionChange }));
    this.store = open(() => this.notices.report(UPDATED_ELSEWHERE)).catch((e: unknown) => {
      this.problem =
        e instanceof StoreError ? messageWords(e) : appWords('app.storage-unavailable', { why: String(e) });
      return undefined;
    });
    this.publishing = new PublishingControl(this.store, options.appVersion, options.pageUrl, {
      ...(options.mqttConnection ? { connection: options.mqttConnection } : {}),
      ...(options.locks ? { locks: options.locks } : {}),
    });
    this.infoWatch = new InfoCodeWatch(this.session, this.settings, options.notifier ?? browserNotifier());
    this.wakeLock = new PollingWakeLock(this.session, this.settings, options.wakeLock);
    this.storagePersistence = new StoragePersistence(options.storage ?? globalThis.navigator?.storage);
    // The meter lock goes with the connection.
    this.stops.push(
      this.session.subscribe(() => {
        const kind = this.session.state.kind;
        if (kind === 'disconnected' || kind === 'failed') this.releaseLock();
      }),
    );
    this.ready = this.store.then((db) => (db ? this.keepInStore(db) : undefined));
    this.station = this.ready.then(() => this.store).then((db) => (db ? this.startStation(db) : undefined));
  }

  /**
   * "Send to Home Assistant" (statistics), loaded the first time it is asked for; undefined
   * without storage. Its live readings follow every saved reading from then on.
   */
  homeAssistant(): Promise<HaStatisticsControl | undefined> {
    return (this.haControl ??= this.store.then(async (db) => {
      if (!db) return undefined;
      const { HaStatisticsControl } = await import('./ha-statistics-control.ts');
      const control = new HaStatisticsControl(db, () => this.options.pageUrl);
      await control.load();
      this.stops.push(this.readingsSaved.subscribe((serial) => void control.readingSaved(serial)));
      return control;
    }));
  }

  /** Why storage is unavailable, in plain words; undefined while it works. */
  storeProblem(): Words | undefined {
    return this.problem;
  }

  /**
   * Takes the one-tab meter lock; false while another tab of the app is connected to a meter.
   * With `wait` (the station), waits until that tab lets go.
   */
  async claimMeter(options: { wait?: boolean } = {}): Promise<boolean> {
    return (this.lock ??= await this.takeLock(options)) !== undefined;
  }

  /**
   * Connects through `head`, identifies the meter and goes on with what was asked for: polling
   * resumed when it is wanted, else one reading (see head-connection.ts). A problem the session
   * does not show itself (another tab holds the meter, an unexpected failure) comes back in words.
   */
  async connectHead(head: Head): Promise<Words | undefined> {
    return connectHead(
      {
        session: this.session,
        settings: this.settings,
        store: await this.store,
        claimMeter: () => this.claimMeter(),
        intent: () => this.pollingIntent(),
      },
      head,
    );
  }

  /** Starts polling and keeps that it was asked for, so a reload, a replug or another tab goes on with it. */
  async startPolling(registers: readonly number[], intervalMs: number): Promise<void> {
    this.session.startPolling(registers, intervalMs);
    const activity = this.session.activity;
    const intent: PollingIntent = {
      registers: [...registers],
      intervalMs: activity.kind === 'polling' ? activity.intervalMs : intervalMs,
      anchor: Date.now(),
    };
    await this.keepIntent(intent);
  }

  /** Stops polling by hand: nothing resumes it until it is started again. */
  async stopPolling(): Promise<void> {
    // The wish first, then the session: the page shows "Start polling" only once a reload
    // would find polling unwanted (stopped first, a reload at once resumed it).
    await this.keepIntent(undefined);
    this.session.stopPolling();
  }

  /** Disconnects by hand: polling is no longer wanted either. */
  async disconnect(): Promise<void> {
    await this.keepIntent(undefined);
    await this.session.disconnect();
  }

  /** What polling was asked for, if it is wanted (shared by every tab through the store). */
  async pollingIntent(): Promise<PollingIntent | undefined> {
    const db = await this.store;
    return db ? loadPollingIntent(db) : undefined;
  }

  private async keepIntent(intent: PollingIntent | undefined): Promise<void> {
    const db = await this.store;
    await (db && savePollingIntent(db, intent))?.catch((e: unknown) => this.notices.report(e));
  }

  /** Scans the connected meter's registers (see MeterSession.scan) and keeps the result as its last scan. */
  scan(candidates: readonly number[], budget?: number): Promise<ScanOutcome> {
    return scanAndKeep(this.session, this.store, this.notices, candidates, budget);
  }

  /** Reads which loggers the connected meter has (one request per type) and keeps the list with it. */
  listLoggers(options?: { signal?: AbortSignal }): Promise<LoggerListRecord> {
    return listLoggersAndKeep(this.session, this.store, options);
  }

  /** Downloads one of the connected meter's loggers into the store, going on from what is stored. */
  downloadLogger(
    logger: number,
    registers: readonly number[],
    options?: LoggerDownloadOptions,
  ): Promise<LoggerDownloadOutcome> {
    return downloadLoggerAndKeep(this.session, this.store, logger, registers, options);
  }

  /**
   * Stops everything this app started, as a page that goes away does: the frame log is written,
   * publishing stops, the session disconnects, the lock and the database are let go. Not used
   * afterwards; a new MeterApp over the same database is what a reload makes.
   */
  async close(): Promise<void> {
    await this.ready;
    await this.station;
    for (const stop of this.stops.splice(0)) stop();
    await this.frames?.stop();
    await this.publishing.stop();
    await this.session.disconnect();
    this.releaseLock();
    (await this.store)?.close();
  }

  private async startStation(db: KmpStore): Promise<Station> {
    const station = new Station({
      session: this.session,
      settings: this.settings,
      store: db,
      notices: this.notices,
      heads: this.options.heads,
      locks: this.locks(),
      connectHead: (head) => this.connectHead(head),
      waitForMeter: () => this.claimMeter({ wait: true }).then(() => undefined),
      intent: () => loadPollingIntent(db),
      meterHeldElsewhere: async () =>
        this.lock === undefined && (await meterLockHeldElsewhere(undefined, this.locks())),
    });
    this.stops.push(await station.start());
    return station;
  }

  private locks(): LockManager | undefined {
    return this.options.locks ?? globalThis.navigator?.locks;
  }

  private releaseLock(): void {
    this.lock?.release();
    this.lock = undefined;
  }

  private async keepInStore(db: KmpStore): Promise<void> {
    // A settings record that cannot be read leaves the defaults; the rest still works.
    const stopSaving = await keepSettings(this.settings, db, this.notices).catch((e: unknown) => {
      this.notices.report(e);
      return undefined;
    });
    if (stopSaving) this.stops.push(stopSaving);
    this.stops.push(
      storeReadings(this.session, db, this.publishing, this.notices, (serial) => {
        for (const listener of this.savedListeners) listener(serial);
      }),
      reportMeterEvents(this.session, this.publishing),
      // Home Assistant's expire_after follows the interval polling runs at, or the chosen one.
      followPollInterval(this.session, this.settings, (ms) => this.publishing.expectReadingsEvery(ms)),
      rememberIdentities(this.session, db, this.notices),
    );
    this.frames = new FrameLogSink(this.session.log, db);
    void this.storagePersistence.check();
    this.stops.push(this.storagePersistence.watch(this.session, this.settings));
    await this.publishing.init().catch((e: unknown) => this.notices.report(e, 'app.notice.publishing'));
    const passwordProblem = this.publishing.view.passwordProblem;
    if (passwordProblem) this.notices.report(passwordProblem);
    // Live readings into Home Assistant's statistics go on after a reload when they were asked for.
    const ha = await db.getSetting<{ live?: unknown }>(HA_SETTING_KEY).catch(() => undefined);
    if (ha?.live === true) void this.homeAssistant().catch((e: unknown) => this.notices.report(e));
  }
}
