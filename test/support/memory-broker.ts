/**
 * A real MQTT broker (Aedes) reached through in-memory streams instead of sockets, so that a
 * simulation can run days of fake time: no socket, no real timer, only Node's own stream ticks
 * between the broker and mqtt.js. Everything the app sends goes through mqtt.js and Aedes as it
 * would over a WebSocket (CONNECT, will, retain, QoS 1 acknowledgements, keepalive pings).
 *
 * `cut()` ends the app's connections at once as a network fault between the app and the broker
 * would (the broker then publishes the wills); while `down` is true the app's new connections are
 * refused. Other clients (Home Assistant) stay connected: the fault is on the app's side.
 */
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { Duplex } from 'node:stream';
import type { ConnectionOptions } from '../../src/mqtt/mqtt-connection.ts';

/** Two stream ends: what one writes, the other reads; destroying one closes the other. */
function streamPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (other: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk, _encoding, done) {
        other().push(chunk);
        done();
      },
      final(done) {
        other().push(null);
        done();
      },
      destroy(error, done) {
        const o = other();
        if (!o.destroyed) o.destroy();
        done(error);
      },
    });
  ends.push(
    make(() => ends[1]!),
    make(() => ends[0]!),
  );
  return [ends[0]!, ends[1]!];
}

function refused(): Duplex {
  const s = new Duplex({
    read() {},
    write(_c, _e, done) {
      done();
    },
  });
  process.nextTick(() => s.destroy(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })));
  return s;
}

export class MemoryBroker {
  down = false;
  private readonly open = new Set<Duplex>();
  private readonly others: mqtt.MqttClient[] = [];

  private constructor(readonly aedes: Aedes) {}

  static async start(): Promise<MemoryBroker> {
    return new MemoryBroker(await Aedes.createBroker());
  }

  /** A client end of a new connection; the app's are refused while `down`. */
  private stream(app: boolean): Duplex {
    if (app && this.down) return refused();
    const [client, server] = streamPair();
    if (app) {
      this.open.add(client);
      client.on('close', () => this.open.delete(client));
    }
    this.aedes.handle(server);
    return client;
  }

  /** For the app: ConnectionOptions whose mqtt.js connects here, whatever the URL says. */
  connection(): Pick<ConnectionOptions, 'loadMqtt'> {
    const connect = (_url: string, options: mqtt.IClientOptions) =>
      new mqtt.MqttClient(() => this.stream(true), options);
    return {
      loadMqtt: async () => ({ ...mqtt, connect, default: { ...mqtt, connect } }) as unknown as typeof import('mqtt'),
    };
  }

  /** A client of its own (Home Assistant, a test's subscriber), connected here. */
  client(options: mqtt.IClientOptions): mqtt.MqttClient {
    const c = new mqtt.MqttClient(() => this.stream(false), { protocolVersion: 4, reconnectPeriod: 1000, ...options });
    this.others.push(c);
    return c;
  }

  /** The app's connections end now, without a goodbye. */
  cut(): void {
    for (const s of [...this.open]) s.destroy();
  }

  close(): Promise<void> {
    this.cut();
    for (const c of this.others) c.end(true);
    return new Promise((resolve) => this.aedes.close(() => resolve()));
  }
}
