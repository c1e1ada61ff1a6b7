import type { IClientOptions, MqttClient } from 'mqtt';
import { errorText } from '../kmp/error-text.ts';
import type { Problem } from '../kmp/errors.ts';
import { fill, type Words } from '../kmp/words.ts';
import { mqttWords } from './mqtt-sentences.ts';
import type { MqttSettings, Qos } from './mqtt-settings.ts';
import { checkBrokerReachability } from './network-rules.ts';
import { bridgeStatusTopic } from './topics.ts';

export type MqttProblemKind = 'auth' | 'refused' | 'unreachable' | 'blocked' | 'closed' | 'timeout';

/** Why the broker cannot be used right now, in words for the person and a kind for the code. */
export interface MqttProblem extends Problem {
  kind: MqttProblemKind;
  /** Why, in English (`words` filled in). */
  message: string;
  words: Words;
}

export type MqttState =
  | { kind: 'off' }
  | { kind: 'connecting'; attempt: number }
  | { kind: 'connected'; since: number }
  /** Lost or never reached; tries again at `retryAt`. */
  | { kind: 'waiting'; attempt: number; retryAt: number; problem: MqttProblem }
  /** Will not retry by itself: wrong credentials or an address the browser refuses. */
  | { kind: 'failed'; problem: MqttProblem };

export interface ConnectionOptions {
  /** Where the page lives, for the mixed-content and local-network checks. */
  pageUrl?: string;
  /** First reconnect delay; doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Loads mqtt.js; by default a dynamic import, so the library is fetched only when publishing. */
  loadMqtt?: () => Promise<typeof import('mqtt')>;
  /** A publish not acknowledged in this time fails (and is tried again later). */
  publishTimeoutMs?: number;
  /**
   * A connection attempt the broker has not completed (WebSocket upgrade and CONNACK) in this
   * time fails as 'timeout'. Default 10 s.
   */
  connectTimeoutMs?: number;
  /** How long `stop()` waits for the broker to acknowledge the goodbye (`offline`). Default 3 s. */
  goodbyeTimeoutMs?: number;
  /** Try once, no reconnecting: for "Test connection". */
  once?: boolean;
}

function unreachableWords(url: string): Words {
  return mqttWords(url.startsWith('wss:') ? 'mqtt.unreachable.wss' : 'mqtt.unreachable', { url });
}

/** Tenths of a second, as the sentences give a wait. */
const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** How `stop()` said goodbye: acknowledged, not acknowledged in time, or there was no connection to say it on. */
export type Goodbye = 'sent' | 'timed-out' | 'not-connected';

/** The broker did not acknowledge the goodbye within `ms`, as words. */
export function goodbyeTimedOutWords(ms: number): Words {
  return mqttWords('mqtt.goodbye-timed-out', { seconds: seconds(ms) });
}

export function goodbyeTimedOutMessage(ms: number): string {
  return fill(goodbyeTimedOutWords(ms));
}

/**
 * A publish that failed, or was refused, said as every Problem says it: for the person when what
 * they asked for (removing a meter) needed the broker, else only for the outbox to try again.
 */
export class PublishingError extends Error implements Problem {
  override readonly name = 'PublishingError';
  constructor(
    readonly kind: 'not-connected' | 'timeout' | 'closed',
    readonly words: Words,
  ) {
    super(fill(words));
  }
}

const notConnected = () => new PublishingError('not-connected', mqttWords('mqtt.publish.not-connected'));
const closedUnderneath = () => new PublishingError('closed', mqttWords('mqtt.publish.closed'));

/** A problem with its words and their English. */
function problem(kind: MqttProblemKind, words: Words): MqttProblem {
  return { kind, message: fill(words), words };
}

/** MQTT 3.1.1 CONNACK return codes that a retry cannot fix on its own. */
function connackProblem(code: number | undefined): MqttProblem | undefined {
  if (code === 4 || code === 5 || code === 134 || code === 135) return problem('auth', mqttWords('mqtt.auth'));
  if (code === 2 || code === 133) return problem('refused', mqttWords('mqtt.refused.client-id'));
  if (code === 1 || code === 132) return problem('refused', mqttWords('mqtt.refused.protocol'));
  if (code === 3 || code === 136) return problem('unreachable', mqttWords('mqtt.unavailable'));
  return undefined;
}

interface Pending {
  reject(e: Error): void;
}

