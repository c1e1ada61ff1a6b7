import { msg, str } from '@lit/localize';
import type { MeterSession, PortInfo, WireEntry } from '../../link/index.ts';

/**
 * "WebUSB, ftdi driver, chip FTDI FT232R, USB id 0403:6001": how the session reaches the head, for
 * a bug report, in the page's language (a list of names, each a phrase of its own; the bundle
 * itself keeps the PortInfo as it is).
 */
export function describePortInfo(info: PortInfo): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  const { path, driver, chip, usbVendorId, usbProductId } = info;
  return [
    path === 'demo' ? msg('the demo meter') : path,
    driver && msg(str`${driver} driver`),
    chip && msg(str`chip ${chip}`),
    usbVendorId !== undefined && msg(str`USB id ${hex(usbVendorId)}:${hex(usbProductId ?? 0)}`),
  ]
    .filter(Boolean)
    .join(', ');
}

/** Keys that must never leave the machine in a bug report. */
const SECRET_KEYS = /pass(word)?|secret|token/i;

/**
 * A deep copy with every secret-looking field replaced. A flag such as `passwordSaved` is no
 * secret and stays: whether a password is set is what a maintainer asks about a refused login.
 */
export function withoutSecrets<T>(value: T): T {
  // JSON has no undefined: JSON.parse(JSON.stringify(undefined)) throws (a bundle without publishing did).
  if (value === undefined) return value;
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) =>
      k && SECRET_KEYS.test(k) && typeof v !== 'boolean' ? (v ? '(removed)' : v) : v,
    ),
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
    connection:
      'error' in state
        ? { kind: state.kind, ...('port' in state ? { port: state.port } : {}), error: state.error.message }
        : state,
    identity: session.identity,
    lastReading: session.lastReading,
    lastError: e ? { kind: e.kind, message: e.message, advice: e.advice } : undefined,
    stats: { requestsSent: session.requestsSent },
    settings: withoutSecrets(settings),
    publishing: withoutSecrets(publishing),
    frames: session.log.all(),
  };
}
