import type { KmpStore } from '../store/kmp-store.ts';
import { SecretBox } from '../store/secret-box.ts';
import { BrokerPassword, passwordGiven, withoutSecret, type BrokerSettings } from './broker-password.ts';
import type { ConnectionOptions, MqttState } from '../mqtt/mqtt-connection.ts';
import { DEFAULT_MQTT_SETTINGS, type MqttSettings } from '../mqtt/mqtt-defaults.ts';
// Types only: the check loads when there are settings to check (see loadCheck).
import type { FieldProblem, MqttSettingsCheck } from '../mqtt/mqtt-settings.ts';
import type { ReadProblem } from '../mqtt/payloads.ts';
import type { Publishing, PublishingStatus, ReaderActivity } from '../mqtt/publishing.ts';
import { fill, type Words } from '../kmp/words.ts';
import { AppError, appWords, messageWords, problemWords } from './app-words.ts';

export type { BrokerSettings } from './broker-password.ts';

export const MQTT_SETTING_KEY = 'mqtt';
const PUBLISHER_LOCK = 'kmp-web-publisher';

/** A field's problem of the app's own, in words with their English as its message. */
function fieldProblem(field: FieldProblem['field'], words: Words): FieldProblem & { words: Words } {
  return { field, message: fill(words), words };
}

/**
 * The field-by-field check of broker settings, loaded when there are settings to check (saved
 * ones at start, a save or a test) rather than with the first screen, which needs only the
 * defaults while publishing is off. Undefined when it could not load.
 */
async function loadCheck(): Promise<((input: unknown) => MqttSettingsCheck) | undefined> {
  try {
    return (await import('../mqtt/mqtt-settings.ts')).checkMqttSettings;
  } catch {
    return undefined;
  }
}

/** What closing a publisher said for the person (the broker did not say goodbye in time), as publishing words it. */
type StopNote = NonNullable<Awaited<ReturnType<Publishing['stop']>>['message']>;

export interface PublishingView {
  settings: BrokerSettings;
  /** The saved password cannot be read (its key is gone): it must be entered again. */
  passwordProblem: Words | undefined;
  /** Undefined while publishing is off. */
  status: PublishingStatus | undefined;
  /** Another tab of the app holds the publisher; this one takes over when it closes. */
  otherTabPublishes: boolean;
  /** Readings waiting in the outbox (shared by every tab). */
  outbox: number;
}

/**
 * The app's handle on publishing. Holds the saved settings and, while publishing is on, one
 * `Publishing` (loaded on demand, with mqtt.js behind it), in one tab only: tabs share the
 * outbox, and two publishers would send every reading twice.
 */
export class PublishingControl {
  settings: BrokerSettings = withoutSecret(DEFAULT_MQTT_SETTINGS, false);
  private password: BrokerPassword | undefined;
  private publishing: Publishing | undefined;
  private otherTab = false;
  private outbox = 0;
  private releaseLock: (() => void) | undefined;
  private lockWanted = false;
  private meterOnline: number | undefined;
  private doing: ReaderActivity | undefined;
  private pollMs: number | undefined;
  private stopped = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly listeners = new Set<(v: PublishingView) => void>();
  /** Tells the publishing tab that another tab queued a reading, so it need not wait for its timer. */
  private readonly channel =
    typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel('kmp-web-outbox');

  constructor(
    private readonly store: Promise<KmpStore | undefined>,
    private readonly appVersion: string,
    private readonly pageUrl: string,
    private readonly options: {
      /** How the broker connection is made (mqtt.js over WebSocket unless given): a simulation's own transport. */
      connection?: Omit<ConnectionOptions, 'pageUrl' | 'once'>;
      /** Web Locks, for one publishing tab at a time (navigator.locks unless given). */
      locks?: LockManager;
    } = {},
  ) {
    this.channel?.addEventListener('message', () => {
      if (this.publishing) void this.publishing.drain();
      else void this.refreshOutbox();
    });
  }

