/**
 * The embedded MQTT broker for `npm start` and the tests: Aedes over WebSocket (what a browser
 * can reach) and plain TCP (for command-line subscribers). Run directly to start it alone:
 *   node --import tsx scripts/broker.ts
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { Aedes } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';

export interface BrokerOptions {
  host?: string;
  /** 0 picks a free port. Default 9001, the usual MQTT-over-WebSocket port. */
  wsPort?: number;
  /** 0 picks a free port; skipped (with a note) when taken. Default 1883. */
  tcpPort?: number;
  /** When set, only this user name and password may connect. */
  auth?: { username: string; password: string };
  /**
   * An Aedes instance to serve again (after `closeListeners`): its sessions and retained
   * messages live on, as they do in a broker with persistence that is restarted.
   */
  broker?: Aedes;
}

export interface RunningBroker {
  wsUrl: string;
  tcpUrl: string | undefined;
  broker: Aedes;
  /** Stops listening and drops every client, but keeps the broker's sessions and retained messages. */
  closeListeners(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: HttpServer | TcpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(a && typeof a !== 'string' ? a.port : port);
    });
  });
}

export async function startBroker(options: BrokerOptions = {}): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth;
  const broker =
    options.broker ??
    (await Aedes.createBroker({
      authenticate: (_client, username, password, done) => {
        if (!auth || (username === auth.username && password?.toString() === auth.password)) return done(null, true);
        done(Object.assign(new Error('bad user name or password'), { returnCode: 4 as const }), false);
      },
    }));
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, req) => broker.handle(createWebSocketStream(socket), req));
  const wsPort = await listen(http, options.wsPort ?? 9001, host);

  let tcp: TcpServer | undefined = createTcpServer(broker.handle);
  let tcpPort: number | undefined;
  try {
    tcpPort = await listen(tcp, options.tcpPort ?? 1883, host);
  } catch (e) {
    console.warn(
      `MQTT over TCP not started: port ${options.tcpPort ?? 1883} is taken (${e instanceof Error ? e.message : String(e)}). WebSocket still works.`,
    );
    tcp = undefined;
  }

  const sockets = new Set<import('node:net').Socket>();
  tcp?.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  async function closeListeners(): Promise<void> {
    for (const client of wss.clients) client.terminate();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((r) => wss.close(() => r()));
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
    if (tcp) await new Promise<void>((r) => tcp.close(() => r()));
  }

  return {
    wsUrl: `ws://${host}:${wsPort}`,
    tcpUrl: tcpPort !== undefined ? `mqtt://${host}:${tcpPort}` : undefined,
    broker,
    closeListeners,
    close: async () => {
      await closeListeners();
      await new Promise<void>((r) => broker.close(() => r()));
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const b = await startBroker();
  console.log(`MQTT broker running: ${b.wsUrl} (WebSocket)${b.tcpUrl ? `, ${b.tcpUrl} (TCP)` : ''}`);
  console.log(`Watch: npx mqtt sub -h 127.0.0.1 -p ${b.tcpUrl ? new URL(b.tcpUrl).port : 1883} -t 'kamstrup/#' -v`);
}
