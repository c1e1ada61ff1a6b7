/**
 * One authenticated WebSocket to Home Assistant, through Home Assistant's own client
 * (home-assistant-js-websocket: its auth phase, message ids and result/error handling), with
 * every failure turned into an HaError that says what to do. Never retried by itself: a wrong
 * token stays wrong, and an import the person did not see finish should be sent again by them.
 */
import {
  createConnection,
  createLongLivedTokenAuth,
  ERR_CANNOT_CONNECT,
  ERR_CONNECTION_LOST,
  ERR_INVALID_AUTH,
  type Connection,
} from 'home-assistant-js-websocket';
import { HaError, haWords } from './ha-error.ts';

/** What HA says about itself and the token's user. */
export interface HaInfo {
  version: string;
  timeZone: string;
  userName: string;
  isAdmin: boolean;
}

export interface HaSession {
  readonly info: HaInfo;
  /** Sends one command and resolves with its result; rejects with an HaError. */
  call<T>(message: { type: string; [key: string]: unknown }): Promise<T>;
  close(): void;
}

const WAIT_FOR_HELLO_MS = 4000;

/** Connects and authenticates with a long-lived access token; rejects with an HaError. */
export async function openHa(baseUrl: string, token: string): Promise<HaSession> {
  if (!token.trim()) throw new HaError('wrong-token', haWords('ha.token.empty'), haWords('ha.token.empty.advice'));
  let conn: Connection;
  try {
    conn = await createConnection({ auth: createLongLivedTokenAuth(baseUrl, token.trim()), setupRetry: 0 });
  } catch (e) {
    if (e === ERR_INVALID_AUTH)
      throw new HaError(
        'wrong-token',
        haWords('ha.token.refused', { host: new URL(baseUrl).host }),
        haWords('ha.token.refused.advice'),
      );
    if (e === ERR_CANNOT_CONNECT) throw await whyNoConnection(baseUrl);
    throw e;
  }
  const call = async <T>(message: { type: string; [key: string]: unknown }): Promise<T> => {
    try {
      return await conn.sendMessagePromise<T>(message);
    } catch (e) {
      throw commandError(message.type, e, conn.haVersion);
    }
  };
  try {
    const [config, user] = await Promise.all([
      call<{ time_zone?: string; version?: string }>({ type: 'get_config' }),
      call<{ name?: string; is_admin?: boolean }>({ type: 'auth/current_user' }),
    ]);
    const info: HaInfo = {
      version: config.version ?? conn.haVersion,
      timeZone: config.time_zone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
      userName: user.name ?? '',
      isAdmin: user.is_admin === true,
    };
    return { info, call, close: () => conn.close() };
  } catch (e) {
    conn.close();
    throw e;
  }
}

/** HA's answer to a failed command, in words. */
function commandError(type: string, e: unknown, version: string): HaError {
  const err = (e as { error?: { code?: unknown; message?: unknown } })?.error ?? e;
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (code === ERR_CONNECTION_LOST || e === ERR_CONNECTION_LOST)
    return new HaError('lost', haWords('ha.lost'), haWords('ha.lost.advice'));
  if (code === 'unauthorized') return new HaError('not-admin', haWords('ha.not-admin'), haWords('ha.not-admin.advice'));
  if (code === 'unknown_command')
    return new HaError('too-old', haWords('ha.too-old', { version, command: type }), haWords('ha.too-old.advice'));
  const text = typeof message === 'string' ? message : JSON.stringify(err);
  // HA's own text stays as it came: it is Home Assistant's English, not ours to translate.
  return new HaError('refused', haWords('ha.refused', { command: type, text }), undefined, String(code));
}

/** After the client could not connect: nothing answers there, or something that is not HA. */
async function whyNoConnection(baseUrl: string): Promise<HaError> {
  const host = new URL(baseUrl).host;
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/api/websocket`;
  const opened = await new Promise<'opened' | 'failed' | 'hello'>((resolve) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(wsUrl);
    } catch {
      return resolve('failed');
    }
    let open = false;
    const done = (how: 'opened' | 'failed' | 'hello') => {
      clearTimeout(timer);
      socket.close();
      resolve(how);
    };
    const timer = setTimeout(() => done(open ? 'opened' : 'failed'), WAIT_FOR_HELLO_MS);
    socket.onopen = () => (open = true);
    // Why it failed is hidden from pages; the close that follows says enough.
    socket.onerror = () => undefined;
    socket.onmessage = (ev) => {
      const hello = typeof ev.data === 'string' && /"type"\s*:\s*"auth_required"/.test(ev.data);
      done(hello ? 'hello' : 'opened');
    };
    socket.onclose = () => done(open ? 'opened' : 'failed');
  });
  if (opened === 'opened') return new HaError('not-ha', haWords('ha.not-ha', { host }), haWords('ha.not-ha.advice'));
  return new HaError('unreachable', haWords('ha.unreachable', { host }), haWords('ha.unreachable.advice'));
}
