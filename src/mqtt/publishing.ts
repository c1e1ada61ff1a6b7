import { fill, type Words } from '../kmp/words.ts';
import type { OutboxSource } from '../store/outbox-types.ts';
import { removalMessages, type OutMessage } from './ha-discovery.ts';
import {
  MqttConnection,
  PublishingError,
  goodbyeTimedOutWords,
  type ConnectionOptions,
  type Goodbye,
  type MqttState,
} from './mqtt-connection.ts';
import type { MqttSettings } from './mqtt-settings.ts';
import { failureParam, mqttWords } from './mqtt-sentences.ts';
import { OutboxDrainer } from './outbox-drainer.ts';
import { ReadingPublisher, type DescribeMeter } from './reading-publisher.ts';
import { errorPayload, type ReadProblem } from './payloads.ts';
import { activityTopic, availabilityTopic, errorTopic, haStatusTopic } from './topics.ts';

export type ReaderActivity = 'polling' | 'connected' | 'no meter';

export interface PublishingDeps {
  outbox: OutboxSource;
  describe: DescribeMeter;
  appVersion: string;
  connection?: ConnectionOptions;
  /** Readings in flight at once while draining. */
  window?: number;
  /**
   * Discovery is sent again this long after the last `online` on Home Assistant's status topic:
   * a burst of births (a restart loop, a misbehaving bridge) costs one resend, not one per birth.
   */
  rediscoveryQuietMs?: number;
  /** Seconds a reading stays current in Home Assistant (expire_after); none unless given. */
  expireAfterS?: () => number | undefined;
}

/** What `stop()` managed: `message` (and its `words`) is for the person when the broker did not answer in time. */
export interface StopResult {
  goodbye: Goodbye;
  message?: string;
  words?: Words;
}

/** Long enough to swallow a burst of births, short enough that Home Assistant has its entities at once. */
export const REDISCOVERY_QUIET_MS = 1500;

export interface PublishingStatus {
  connection: MqttState;
  /** Readings stored but not yet acknowledged by the broker. */
  outbox: number;
  /** The last thing that went wrong outside the connection (storage), if any, in English. */
  error?: string;
  /** The same as words (mqtt-sentences.ts), set whenever `error` is. */
  errorWords?: Words;
}

/**
 * Publishing as a whole: one broker connection, the outbox drained on every connect and after
 * every new reading, Home Assistant discovery (sent again when Home Assistant restarts), and the
 * availability of the meter the app is connected to.
 */