  get view(): PublishingView {
    return {
      settings: this.settings,
      passwordProblem: this.password?.problem,
      status: this.publishing?.status,
      otherTabPublishes: this.otherTab,
      outbox: this.publishing?.status.outbox ?? this.outbox,
    };
  }

  /**
   * The header's line for `view` (see mqttBadgeText). A method, so the header's badge, which is
   * in the first screen, words it without importing the app's sentences.
   */
  badgeText(view: PublishingView = this.view): Words {
    return mqttBadgeText(view);
  }

  subscribe(listener: (v: PublishingView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view);
    return () => this.listeners.delete(listener);
  }

  /**
   * Loads the saved settings (an invalid record is ignored, never used) and starts if enabled. A
   * password stored as plain text by an older version is sealed and the record written back.
   */
  async init(): Promise<void> {
    const db = await this.store;
    const saved = await db?.getSetting<unknown>(MQTT_SETTING_KEY).catch(() => undefined);
    if (db && saved !== undefined) {
      const checkMqttSettings = await loadCheck();
      if (!checkMqttSettings) throw new AppError('files-missing', appWords('app.publishing.unchecked-saved'));
      const check = checkMqttSettings(saved);
      if (check.ok) {
        const password = this.passwordOf(db);
        if (await password.load(saved as Record<string, unknown>)) await this.keep(db, check.settings);
        this.settings = withoutSecret(check.settings, password.saved);
      }
    }
    await this.refreshOutbox();
    await this.apply();
  }

  /**
   * Checks, saves and applies settings; returns the problems instead when any field is wrong.
   * Input without a `password` keeps the saved one (the app never hands it out to be sent
   * back), but not without a user name, which MQTT needs to send one. Bounded however the old
   * broker behaves: closing its connection waits at most the goodbye timeout, and `note` says
   * so when that ran out.
   */
  async save(input: unknown): Promise<{ problems: FieldProblem[]; note?: StopNote }> {
    const checkMqttSettings = await loadCheck();
    if (!checkMqttSettings)
      return {
        problems: [fieldProblem('enabled', appWords('app.publishing.unchecked-not-saved'))],
      };
    const check = checkMqttSettings(input);
    if (!check.ok) return { problems: check.problems };
    const db = await this.store;
    if (!db) return { problems: [fieldProblem('enabled', appWords('app.publishing.no-storage'))] };
    const password = this.passwordOf(db);
    const given = passwordGiven(input);
    try {
      if (given !== undefined) await password.set(given);
      else if (!check.settings.username && password.saved) await password.set('');
    } catch (e) {
      return {
        problems: [fieldProblem('password', appWords('app.publishing.not-saved', { problem: problemWords(e) }))],
      };
    }
    await this.keep(db, check.settings);
    this.settings = withoutSecret(check.settings, password.saved);
    const note = await this.apply();
    return note ? { problems: [], note } : { problems: [] };
  }

  /**
   * The saved settings for a settings export: with the password opened when `includePassword`
   * (refused in words when it cannot be read), else without it. Undefined when none are saved.
   */
  async exportable(includePassword: boolean): Promise<Record<string, unknown> | undefined> {
    const db = await this.store;
    if (!db || (await db.getSetting(MQTT_SETTING_KEY)) === undefined) return undefined;
    const { passwordSaved: _saved, ...settings } = this.settings;
    if (!includePassword || !this.password?.saved) return settings;
    const password = await this.password.text();
    if (this.password.problem) throw new AppError('password-unreadable', this.password.problem);
    return { ...settings, password };
  }

  /** A reading was stored (with its outbox entry when publishing is on). */
  readingStored(): void {
    if (this.publishing) void this.publishing.readingQueued();
    else {
      this.channel?.postMessage('queued');
      void this.refreshOutbox();
    }
  }