/**
 * One connection to a broker over WebSocket with mqtt.js: reconnects with a growing delay,
 * tells apart wrong credentials, an unreachable broker and an address the browser refuses, and
 * fails every unacknowledged publish when the link drops so callers can send it again.
 */
export class MqttConnection {
  state: MqttState = { kind: 'off' };
  private client: MqttClient | undefined;
  private settings: MqttSettings | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly pending = new Set<Pending>();
  private readonly listeners = new Set<(s: MqttState) => void>();
  private readonly connectListeners = new Set<() => void>();
  private readonly messageListeners = new Set<(topic: string, payload: string) => void>();

  constructor(private readonly options: ConnectionOptions = {}) {}

  subscribe(listener: (s: MqttState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called after every successful (re)connect: the moment to send what waited. */
  onConnect(listener: () => void): () => void {
    this.connectListeners.add(listener);
    return () => this.connectListeners.delete(listener);
  }

  onMessage(listener: (topic: string, payload: string) => void): () => void {
    this.messageListeners.add(listener);
    return () => this.messageListeners.delete(listener);
  }

  get connected(): boolean {
    return this.state.kind === 'connected';
  }

  /** Connects with these (already validated) settings, replacing any earlier connection. */
  start(settings: MqttSettings): void {
    this.teardown();
    this.settings = settings;
    this.attempt = 0;
    const verdict = this.options.pageUrl
      ? checkBrokerReachability(settings.url, this.options.pageUrl)
      : { kind: 'ok' as const };
    if (verdict.kind === 'blocked') {
      this.setState({ kind: 'failed', problem: problem('blocked', verdict.words!) });
      return;
    }
    void this.connect(verdict.kind === 'prompt' ? verdict.words : undefined);
  }

  /**
   * Says goodbye (the app's status goes `offline`) and closes. Never waits longer than
   * `timeoutMs` (default `goodbyeTimeoutMs`) for a broker that has stopped answering; 0 skips
   * the goodbye. Resolves with whether the broker acknowledged it.
   */
  async stop(timeoutMs = this.goodbyeTimeoutMs): Promise<Goodbye> {
    const client = this.client;
    const settings = this.settings;
    let goodbye: Goodbye = 'not-connected';
    if (client && settings && this.connected) {
      goodbye = 'timed-out';
      if (timeoutMs > 0)
        goodbye = await this.publish(bridgeStatusTopic(settings.baseTopic), 'offline', {
          qos: 1,
          retain: true,
          timeoutMs,
        }).then(
          () => 'sent' as const,
          () => 'timed-out' as const,
        );
    }
    this.teardown();
    this.settings = undefined;
    this.setState({ kind: 'off' });
    return goodbye;
  }

  get goodbyeTimeoutMs(): number {
    return this.options.goodbyeTimeoutMs ?? 3000;
  }

  /**
   * Publishes; resolves once the broker acknowledged it (QoS 1 and 2), rejects if the link drops
   * first or after `timeoutMs` (default `publishTimeoutMs`).
   */
  publish(topic: string, payload: string, opts: { qos: Qos; retain: boolean; timeoutMs?: number }): Promise<void> {
    const client = this.client;
    if (!client || !this.connected) return Promise.reject(notConnected());
    return new Promise<void>((resolve, reject) => {
      const entry: Pending = { reject };
      this.pending.add(entry);
      const timer = setTimeout(
        () => finish(new PublishingError('timeout', mqttWords('mqtt.publish.timeout'))),
        opts.timeoutMs ?? this.options.publishTimeoutMs ?? 30_000,
      );
      const finish = (e?: Error) => {
        if (!this.pending.delete(entry)) return;
        clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      };
      entry.reject = (e) => finish(e);
      client.publish(topic, payload, { qos: opts.qos, retain: opts.retain }, (err) => finish(err ?? undefined));
    });
  }

  async subscribeTopic(topic: string): Promise<void> {
    await this.client?.subscribeAsync(topic, { qos: 0 });
  }

  private setState(s: MqttState): void {
    this.state = s;
    for (const l of this.listeners) l(s);
  }

  private teardown(): void {
    this.generation++;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.failPending(closedUnderneath());
    const client = this.client;
    this.client = undefined;
    client?.removeAllListeners();
    // Errors after we let go are of no interest, but an unhandled 'error' event would throw.
    client?.on('error', () => undefined);
    client?.end(true);
  }

  private failPending(e: Error): void {
    for (const p of [...this.pending]) p.reject(e);
  }

  private async connect(localNetworkNote: Words | undefined): Promise<void> {
    const settings = this.settings!;
    const generation = this.generation;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 10_000;
    this.attempt++;
    this.setState({ kind: 'connecting', attempt: this.attempt });
    const mod = await (this.options.loadMqtt ?? (() => import('mqtt')))();
    if (generation !== this.generation) return;
    const connect =
      (mod as { connect?: typeof mod.connect }).connect ?? (mod as unknown as { default: typeof mod }).default.connect;
    const options: IClientOptions = {
      protocolVersion: 4,
      clientId: settings.clientId || `kmp-web-${Math.random().toString(16).slice(2, 10)}`,
      keepalive: settings.keepaliveS,
      // mqtt.js's default in a browser runs the keepalive timer in a blob: worker, which our own
      // CSP (worker-src 'self') blocks: no PINGREQ, and the broker drops us every 1.5 × keepalive.
      // A page timer instead; see test/e2e/soak.test.ts.
      timerVariant: 'native',
      clean: true,
      reconnectPeriod: 0,
      // Ours (below) fires first and says what happened; mqtt.js's is only the backstop.
      connectTimeout: connectTimeoutMs + 1000,
      will: { topic: bridgeStatusTopic(settings.baseTopic), payload: 'offline', qos: 1, retain: true },
      ...(settings.username ? { username: settings.username, password: settings.password } : {}),
    };
    let client: MqttClient;
    try {
      client = connect(settings.url, options);
    } catch (e) {
      // A WebSocket constructor throws at once on a URL the page may not open.
      this.setState({
        kind: 'failed',
        problem: problem('blocked', mqttWords('mqtt.browser-refused', { url: settings.url, error: errorText(e) })),
      });
      return;
    }
    this.client = client;
    let refusal: MqttProblem | undefined;
    client.on('connect', () => {
      if (generation !== this.generation) return;
      clearTimeout(silence);
      this.attempt = 0;
      this.setState({ kind: 'connected', since: Date.now() });
      client.publish(bridgeStatusTopic(settings.baseTopic), 'online', { qos: 1, retain: true });
      for (const l of this.connectListeners) l();
    });
    client.on('message', (topic, payload) => {
      for (const l of this.messageListeners) l(topic, payload.toString());
    });
    client.on('error', (err) => {
      refusal = connackProblem((err as { code?: number }).code) ?? refusal;
    });
    // Without an answer in time the attempt ends here, whether or not the socket ever reports closing.
    const silence = setTimeout(() => {
      if (generation !== this.generation || this.state.kind !== 'connecting') return;
      refusal = problem('timeout', mqttWords('mqtt.silent', { url: settings.url, seconds: seconds(connectTimeoutMs) }));
      closed();
    }, connectTimeoutMs);
    const closed = () => {
      clearTimeout(silence);
      if (generation !== this.generation || this.client !== client) return;
      this.failPending(closedUnderneath());
      this.client = undefined;
      client.removeAllListeners();
      client.on('error', () => undefined);
      client.end(true);
      // Lost (when it was up), why it cannot be reached, and what the browser asks first: whole sentences, nested.
      const unreachable = unreachableWords(settings.url);
      const lost =
        this.state.kind === 'connected'
          ? mqttWords('mqtt.lost', { url: settings.url, problem: unreachable })
          : unreachable;
      const failure =
        refusal ??
        problem(
          'unreachable',
          localNetworkNote ? mqttWords('mqtt.with-network-note', { problem: lost, note: localNetworkNote }) : lost,
        );
      if (this.options.once || failure.kind === 'auth' || failure.kind === 'refused') {
        this.setState({ kind: 'failed', problem: failure });
        return;
      }
      const base = this.options.backoffMs ?? 1000;
      const delay = Math.min(
        this.options.maxBackoffMs ?? 30_000,
        base * 2 ** Math.min(Math.max(0, this.attempt - 1), 10),
      );
      this.setState({ kind: 'waiting', attempt: this.attempt, retryAt: Date.now() + delay, problem: failure });
      this.timer = setTimeout(() => void this.connect(localNetworkNote), delay);
    };
    client.on('close', closed);
  }
}
