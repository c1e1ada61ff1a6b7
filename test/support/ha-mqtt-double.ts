/**
 * A double of Home Assistant's MQTT integration for what decides whether an entity shows a value
 * or "unavailable", as Core's MQTT code does it (homeassistant/components/mqtt: discovery,
 * availability, sensor expire_after). Home Assistant itself cannot run here; each rule below is
 * tested on its own in test/support/ha-mqtt-double.test.ts, and the app's messages go through it.
 *
 * Rules:
 * 1. An entity exists from a retained or live JSON config on <prefix>/<component>/<node>/<object>/config;
 *    an empty payload there removes it.
 * 2. `availability` (a list of { topic, payload_available = 'online', payload_not_available =
 *    'offline' }) or the older `availability_topic`: each topic starts not available; a payload
 *    that is neither word changes nothing. `availability_mode` 'latest' (default): the last
 *    message on any of them decides; 'all': every one must be available; 'any': one is enough.
 * 3. `expire_after` (seconds, sensors): unavailable until the first state message, then for
 *    expire_after seconds after each one; the next state message makes it current again.
 * 4. A new entity subscribes to its state and availability topics; from then on it hears them
 *    (first what the broker retained there), and nothing from before.
 * 5. An entity is available when rules 2 and 3 both say so; without availability topics rule 2 says yes.
 */
export interface AvailabilityEntry {
  topic: string;
  payload_available?: string;
  payload_not_available?: string;
}

interface Entity {
  config: Record<string, unknown>;
  topics: Required<AvailabilityEntry>[];
  mode: 'latest' | 'all' | 'any';
  available: Map<string, boolean>;
  latest: boolean;
  lastStateAt: number | undefined;
}

export class HaMqttDouble {
  private readonly entities = new Map<string, Entity>();
  private readonly subscribed = new Set<string>();

  /**
   * `subscribe` is how the double asks its broker for an entity's topics (the broker then sends
   * what it retained there, as to Home Assistant); a message on a topic not yet asked for is
   * not heard, as Home Assistant does not hear it.
   */
  constructor(
    private readonly subscribe: (topics: string[]) => void = () => undefined,
    private readonly prefix = 'homeassistant',
  ) {}

  /** One MQTT message as Home Assistant receives it, at `at` (ms). */
  receive(topic: string, payload: string, at: number): void {
    const m = new RegExp(`^${this.prefix}/([^/]+)/(?:[^/]+/)?[^/]+/config$`).exec(topic);
    if (m) return this.discover(topic, payload);
    if (!this.subscribed.has(topic)) return;
    for (const e of this.entities.values()) {
      for (const t of e.topics) {
        if (t.topic !== topic) continue;
        const ok = payload === t.payload_available ? true : payload === t.payload_not_available ? false : undefined;
        if (ok === undefined) continue;
        e.available.set(topic, ok);
        e.latest = ok;
      }
      if (e.config.state_topic === topic) e.lastStateAt = at;
    }
  }

  /** The unique_ids of the entities Home Assistant has. */
  entityIds(): string[] {
    return [...this.entities.values()].map((e) => String(e.config.unique_id));
  }

  config(uniqueId: string): Record<string, unknown> | undefined {
    return this.find(uniqueId)?.config;
  }

  /** Whether the entity shows a value (true) or "unavailable" (false) at `at`; undefined when it does not exist. */
  availableAt(uniqueId: string, at: number): boolean | undefined {
    const e = this.find(uniqueId);
    if (!e) return undefined;
    const byTopics =
      e.topics.length === 0
        ? true
        : e.mode === 'all'
          ? e.topics.every((t) => e.available.get(t.topic) === true)
          : e.mode === 'any'
            ? e.topics.some((t) => e.available.get(t.topic) === true)
            : e.latest;
    const expireAfter = e.config.expire_after;
    const current =
      typeof expireAfter !== 'number' || expireAfter <= 0
        ? true
        : e.lastStateAt !== undefined && at < e.lastStateAt + expireAfter * 1000;
    return byTopics && current;
  }

  private find(uniqueId: string): Entity | undefined {
    return [...this.entities.values()].find((e) => e.config.unique_id === uniqueId);
  }

  private discover(topic: string, payload: string): void {
    if (payload === '') {
      this.entities.delete(topic);
      return;
    }
    const config = JSON.parse(payload) as Record<string, unknown>;
    const list = Array.isArray(config.availability)
      ? (config.availability as AvailabilityEntry[])
      : typeof config.availability_topic === 'string'
        ? [
            {
              topic: config.availability_topic,
              ...(typeof config.payload_available === 'string' ? { payload_available: config.payload_available } : {}),
              ...(typeof config.payload_not_available === 'string'
                ? { payload_not_available: config.payload_not_available }
                : {}),
            },
          ]
        : [];
    const before = this.entities.get(topic);
    const entity: Entity = {
      config,
      topics: list.map((t) => ({
        topic: t.topic,
        payload_available: t.payload_available ?? 'online',
        payload_not_available: t.payload_not_available ?? 'offline',
      })),
      mode:
        config.availability_mode === 'all' || config.availability_mode === 'any' ? config.availability_mode : 'latest',
      // A config sent again (rediscovery) keeps what the entity had heard.
      available: before?.available ?? new Map(),
      latest: before?.latest ?? false,
      lastStateAt: before?.lastStateAt,
    };
    this.entities.set(topic, entity);
    // The entity's topics are subscribed now; the broker answers with what it retained there.
    const fresh = [...entity.topics.map((x) => x.topic), String(config.state_topic)].filter(
      (t) => !this.subscribed.has(t),
    );
    for (const t of fresh) this.subscribed.add(t);
    if (fresh.length) this.subscribe(fresh);
  }
}