  readFailed(serial: number, problem: ReadProblem): void {
    void this.publishing?.readFailed(serial, problem);
  }

  setMeterOnline(serial: number | undefined): void {
    this.meterOnline = serial;
    this.publishing?.setMeterOnline(serial);
  }

  /** What the reader does, for `<base>/activity`. */
  setActivity(doing: ReaderActivity): void {
    this.doing = doing;
    this.publishing?.setActivity(doing);
  }

  /** The polling interval now: Home Assistant's expire_after follows it (sent with the next discovery). */
  expectReadingsEvery(intervalMs: number): void {
    this.pollMs = intervalMs;
  }

  async removeMeter(serial: number): Promise<void> {
    if (!this.publishing) throw new AppError('publishing-off', appWords('app.publishing.off-remove'));
    await this.publishing.removeMeter(serial);
  }

  /** Connects once with these settings, without saving them: what the broker says. */
  async test(input: unknown): Promise<{ ok: true } | { ok: false; problems?: FieldProblem[]; message?: Words }> {
    const checkMqttSettings = await loadCheck();
    if (!checkMqttSettings) return { ok: false, message: appWords('app.publishing.unchecked-test') };
    const check = checkMqttSettings(input);
    if (!check.ok) return { ok: false, problems: check.problems };
    // Without a password of its own, the test uses the saved one, as saving these settings would.
    const given = passwordGiven(input);
    const password = given ?? (check.settings.username ? ((await this.password?.text()) ?? '') : '');
    const { MqttConnection } = await import('../mqtt/mqtt-connection.ts');
    const conn = new MqttConnection({ once: true, pageUrl: this.pageUrl, connectTimeoutMs: 8000 });
    const result = await new Promise<MqttState>((resolve) => {
      conn.subscribe((s) => {
        if (s.kind === 'connected' || s.kind === 'failed') resolve(s);
      });
      conn.start({ ...check.settings, password, clientId: '' });
    });
    await conn.stop();
    return result.kind === 'connected'
      ? { ok: true }
      : {
          ok: false,
          message:
            result.kind === 'failed' ? messageWords(result.problem) : appWords('app.publishing.could-not-connect'),
        };
  }

  /**
   * Stops publishing from this tab for good, as a closing page does: the publisher, its timer,
   * the tab lock (another tab takes over) and the channel. The saved settings stay.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.stopPublishing();
    this.unlock();
    this.channel?.close();
  }

  /** Stops the current publisher and starts one with the settings; what closing the old one said. */
  private async apply(): Promise<StopNote | undefined> {
    const note = await this.stopPublishing();
    if (!this.settings.enabled || this.stopped) {
      this.unlock();
      this.emit();
      return note;
    }
    if (this.releaseLock) {
      await this.startPublishing();
      return note;
    }
    if (this.lockWanted) return note;
    const locks = this.options.locks ?? (typeof navigator !== 'undefined' ? navigator.locks : undefined);
    if (!locks) {
      await this.startPublishing();
      return note;
    }
    this.lockWanted = true;
    const hold = (): Promise<void> =>
      new Promise<void>((release) => {
        this.releaseLock = release;
        this.otherTab = false;
        this.lockWanted = false;
        if (this.settings.enabled && !this.stopped) void this.startPublishing();
        else this.unlock();
      });
    void locks.request(PUBLISHER_LOCK, { ifAvailable: true }, (lock) => {
      if (lock) return hold();
      // Another tab publishes: say so, and take over when it closes.
      this.otherTab = true;
      this.emit();
      void locks.request(PUBLISHER_LOCK, () => hold());
      return undefined;
    });
    return note;
  }

  private passwordOf(db: KmpStore): BrokerPassword {
    return (this.password ??= new BrokerPassword(SecretBox.inStore(db)));
  }

  /** Stores the settings with the password as BrokerPassword keeps it: sealed, never plain. */
  private async keep(db: KmpStore, settings: MqttSettings): Promise<void> {
    const { password: _plain, ...rest } = settings;
    await db.putSetting(MQTT_SETTING_KEY, { ...rest, ...this.password?.stored() });
  }

