import type { Reading } from '../kmp/index.ts';
import type { MeterRecord } from '../store/schema.ts';
import { discoveryMessages, discoverySignature, type MeterDescription, type OutMessage } from './ha-discovery.ts';
import type { MqttSettings } from './mqtt-settings.ts';
import { seedValuesPayload, statePayload } from './payloads.ts';
import { stateTopic, valuesTopic } from './topics.ts';

/** What the publisher needs to know of a meter beyond its reading (from the store). */
export type DescribeMeter = (serial: number) => Promise<Omit<MeterDescription, 'serial'> | undefined>;

/**
 * Turns a reading into the messages to publish, in this order: Home Assistant discovery (when
 * the meter, its registers or their units are new to this connection), the per-meter state,
 * and the reference project's `<base>/values`.
 */
export class ReadingPublisher {
  /** serial → the discovery signature already sent on this connection. */
  private readonly announced = new Map<number, string>();
  /** serial → the latest reading seen, to announce again when Home Assistant restarts. */
  private readonly latest = new Map<number, Reading>();

  constructor(
    private readonly settings: MqttSettings,
    private readonly describe: DescribeMeter,
    private readonly appVersion: string,
    /** Seconds a reading stays current in Home Assistant (expire_after), as polling asks now. */
    private readonly expireAfterS: () => number | undefined = () => undefined,
  ) {}

  async messagesFor(reading: Reading): Promise<OutMessage[]> {
    const s = this.settings;
    const meter: MeterDescription = {
      serial: reading.serial,
      ...((await this.describe(reading.serial).catch(() => undefined)) ?? {}),
    };
    const prev = this.latest.get(reading.serial);
    if (!prev || prev.takenAt <= reading.takenAt) this.latest.set(reading.serial, reading);
    const out: OutMessage[] = [];
    if (s.discovery) {
      const expireAfterS = this.expireAfterS();
      const signature = discoverySignature(meter, reading.values, expireAfterS);
      if (this.announced.get(reading.serial) !== signature) {
        this.announced.set(reading.serial, signature);
        out.push(...discoveryMessages(meter, reading.values, this.discoveryOptions(expireAfterS)));
      }
    }
    out.push({
      topic: stateTopic(s.baseTopic, reading.serial),
      payload: JSON.stringify(statePayload(reading, meter.model)),
      retain: s.retain,
    });
    const values = seedValuesPayload(reading);
    if (values) out.push({ topic: valuesTopic(s.baseTopic), payload: values, retain: s.retain });
    return out;
  }

  /** After a reconnect, or when Home Assistant says it (re)started: announce every meter again. */
  forgetAnnouncements(): void {
    this.announced.clear();
  }

  /** Discovery for every meter seen, built from its latest reading. */
  async rediscoveryMessages(): Promise<OutMessage[]> {
    if (!this.settings.discovery) return [];
    const out: OutMessage[] = [];
    for (const reading of this.latest.values()) {
      const meter: MeterDescription = {
        serial: reading.serial,
        ...((await this.describe(reading.serial).catch(() => undefined)) ?? {}),
      };
      const expireAfterS = this.expireAfterS();
      this.announced.set(reading.serial, discoverySignature(meter, reading.values, expireAfterS));
      out.push(...discoveryMessages(meter, reading.values, this.discoveryOptions(expireAfterS)));
    }
    return out;
  }

  private discoveryOptions(expireAfterS: number | undefined) {
    return {
      prefix: this.settings.discoveryPrefix,
      baseTopic: this.settings.baseTopic,
      appVersion: this.appVersion,
      ...(expireAfterS !== undefined ? { expireAfterS } : {}),
    };
  }
}

/** Meter descriptions from the store's meter records (written when the app identifies a meter). */
export function describeFromStore(store: {
  getMeter(serial: number): Promise<MeterRecord | undefined>;
}): DescribeMeter {
  return async (serial) => {
    const m = await store.getMeter(serial);
    return m
      ? {
          ...(m.model ? { model: m.model } : {}),
          ...(m.softwareRevision ? { softwareRevision: m.softwareRevision } : {}),
        }
      : undefined;
  };
}
