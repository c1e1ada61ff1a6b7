/**
 * Publishing against real brokers: Debian's Mosquitto with a WebSocket listener and the
 * embedded Aedes broker, with the app's own store (IndexedDB through fake-indexeddb) as the outbox.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_MQTT_SETTINGS,
  describeFromStore,
  Publishing,
  type MqttSettings,
  type MqttState,
} from '../../src/mqtt/index.ts';
import type { KmpStore } from '../../src/store/index.ts';
import { aedesBroker, mosquittoBroker, freePort, type TestBroker } from '../support/brokers.ts';
import { subscribe, type Subscriber } from '../support/subscriber.ts';
import { freshName, openStore, reading } from '../store/helpers.ts';

const SERIAL = 7012345;
const T0 = Date.UTC(2026, 10, 25, 8, 0, 0);
const AUTH = { username: 'kmp', password: 'right-password' };

type Broker = TestBroker & { close(): Promise<void> };

function settingsFor(broker: TestBroker, extra: Partial<MqttSettings> = {}): MqttSettings {
  return { ...DEFAULT_MQTT_SETTINGS, enabled: true, url: broker.wsUrl, baseTopic: `kmp-test-${broker.name}`, ...extra };
}

async function until<T>(get: () => T, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const running: Array<{ stop(): Promise<unknown> }> = [];
function start(settings: MqttSettings, store: KmpStore, backoffMs = 300): Publishing {
  const p = new Publishing(settings, {
    outbox: store,
    describe: describeFromStore(store),
    appVersion: 'test',
    connection: { backoffMs, maxBackoffMs: 1000 },
  });
  p.start();
  running.push(p);
  return p;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function queue(store: KmpStore, p: Publishing | undefined, at: number, energy: string): Promise<void> {
  await store.saveReading(reading(SERIAL, at, energy), { outbox: true });
  void p?.readingQueued();
}

const values = (sub: Subscriber, base: string) =>
  sub.messages
    .filter((m) => m.topic === `${base}/values`)
    .map((m) => JSON.parse(m.payload) as { energy: number; timestamp: number });

describe.each([
  ['mosquitto', mosquittoBroker],
  ['aedes', aedesBroker],
] as const)('publishing to %s', (_name, makeBroker) => {
  let broker: Broker;
  let secured: Broker;
  beforeAll(async () => {
    broker = await makeBroker();
    secured = await makeBroker(AUTH);
  });
  afterAll(async () => {
    await broker?.close();
    await secured?.close();
  });

  it('publishes the reference values, the per-meter state and retained Home Assistant discovery', async () => {
    const settings = settingsFor(broker, { baseTopic: `kmp-${broker.name}-a`, discoveryPrefix: `ha-${broker.name}-a` });
    const sub = await subscribe(broker.wsUrl, [`${settings.baseTopic}/#`, `${settings.discoveryPrefix}/#`]);
    const store = await openStore();
    await store.putMeter({ serial: SERIAL, model: '403', softwareRevision: 'K1' });
    const p = start(settings, store);
    await queue(store, p, T0, '55.006');
    await sub.waitFor((m) => values(sub, settings.baseTopic).length === 1 && m.some((x) => x.topic.endsWith('/state')));
    expect(values(sub, settings.baseTopic)[0]).toEqual({ energy: 55.006, temp1: 53.65, timestamp: T0 });
    const state = JSON.parse(sub.messages.find((m) => m.topic === `${settings.baseTopic}/${SERIAL}/state`)!.payload);
    expect(state).toMatchObject({
      serial: SERIAL,
      timestamp: '2026-11-25T08:00:00.000Z',
      model: '403',
      registers: { energy: { decimal: '55.006', unit: 'GJ' } },
    });
    await until(
      () => p.status.outbox,
      (n) => n === 0,
    );
    await sub.close();

    // Someone who subscribes later (Home Assistant starting) gets the configs, retained.
    const late = await subscribe(broker.wsUrl, [`${settings.discoveryPrefix}/#`]);
    const configs = await late.waitFor((m) => m.length >= 3);
    const energy = configs.find(
      (m) => m.topic === `${settings.discoveryPrefix}/sensor/kamstrup_${SERIAL}/energy/config`,
    )!;
    expect(energy.retain).toBe(true);
    expect(JSON.parse(energy.payload)).toMatchObject({
      unique_id: `kamstrup_${SERIAL}_energy`,
      device_class: 'energy',
      unit_of_measurement: 'GJ',
      device: { model: 'MULTICAL 403', sw_version: 'K1' },
    });
    await late.close();
  });

  it('announces every meter again when Home Assistant restarts (its birth message)', async () => {
    const settings = settingsFor(broker, {
      baseTopic: `kmp-${broker.name}-birth`,
      discoveryPrefix: `ha-${broker.name}-birth`,
    });
    const store = await openStore();
    const p = start(settings, store);
    await queue(store, p, T0, '7.25');
    await until(
      () => p.status.outbox,
      (n) => n === 0,
    );
    const sub = await subscribe(broker.wsUrl, [`${settings.discoveryPrefix}/sensor/#`]);
    await sub.waitFor((m) => m.length >= 2);
    const retainedOnly = sub.messages.length;
    expect(sub.messages.every((m) => m.retain)).toBe(true);
    await sub.client.publishAsync(`${settings.discoveryPrefix}/status`, 'online', { qos: 1 });
    // Sent again live (not retained copies): Home Assistant rebuilt its entities from them.
    const again = await sub.waitFor((m) => m.filter((x) => !x.retain).length >= retainedOnly);
    expect(
      again
        .filter((x) => !x.retain)
        .map((x) => x.topic)
        .sort(),
    ).toEqual(
      sub.messages
        .slice(0, retainedOnly)
        .map((x) => x.topic)
        .sort(),
    );
    await sub.close();
  });

  it('answers a burst of 200 Home Assistant births with one resend of discovery, not 200', async () => {
    const settings = settingsFor(broker, {
      baseTopic: `kmp-${broker.name}-burst`,
      discoveryPrefix: `ha-${broker.name}-burst`,
    });
    const store = await openStore();
    const p = start(settings, store);
    await queue(store, p, T0, '7.25');
    await until(
      () => p.status.outbox,
      (n) => n === 0,
    );
    const sub = await subscribe(broker.wsUrl, [`${settings.discoveryPrefix}/#`]);
    const configs = (await sub.waitFor((m) => m.length >= 3)).length;
    const live = () => sub.messages.filter((x) => !x.retain && x.topic.endsWith('/config'));
    const births = Array.from({ length: 200 }, () =>
      sub.client.publishAsync(`${settings.discoveryPrefix}/status`, 'online', { qos: 1 }),
    );
    await Promise.all(births);
    await sub.waitFor(() => live().length >= configs, 15_000);
    // Long past the quiet period: a second resend (or the 2,200 messages of old) would be here by now.
    await new Promise((r) => setTimeout(r, 3000));
    expect(live()).toHaveLength(configs);
    expect(new Set(live().map((m) => m.topic)).size).toBe(configs);

    // A later restart of Home Assistant is answered again: the debounce is per burst, not once.
    await sub.client.publishAsync(`${settings.discoveryPrefix}/status`, 'online', { qos: 1 });
    await sub.waitFor(() => live().length >= 2 * configs, 15_000);
    await sub.close();
  });

  it('tells a wrong password apart, and connects with the right one', async () => {
    const store = await openStore();
    const wrong = start(settingsFor(secured, { username: AUTH.username, password: 'wrong' }), store);
    const failed = await until<MqttState>(
      () => wrong.connection.state,
      (s) => s.kind === 'failed',
    );
    expect(failed).toMatchObject({
      kind: 'failed',
      problem: { kind: 'auth', message: expect.stringMatching(/user name or password/) },
    });
    const right = start(settingsFor(secured, AUTH), store);
    await until(
      () => right.connection.state.kind,
      (k) => k === 'connected',
    );
  });

  it('explains an unreachable broker and keeps trying', async () => {
    const store = await openStore();
    const p = start({ ...settingsFor(broker), url: `ws://127.0.0.1:${await freePort()}` }, store);
    const s = await until<MqttState>(
      () => p.connection.state,
      (x) => x.kind === 'waiting',
    );
    expect(s).toMatchObject({
      problem: { kind: 'unreachable', message: expect.stringMatching(/WebSocket listener.*1884.*8884/) },
    });
    await until(
      () => p.connection.state,
      (x) => x.kind === 'waiting' && x.attempt >= 2,
    );
  });

  it('loses nothing across a broker outage of several polling cycles, in order', async () => {
    const settings = settingsFor(broker, { baseTopic: `kmp-${broker.name}-outage`, discovery: false });
    const sub = await subscribe(broker.wsUrl, [`${settings.baseTopic}/values`]);
    const store = await openStore();
    const p = start(settings, store);
    await until(
      () => p.connection.state.kind,
      (k) => k === 'connected',
    );
    await queue(store, p, T0, '1.000');
    await sub.waitFor(() => values(sub, settings.baseTopic).length === 1);

    await broker.stop();
    await until(
      () => p.connection.state.kind,
      (k) => k === 'waiting',
    );
    for (let i = 1; i <= 6; i++) await queue(store, p, T0 + i * 60_000, `${i + 1}.000`);
    await until(
      () => p.status.outbox,
      (n) => n === 6,
    );
    expect(await store.outboxCount()).toBe(6);

    await broker.start();
    await sub.waitFor(() => values(sub, settings.baseTopic).length >= 7, 30_000);
    const got = values(sub, settings.baseTopic);
    expect(got.map((v) => v.timestamp)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => T0 + i * 60_000));
    expect(got.map((v) => v.energy)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await until(
      () => p.status.outbox,
      (n) => n === 0,
    );
    expect(await store.outboxCount()).toBe(0);
    await sub.close();
  });

  it('loses nothing when the page is reloaded during the outage', async () => {
    const settings = settingsFor(broker, { baseTopic: `kmp-${broker.name}-reload`, discovery: false });
    const sub = await subscribe(broker.wsUrl, [`${settings.baseTopic}/values`]);
    const name = freshName();
    let store = await openStore(name);
    const first = start(settings, store);
    await until(
      () => first.connection.state.kind,
      (k) => k === 'connected',
    );
    await broker.stop();
    for (let i = 0; i < 4; i++) await queue(store, first, T0 + i * 60_000, `${10 + i}.5`);
    await until(
      () => first.status.outbox,
      (n) => n === 4,
    );

    // The reload: everything in memory is gone; only the database remains.
    await first.stop();
    store.close();
    store = await openStore(name);
    await broker.start();
    const second = start(settings, store);
    await sub.waitFor(() => values(sub, settings.baseTopic).length >= 4, 30_000);
    expect(values(sub, settings.baseTopic).map((v) => v.energy)).toEqual([10.5, 11.5, 12.5, 13.5]);
    await until(
      () => second.status.outbox,
      (n) => n === 0,
    );
    await sub.close();
  });

  it('says when the meter is online, and removes a meter from Home Assistant', async () => {
    const settings = settingsFor(broker, {
      baseTopic: `kmp-${broker.name}-rm`,
      discoveryPrefix: `ha-${broker.name}-rm`,
    });
    const store = await openStore();
    const p = start(settings, store);
    await until(
      () => p.connection.state.kind,
      (k) => k === 'connected',
    );
    p.setMeterOnline(SERIAL);
    await queue(store, p, T0, '5.5');
    await until(
      () => p.status.outbox,
      (n) => n === 0,
    );
    const sub = await subscribe(broker.wsUrl, [`${settings.baseTopic}/#`, `${settings.discoveryPrefix}/#`]);
    await sub.waitFor((m) =>
      m.some((x) => x.topic === `${settings.baseTopic}/${SERIAL}/availability` && x.payload === 'online'),
    );
    expect(sub.messages.find((m) => m.topic === `${settings.baseTopic}/status`)?.payload).toBe('online');
    // A failed read is said in words, never as an empty reading.
    await p.readFailed(SERIAL, {
      kind: 'no-answer',
      message: 'The meter did not answer.',
      advice: 'Press a button on the meter.',
      at: T0,
    });
    const error = await sub.waitFor((m) => m.some((x) => x.topic === `${settings.baseTopic}/${SERIAL}/error`));
    expect(JSON.parse(error.find((x) => x.topic.endsWith('/error'))!.payload)).toEqual({
      timestamp: '2026-11-25T08:00:00.000Z',
      takenAt: T0,
      kind: 'no-answer',
      message: 'The meter did not answer.',
      advice: 'Press a button on the meter.',
    });

    await p.removeMeter(SERIAL);
    await sub.close();
    const after = await subscribe(broker.wsUrl, [`${settings.discoveryPrefix}/#`, `${settings.baseTopic}/${SERIAL}/#`]);
    await new Promise((r) => setTimeout(r, 500));
    expect(after.messages.filter((m) => m.payload !== '')).toEqual([]);
    await after.close();
  });
});
