/**
 * The test brokers listen on loopback only: a test run must not open a broker to the network.
 * Debian's Mosquitto 2.0.11 bound its websockets listener on every interface whatever address
 * the config gave it; the kernel's own table of listening sockets is what this checks.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoBroker } from './brokers.ts';

/** Local addresses (hex, as /proc/net/tcp{,6} write them) of the sockets listening on `port`. */
function listeningOn(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // no IPv6 on this machine
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (state === '0A' && local?.endsWith(`:${hexPort}`)) out.push(local.split(':')[0]!);
    }
  }
  return out;
}

const LOOPBACK_V4 = '0100007F';

let broker: Awaited<ReturnType<typeof mosquittoBroker>>;
beforeAll(async () => {
  broker = await mosquittoBroker();
});
afterAll(async () => {
  await broker?.close();
});

describe('the Mosquitto test broker', () => {
  it('listens for WebSockets and TCP on 127.0.0.1 only', () => {
    const ws = listeningOn(Number(new URL(broker.wsUrl).port));
    const tcp = listeningOn(broker.tcpPort);
    expect(ws.length).toBeGreaterThan(0);
    expect(tcp.length).toBeGreaterThan(0);
    expect([...ws, ...tcp].every((a) => a === LOOPBACK_V4)).toBe(true);
  });
});