  private unlock(): void {
    this.releaseLock?.();
    this.releaseLock = undefined;
  }

  private async startPublishing(): Promise<void> {
    const db = await this.store;
    if (!db || this.publishing) return;
    const { Publishing, describeFromStore, expireAfterSeconds } = await import('../mqtt/index.ts');
    // Opened only now, and held only by the connection: the settings the app shows never carry it.
    const password = (await this.password?.text()) ?? '';
    if (this.stopped || this.publishing) return;
    const { passwordSaved: _saved, ...settings } = this.settings;
    const p = new Publishing(
      { ...settings, password },
      {
        outbox: db,
        describe: describeFromStore(db),
        appVersion: this.appVersion,
        connection: { ...this.options.connection, pageUrl: this.pageUrl },
        expireAfterS: () => (this.pollMs === undefined ? undefined : expireAfterSeconds(this.pollMs)),
      },
    );
    this.publishing = p;
    p.subscribe(() => this.emit());
    p.setMeterOnline(this.meterOnline);
    if (this.doing) p.setActivity(this.doing);
    p.start();
    // Other tabs may have queued readings: look at the shared outbox now and then.
    this.timer = setInterval(() => void p.drain(), 30_000);
  }

  private async stopPublishing(): Promise<StopNote | undefined> {
    clearInterval(this.timer);
    const p = this.publishing;
    this.publishing = undefined;
    return p ? (await p.stop()).message : undefined;
  }

  private async refreshOutbox(): Promise<void> {
    const db = await this.store;
    this.outbox = (await db?.outboxCount().catch(() => 0)) ?? 0;
    this.emit();
  }

  private emit(): void {
    const v = this.view;
    for (const l of this.listeners) l(v);
  }
}

/** The broker as the header names it: host and port of its address (the address itself if it is not one). */
export function brokerName(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** The header's line: which broker, and how publishing to it goes. */
export function mqttBadgeText(view: PublishingView): Words {
  const state = mqttStateText(view);
  const count = view.outbox;
  if (view.settings.enabled && view.settings.url) {
    const broker = brokerName(view.settings.url);
    return count
      ? appWords('app.mqtt.badge.broker.waiting', { broker, state, count })
      : appWords('app.mqtt.badge.broker', { broker, state });
  }
  return count ? appWords('app.mqtt.badge.waiting', { state, count }) : appWords('app.mqtt.badge', { state });
}

/** What an import that set the broker says of it: whether readings go there now, or what is left to do. */
export function brokerAppliedText(view: PublishingView): Words {
  const url = view.settings.url;
  if (!view.settings.enabled) return appWords('app.broker-applied.off', { url });
  if (view.status?.connection.kind === 'connected') return appWords('app.broker-applied.connected', { url });
  return appWords('app.broker-applied.on', { url, state: mqttStateText(view) });
}

/** Plain words for the connection state, for the Publish page and the header badge. */
export function mqttStateText(view: PublishingView): Words {
  if (!view.settings.enabled) return appWords('app.mqtt.off');
  if (view.otherTabPublishes) return appWords('app.mqtt.other-tab');
  const s: MqttState | undefined = view.status?.connection;
  switch (s?.kind) {
    case undefined:
    case 'off':
      return appWords('app.mqtt.starting');
    case 'connecting':
      return s.attempt > 1
        ? appWords('app.mqtt.connecting.attempt', { attempt: s.attempt })
        : appWords('app.mqtt.connecting');
    case 'connected':
      return appWords('app.mqtt.connected');
    case 'waiting':
      return appWords('app.mqtt.waiting', {
        seconds: Math.max(1, Math.round((s.retryAt - Date.now()) / 1000)),
      });
    case 'failed':
      return appWords('app.mqtt.failed');
  }
}
