/**
 * What Home Assistant shows of a meter when the world stops: the app's real messages, through a
 * real broker (Aedes), into the Home Assistant double (test/support/ha-mqtt-double.ts). A sensor
 * shows its value while readings come; unavailable once they stop for longer than expire_after,
 * at once when the session with the meter ends, and after the app dies without a goodbye (its
 * last will), never the last value as if current.
 */
import mqtt from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expireAfterSeconds } from '../../src/mqtt/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { aedesBroker } from '../support/brokers.ts';
import { HaMqttDouble } from '../support/ha-mqtt-double.ts';
import { freshName } from '../store/helpers.ts';
import { brokerSettings, closeApps, publishingWhen, startApp, until } from './helpers.ts';

afterEach(closeApps);

let broker: Awaited<ReturnType<typeof aedesBroker>>;
beforeAll(async () => {
  broker = await aedesBroker();
});
afterAll(async () => {
  await broker?.close();
});

/** Home Assistant listening on the broker: every message into the double, stamped on arrival. */
async function homeAssistant(
  base: string,
): Promise<{ ha: HaMqttDouble; stateAt: () => number | undefined; close(): Promise<void> }> {
  let lastState: number | undefined;
  const client = await mqtt.connectAsync(broker.wsUrl, { clientId: `ha-${Math.random().toString(16).slice(2)}` });
  const ha = new HaMqttDouble((topics) => void client.subscribeAsync(topics));
  client.on('message', (topic, payload) => {
    const at = Date.now();
    if (topic.endsWith('/state') && topic.startsWith(base)) lastState = at;
    ha.receive(topic, payload.toString(), at);
  });
  await client.subscribeAsync('homeassistant/#');
  return { ha, stateAt: () => lastState, close: () => client.endAsync() };
}

describe('Home Assistant’s view of a meter whose readings stop', () => {
  it('current while polled, unavailable after expire_after without readings, and at once when the session ends', async () => {
    const base = `kmp-avail-${Math.random().toString(16).slice(2, 8)}`;
    const { ha, stateAt, close } = await homeAssistant(base);
    try {
      const app = startApp(freshName());
      await app.ready;
      app.settings.update({ pollIntervalMs: 60_000 });
      await app.publishing.save(brokerSettings(broker.wsUrl, base));
      await publishingWhen(app.publishing, (v) => v.status?.connection.kind === 'connected');
      const meter = createVirtualMeter({ frozen: true, model: '403' });
      await app.session.connect(meter.port, { label: 'virtual', demo: true });
      const { serial } = await app.session.identify();
      await app.startPolling([60, 68, 80], 60_000);
      const id = await until(
        () =>
          ha.entityIds().find((e) => e.startsWith(`kamstrup_${serial}_`) && ha.config(e)?.device_class === 'energy'),
        (e) => e !== undefined,
      );
      expect(ha.config(id!)?.expire_after).toBe(expireAfterSeconds(60_000));
      expect(ha.config(id!)?.expire_after).toBe(240);
      await until(
        () => stateAt(),
        (t) => t !== undefined,
      );
      const last = stateAt()!;
      await until(
        () => ha.availableAt(id!, Date.now()),
        (a) => a === true,
      );
      // Readings stop (the meter, the head, the browser): current up to expire_after, unavailable after.
      expect(ha.availableAt(id!, last + 239_000)).toBe(true);
      expect(ha.availableAt(id!, last + 241_000)).toBe(false);
      // The session ends: unavailable at once, not 4 minutes later.
      await app.disconnect();
      await until(
        () => ha.availableAt(id!, Date.now()),
        (a) => a === false,
      );
      expect(Date.now() - last).toBeLessThan(240_000);
    } finally {
      await close();
    }
  }, 30_000);

  it('after the app dies without a goodbye, the sensors go unavailable by its last will', async () => {
    const base = `kmp-will-${Math.random().toString(16).slice(2, 8)}`;
    const { ha, close } = await homeAssistant(base);
    try {
      const app = startApp(freshName());
      await app.ready;
      await app.publishing.save(brokerSettings(broker.wsUrl, base));
      await publishingWhen(app.publishing, (v) => v.status?.connection.kind === 'connected');
      const meter = createVirtualMeter({ frozen: true, model: '403' });
      await app.session.connect(meter.port, { label: 'virtual', demo: true });
      await app.session.identifyAndRead([60, 68]);
      const id = await until(
        () => ha.entityIds().find((e) => ha.config(e)?.device_class === 'energy'),
        (e) => e !== undefined,
      );
      await until(
        () => ha.availableAt(id!, Date.now()),
        (a) => a === true,
      );
      // What a crashed tab leaves: the socket gone, no DISCONNECT, the per-meter topic still online.
      const connection = (app.publishing as unknown as { publishing: { connection: { client: mqtt.MqttClient } } })
        .publishing.connection.client;
      connection.stream.destroy();
      await until(
        () => ha.availableAt(id!, Date.now()),
        (a) => a === false,
        20_000,
      );
    } finally {
      await close();
    }
  }, 30_000);

  it('the activity topic says what the reader does', async () => {
    const base = `kmp-act-${Math.random().toString(16).slice(2, 8)}`;
    const seen: string[] = [];
    const client = await mqtt.connectAsync(broker.wsUrl);
    client.on('message', (t, p) => t === `${base}/activity` && seen.push(p.toString()));
    await client.subscribeAsync(`${base}/activity`);
    try {
      const app = startApp(freshName());
      await app.ready;
      await app.publishing.save(brokerSettings(broker.wsUrl, base));
      await publishingWhen(app.publishing, (v) => v.status?.connection.kind === 'connected');
      await until(
        () => seen.at(-1),
        (s) => s === 'no meter',
      );
      const meter = createVirtualMeter({ frozen: true, model: '403' });
      await app.session.connect(meter.port, { label: 'virtual', demo: true });
      await app.session.identify();
      await until(
        () => seen.at(-1),
        (s) => s === 'connected',
      );
      await app.startPolling([60], 60_000);
      await until(
        () => seen.at(-1),
        (s) => s === 'polling',
      );
      await app.stopPolling();
      await until(
        () => seen.at(-1),
        (s) => s === 'connected',
      );
    } finally {
      await client.endAsync();
    }
  }, 30_000);
});
