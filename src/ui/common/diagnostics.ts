import type { MeterSession, WireEntry } from '../../link/index.ts';

/** Keys that must never leave the machine in a bug report. */
const SECRET_KEYS = /pass(word)?|secret|token/i;

/** A deep copy with every secret-looking field replaced. */
export function withoutSecrets<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) => (k && SECRET_KEYS.test(k) ? (v ? '(removed)' : v) : v)),
  ) as T;
}

export interface DiagnosticsBundle {
  format: 'kmp-web-diagnostics';
  appVersion: string;
  createdAt: string;
  userAgent: string;
  connection: unknown;
  identity: unknown;
  lastReading: unknown;
  lastError: { kind: string; message: string; advice: string } | undefined;
  stats: { requestsSent: number };
  settings: unknown;
  /** The MQTT side: connection state, its problem in words, readings waiting. */
  publishing: unknown;
  frames: readonly WireEntry[];
}

/** Everything a maintainer asks for first: frames, meter identity, settings (no passwords), version. */
export function buildDiagnostics(
  session: MeterSession,
  settings: unknown,
  appVersion: string,
  publishing?: unknown,
): DiagnosticsBundle {
  const e = session.lastError;
  const state = session.state;
  return {
    format: 'kmp-web-diagnostics',
    appVersion,
    createdAt: new Date().toISOString(),
    userAgent: globalThis.navigator?.userAgent ?? 'unknown',
    connection: 'error' in state ? { kind: state.kind, error: state.error.message } : state,
    identity: session.identity,
    lastReading: session.lastReading,
    lastError: e ? { kind: e.kind, message: e.message, advice: e.advice } : undefined,
    stats: { requestsSent: session.requestsSent },
    settings: withoutSecrets(settings),
    publishing: withoutSecrets(publishing),
    frames: session.log.all(),
  };
}
