/**
 * Real MQTT brokers for the tests: Debian's Mosquitto (what most people run, and what the Home
 * Assistant add-on is) with a WebSocket listener, and the embedded Aedes broker of `npm start`.
 * Each listens on free loopback ports and can be stopped and started again on the same ports,
 * to play a broker outage.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBroker, type RunningBroker } from '../../scripts/broker.ts';

export interface TestBroker {
  readonly name: 'mosquitto' | 'aedes';
  readonly wsUrl: string;
  readonly tcpPort: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface BrokerAuth {
  username: string;
  password: string;
}

export const MOSQUITTO = process.env.MOSQUITTO_PATH ?? '/usr/sbin/mosquitto';

export function requireMosquitto(): void {
  if (!existsSync(MOSQUITTO))
    throw new Error(`Mosquitto not found at ${MOSQUITTO}: apt-get install mosquitto (.ci/run does).`);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function waitForPort(port: number, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = tcpConnect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface MosquittoOptions {
  /** `log_type all`: every packet (CONNECT, PINGREQ, PUBLISH…) appears in `log()`. */
  logAll?: boolean;
}

export async function mosquittoBroker(
  auth?: BrokerAuth,
  options: MosquittoOptions = {},
): Promise<TestBroker & { close(): Promise<void>; log(): string; pause(): void; resume(): void }> {
  requireMosquitto();
  const dir = mkdtempSync(join(tmpdir(), 'kmp-mosquitto-'));
  const [wsPort, tcpPort] = [await freePort(), await freePort()];
  // Persistence on, as in the Home Assistant add-on: a restart keeps sessions and queued messages.
  const lines = [
    'per_listener_settings false',
    'persistence true',
    `persistence_location ${dir}/`,
    'log_dest stderr',
    `allow_anonymous ${auth ? 'false' : 'true'}`,
  ];
  if (options.logAll) lines.push('log_type all');
  // Started as root, Mosquitto switches to its own user, which cannot read our temporary files.
  if (process.getuid?.() === 0) lines.push('user root');
  if (auth) {
    const file = join(dir, 'passwd');
    execFileSync('mosquitto_passwd', ['-b', '-c', file, auth.username, auth.password]);
    lines.push(`password_file ${file}`);
  }
  // Mosquitto will not start with only a WebSocket listener: a TCP one goes beside it.
  // Debian's Mosquitto 2.0.11 binds a websockets listener on every interface whatever address it
  // is given; with `socket_domain ipv4` it keeps to 127.0.0.1 (test/support/brokers.test.ts).
  lines.push(
    `listener ${tcpPort} 127.0.0.1`,
    `listener ${wsPort} 127.0.0.1`,
    'protocol websockets',
    'socket_domain ipv4',
  );
  const conf = join(dir, 'mosquitto.conf');
  writeFileSync(conf, lines.join('\n') + '\n');
  let child: ChildProcess | undefined;
  let log = '';
  const broker = {
    name: 'mosquitto' as const,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    tcpPort,
    /** What Mosquitto wrote to stderr since this broker was created, across restarts. */
    log: () => log,
    /** SIGSTOP: connections stay open and nothing is answered, like a hung broker. */
    pause: () => void child?.kill('SIGSTOP'),
    resume: () => void child?.kill('SIGCONT'),
    async start() {
      child = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      const exited = new Promise<never>((_, reject) =>
        child!.once('exit', (code) => reject(new Error(`mosquitto exited (${code}): ${log}`))),
      );
      await Promise.race([Promise.all([waitForPort(wsPort), waitForPort(tcpPort)]), exited]);
      exited.catch(() => undefined);
    },
    async stop() {
      const c = child;
      child = undefined;
      if (!c || c.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        c.once('exit', () => resolve());
        c.kill('SIGTERM');
        // A paused broker acts on the SIGTERM only once it runs again.
        c.kill('SIGCONT');
      });
    },
    async close() {
      await broker.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await broker.start();
  return broker;
}

export async function aedesBroker(auth?: BrokerAuth): Promise<TestBroker & { close(): Promise<void> }> {
  const [wsPort, tcpPort] = [await freePort(), await freePort()];
  let running: RunningBroker | undefined;
  let instance: RunningBroker['broker'] | undefined;
  const broker = {
    name: 'aedes' as const,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    tcpPort,
    async start() {
      running = await startBroker({
        wsPort,
        tcpPort,
        ...(auth ? { auth } : {}),
        ...(instance ? { broker: instance } : {}),
      });
      instance = running.broker;
    },
    /** Like a restart of a broker with persistence: the network goes away, sessions stay. */
    async stop() {
      await running?.closeListeners();
      running = undefined;
    },
    async close() {
      await running?.closeListeners();
      await new Promise<void>((r) => (instance ? instance.close(() => r()) : r()));
      running = undefined;
      instance = undefined;
    },
  };
  await broker.start();
  return broker;
}