export class Publishing {
  readonly connection: MqttConnection;
  private readonly publisher: ReadingPublisher;
  private readonly drainer: OutboxDrainer;
  private readonly listeners = new Set<(s: PublishingStatus) => void>();
  private outboxCount = 0;
  private error: Words | undefined;
  private onlineMeter: number | undefined;
  private doing: ReaderActivity | undefined;
  private rediscoveryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly settings: MqttSettings,
    private readonly deps: PublishingDeps,
  ) {
    this.connection = new MqttConnection(deps.connection);
    this.publisher = new ReadingPublisher(settings, deps.describe, deps.appVersion, deps.expireAfterS);
    this.drainer = new OutboxDrainer(
      deps.outbox,
      async (item) => ({ ack: this.sendAll(await this.publisher.messagesFor(item.reading)) }),
      () => this.connection.connected,
      {
        ...(deps.window ? { window: deps.window } : {}),
        onProgress: (n) => {
          this.outboxCount = n;
          this.emit();
        },
        onError: (e) => {
          this.error = mqttWords('mqtt.outbox-unreadable', { error: failureParam(e) });
          this.emit();
        },
      },
    );
    this.connection.subscribe(() => this.emit());
    this.connection.onConnect(() => {
      this.publisher.forgetAnnouncements();
      if (settings.discovery)
        void this.connection.subscribeTopic(haStatusTopic(settings.discoveryPrefix)).catch(() => undefined);
      if (this.onlineMeter !== undefined)
        void this.sendAll([this.availability(this.onlineMeter, 'online')]).catch(() => undefined);
      if (this.doing !== undefined) void this.sendAll([this.activityMessage(this.doing)]).catch(() => undefined);
      void this.drainer.kick();
    });
    this.connection.onMessage((topic, payload) => {
      if (topic === haStatusTopic(settings.discoveryPrefix) && payload === 'online') this.scheduleRediscovery();
    });
  }

  get status(): PublishingStatus {
    return {
      connection: this.connection.state,
      outbox: this.outboxCount,
      ...(this.error ? { error: fill(this.error), errorWords: this.error } : {}),
    };
  }

  subscribe(listener: (s: PublishingStatus) => void): () => void {
    this.listeners.add(listener);
    listener(this.status);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    this.connection.start(this.settings);
    void this.refreshCount();
  }

  /**
   * Says goodbye and closes, within the connection's goodbye timeout however the broker behaves
   * (saving settings awaits this). Readings whose publish was not acknowledged stay in the outbox.
   */
  async stop(): Promise<StopResult> {
    clearTimeout(this.rediscoveryTimer);
    this.rediscoveryTimer = undefined;
    const limitMs = this.connection.goodbyeTimeoutMs;
    const until = Date.now() + limitMs;
    const left = () => Math.max(0, until - Date.now());
    let answered = true;
    if (this.onlineMeter !== undefined && this.connection.connected)
      answered = await this.sendAll([this.availability(this.onlineMeter, 'offline')], left()).then(
        () => true,
        () => false,
      );
    // Publishes in flight are failed by the close below and stay in the outbox.
    if (answered) await Promise.race([this.drainer.idle(), new Promise((r) => setTimeout(r, left()))]);
    const goodbye = await this.connection.stop(answered ? Math.max(1, left()) : 0);
    await this.drainer.idle();
    if (goodbye !== 'timed-out') return { goodbye };
    const words = goodbyeTimedOutWords(limitMs);
    return { goodbye, message: fill(words), words };
  }

  /** A reading was stored with its outbox entry: publish it (and anything older still waiting). */
  readingQueued(): Promise<void> {
    this.outboxCount++;
    this.emit();
    return this.drainer.kick();
  }

  /** Publishes whatever waits in the outbox (queued by another tab, say). */
  drain(): Promise<void> {
    return this.drainer.kick();
  }

  /** The app opened (serial) or closed (undefined) a session with a meter. */
  setMeterOnline(serial: number | undefined): void {
    if (serial === this.onlineMeter) return;
    const was = this.onlineMeter;
    this.onlineMeter = serial;
    if (!this.connection.connected) return;
    const msgs = [
      ...(was !== undefined ? [this.availability(was, 'offline')] : []),
      ...(serial !== undefined ? [this.availability(serial, 'online')] : []),
    ];
    void this.sendAll(msgs).catch(() => undefined);
  }

  /**
   * A read failed: said on `<base>/<serial>/error` while connected. Not queued: it is news
   * about now, and the readings themselves are what must not be lost.
   */
  readFailed(serial: number, problem: ReadProblem): Promise<void> {
    if (!this.connection.connected) return Promise.resolve();
    return this.connection
      .publish(errorTopic(this.settings.baseTopic, serial), errorPayload(problem), { qos: 1, retain: false })
      .catch(() => undefined);
  }

  /** Removes a meter's entities from Home Assistant and its retained state from the broker. */
  async removeMeter(serial: number): Promise<void> {
    if (!this.connection.connected) throw new PublishingError('not-connected', mqttWords('mqtt.remove.not-connected'));
    await this.sendAll(
      removalMessages(serial, { prefix: this.settings.discoveryPrefix, baseTopic: this.settings.baseTopic }),
    );
    this.publisher.forgetAnnouncements();
  }

  /** Resolves when the outbox drainer is idle. */
  idle(): Promise<void> {
    return this.drainer.idle();
  }

  /**
   * What the reader does, retained on `<base>/activity`: polling, connected (a meter, no polling)
   * or no meter. `<base>/status` stays the connection's online/offline and last will, which
   * Home Assistant's availability reads.
   */
  setActivity(doing: ReaderActivity): void {
    if (doing === this.doing) return;
    this.doing = doing;
    if (this.connection.connected) void this.sendAll([this.activityMessage(doing)]).catch(() => undefined);
  }

  private activityMessage(doing: ReaderActivity): OutMessage {
    return { topic: activityTopic(this.settings.baseTopic), payload: doing, retain: true };
  }

  private availability(serial: number, payload: 'online' | 'offline'): OutMessage {
    return { topic: availabilityTopic(this.settings.baseTopic, serial), payload, retain: true };
  }

  /** Every birth restarts the quiet period; discovery goes out once the births have stopped. */
  private scheduleRediscovery(): void {
    clearTimeout(this.rediscoveryTimer);
    this.rediscoveryTimer = setTimeout(() => {
      this.rediscoveryTimer = undefined;
      void this.announceAgain();
    }, this.deps.rediscoveryQuietMs ?? REDISCOVERY_QUIET_MS);
  }

  private async announceAgain(): Promise<void> {
    this.publisher.forgetAnnouncements();
    await this.sendAll(await this.publisher.rediscoveryMessages()).catch(() => undefined);
  }

  /** QoS at least 1: the outbox must know what arrived. */
  private sendAll(messages: OutMessage[], timeoutMs?: number): Promise<void> {
    const qos = Math.max(1, this.settings.qos) as 1 | 2;
    const opts = { qos, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    return Promise.all(
      messages.map((m) => this.connection.publish(m.topic, m.payload, { ...opts, retain: m.retain })),
    ).then(() => undefined);
  }

  private async refreshCount(): Promise<void> {
    try {
      this.outboxCount = await this.deps.outbox.outboxCount();
      this.emit();
    } catch {
      // The drainer reports storage trouble when it runs.
    }
  }

  private emit(): void {
    const s = this.status;
    for (const l of this.listeners) l(s);
  }
}
