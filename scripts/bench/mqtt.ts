/**
 * The publishing benchmark, on loopback against the embedded Aedes broker, with the app's store
 * over fake-indexeddb in Node: the time from a reading to the broker's subscriber, and the rate
 * at which an outbox of 10,000 readings drains after an outage. Reports figures only.
 */
import 'fake-indexeddb/auto';
import mqtt from 'mqtt';
import type { Reading } from '../../src/kmp/index.ts';
import { DEFAULT_MQTT_SETTINGS, Publishing, describeFromStore, type MqttSettings } from '../../src/mqtt/index.ts';
import { KmpStore } from '../../src/store/kmp-store.ts';
import { startBroker } from '../broker.ts';

const SERIAL = 7012345;

function reading(i: number): Reading {
  const energy = (55 + i / 1000).toFixed(3);
  return {
    serial: SERIAL,
    takenAt: Date.UTC(2026, 0, 1) + i * 60_000,
    values: [
      { id: 60, unitCode: 8, unit: 'GJ', value: Number(energy), decimal: energy },
      { id: 68, unitCode: 40, unit: 'm³', value: 1875.56, decimal: '1875.56' },
      { id: 86, unitCode: 37, unit: '°C', value: 53.65, decimal: '53.65' },
      { id: 87, unitCode: 37, unit: '°C', value: 45.79, decimal: '45.79' },
    ],
  };
}

async function waitUntil(ok: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchMqtt(): Promise<string[]> {
  const broker = await startBroker({ wsPort: 0, tcpPort: 0 });
  const settings: MqttSettings = { ...DEFAULT_MQTT_SETTINGS, enabled: true, url: broker.wsUrl, baseTopic: 'bench' };
  const sub = await mqtt.connectAsync(broker.wsUrl, { protocolVersion: 4 });
  let received = 0;
  let lastAt = 0;
  sub.on('message', () => {
    received++;
    lastAt = performance.now();
  });
  await sub.subscribeAsync('bench/values', { qos: 1 });
  const out: string[] = [];
  try {
    // Latency: reading stored → outbox → broker → subscriber, one at a time.
    const store = await KmpStore.open({ name: `bench-mqtt-${Date.now()}` });
    const p = new Publishing(settings, { outbox: store, describe: describeFromStore(store), appVersion: 'bench' });
    p.start();
    await waitUntil(() => p.connection.connected, 10_000);
    const latencies: number[] = [];
    for (let i = 0; i < 50; i++) {
      const before = received;
      const t0 = performance.now();
      await store.saveReading(reading(i), { outbox: true });
      void p.readingQueued();
      await waitUntil(() => received > before, 10_000);
      latencies.push(lastAt - t0);
    }
    latencies.sort((a, b) => a - b);
    const median = latencies[Math.floor(latencies.length / 2)]!;
    const p95 = latencies[Math.floor(latencies.length * 0.95)]!;
    out.push(
      `reading → broker → subscriber (loopback, store write included): median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms over ${latencies.length} readings`,
    );
    await p.stop();

    // Drain: 10,000 readings queued while the broker was unreachable, then published.
    const N = 10_000;
    const box = await KmpStore.open({ name: `bench-mqtt-drain-${Date.now()}` });
    const tq = performance.now();
    for (let i = 0; i < N; i++) await box.saveReading(reading(1000 + i), { outbox: true });
    const queueMs = performance.now() - tq;
    received = 0;
    const drainer = new Publishing(
      { ...settings, discovery: false },
      { outbox: box, describe: describeFromStore(box), appVersion: 'bench' },
    );
    const t1 = performance.now();
    drainer.start();
    await waitUntil(() => received >= N, 600_000);
    await waitUntil(() => drainer.status.outbox === 0, 60_000);
    const drainMs = performance.now() - t1;
    out.push(
      `outbox of ${N.toLocaleString('en')} readings (queued in ${(queueMs / 1000).toFixed(1)} s): drained in ${(drainMs / 1000).toFixed(1)} s = ${Math.round(N / (drainMs / 1000)).toLocaleString('en')} readings/s, each acknowledged by the broker before removal`,
    );
    await drainer.stop();
  } finally {
    await sub.endAsync(true);
    await broker.close();
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await benchMqtt()).join('\n'));
