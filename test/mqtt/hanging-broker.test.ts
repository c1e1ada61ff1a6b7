/**
 * The MQTT half of a hanging broker: saving broker settings while the broker hangs (accepts the
 * connection, never answers) took 72 s with no explanation. What the UI awaits is bounded now,
 * and a broker that does not answer is named as such.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import {
  DEFAULT_MQTT_SETTINGS,
  MqttConnection,
  Publishing,
  describeFromStore,
  type MqttState,
} from '../../src/mqtt/index.ts';
import { freePort, mosquittoBroker } from '../support/brokers.ts';
import { openStore, reading } from '../store/helpers.ts';

/** Accepts TCP connections and never says a word: not even the HTTP upgrade of a WebSocket. */
async function silentTcpServer(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => void sockets.add(s));
  const port = await freePort();
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

/** Completes the WebSocket upgrade, then ignores the MQTT CONNECT. */
async function silentWebSocketServer(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const wss = new WebSocketServer({ port, host: '127.0.0.1', handleProtocols: () => 'mqtt' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  return {
    url: `ws://127.0.0.1:${port}`,
    close: () => {
      for (const c of wss.clients) c.terminate();
      return new Promise((r) => wss.close(() => r()));
    },
  };
}

function firstFinal(conn: MqttConnection): Promise<{ state: MqttState; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) =>
    conn.subscribe((s) => {
      if (s.kind === 'connected' || s.kind === 'failed' || s.kind === 'waiting')
        resolve({ state: s, ms: Date.now() - t0 });
    }),
  );
}

describe('a broker that accepts the connection and never answers', () => {
  it.each([
    ['a TCP port that never answers the WebSocket upgrade', silentTcpServer],
    ['a WebSocket server that never answers CONNECT', silentWebSocketServer],
  ])('"Test connection" against %s fails in the set time, saying the broker did not answer', async (_n, make) => {
    const server = await make();
    const conn = new MqttConnection({ once: true, connectTimeoutMs: 1500 });
    const final = firstFinal(conn);
    conn.start({ ...DEFAULT_MQTT_SETTINGS, enabled: true, url: server.url });
    const { state, ms } = await final;
    expect(ms).toBeLessThan(3000);
    expect(state).toMatchObject({
      kind: 'failed',
      problem: { kind: 'timeout', message: expect.stringMatching(/did not answer within 1\.5 s/) },
    });
    await conn.stop();
    await server.close();
  });

  it('a reconnecting connection says the same while it waits to try again', async () => {
    const server = await silentWebSocketServer();
    const conn = new MqttConnection({ connectTimeoutMs: 1000, backoffMs: 60_000 });
    const final = firstFinal(conn);
    conn.start({ ...DEFAULT_MQTT_SETTINGS, enabled: true, url: server.url });
    expect((await final).state).toMatchObject({ kind: 'waiting', problem: { kind: 'timeout' } });
    await conn.stop();
    await server.close();
  });
});

describe('stopping while the broker hangs', () => {
  let broker: Awaited<ReturnType<typeof mosquittoBroker>>;
  beforeAll(async () => {
    broker = await mosquittoBroker();
  });
  afterEach(() => broker.resume());
  afterAll(async () => {
    await broker?.close();
  });

  it('Publishing.stop() (what saving settings awaits) ends within its bound and says why', async () => {
    const store = await openStore();
    const p = new Publishing(
      { ...DEFAULT_MQTT_SETTINGS, enabled: true, url: broker.wsUrl, baseTopic: 'kmp-hang' },
      { outbox: store, describe: describeFromStore(store), appVersion: 'test', connection: { backoffMs: 60_000 } },
    );
    p.start();
    const t = Date.now() + 10_000;
    while (!p.connection.connected && Date.now() < t) await new Promise((r) => setTimeout(r, 20));
    expect(p.connection.connected).toBe(true);
    p.setMeterOnline(7012345);
    broker.pause();
    // A reading in flight when the broker hung: its publish never gets an acknowledgement.
    await store.saveReading(reading(7012345, Date.UTC(2026, 0, 1)), { outbox: true });
    void p.readingQueued();
    const t0 = Date.now();
    const result = await p.stop();
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(result.goodbye).toBe('timed-out');
    expect(result.message).toMatch(/did not acknowledge.*last will/);
    expect(p.status.connection.kind).toBe('off');
    // The reading is still waiting for the next connection.
    expect(await store.outboxCount()).toBe(1);
  });
});
