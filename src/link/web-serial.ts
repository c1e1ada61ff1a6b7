/**
 * The Web Serial adapter: feature detection, choosing a port, opening it at KMP's line
 * settings, and turning the browser's DOMExceptions into sentences a person can act on.
 */

import type { Problem } from '../kmp/errors.ts';

/** USB vendor ids of the serial chips found in IR heads. */
export const IR_HEAD_CHIPS: ReadonlyArray<{ usbVendorId: number; name: string }> = [
  { usbVendorId: 0x0403, name: 'FTDI' },
  { usbVendorId: 0x10c4, name: 'Silicon Labs CP210x' },
  { usbVendorId: 0x1a86, name: 'WCH CH34x' },
  { usbVendorId: 0x067b, name: 'Prolific PL2303' },
];

export interface SerialSettings {
  baudRate: number;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  parity: 'none' | 'even' | 'odd';
}

/** KMP heat meters talk 1200 baud, 8 data bits, no parity, 2 stop bits, both ways. */
export const KMP_SERIAL: SerialSettings = { baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none' };

/** Milliseconds one byte takes on the line: start bit, data bits, a parity bit if any, stop bits. */
export function byteTimeMs(s: SerialSettings): number {
  return ((1 + s.dataBits + (s.parity === 'none' ? 0 : 1) + s.stopBits) * 1000) / s.baudRate;
}

export type SupportProblem = 'no-web-serial' | 'insecure-context';

export interface SupportCheck {
  ok: boolean;
  problem?: SupportProblem;
  message?: string;
}

/** Whether this page can use Web Serial at all, and if not, what to do instead. */
export function checkSerialSupport(
  env: { isSecureContext?: boolean; navigator?: { serial?: unknown } } = globalThis,
): SupportCheck {
  if (env.isSecureContext === false) {
    return {
      ok: false,
      problem: 'insecure-context',
      message:
        'This page is not served over HTTPS (or from localhost), so the browser hides the serial port. Open it over https:// or run it locally with npm start. The demo meter still works.',
    };
  }
  if (!env.navigator?.serial) {
    return {
      ok: false,
      problem: 'no-web-serial',
      message:
        'This browser has no Web Serial (and no WebUSB), so it cannot talk to the IR head. Use Chrome or Edge (version 89 or newer) on a desktop or laptop, or Chrome on Android; Firefox and Safari cannot. The demo meter works in any browser.',
    };
  }
  return { ok: true };
}

export type SerialAccessKind =
  'cancelled' | 'denied' | 'busy' | 'already-open' | 'gone' | 'invalid-settings' | 'unknown';

const ACCESS_TEXT: Record<SerialAccessKind, string> = {
  cancelled:
    'No port was chosen. If your IR head is not in the list, tick “Show all serial ports”, check the USB cable (some carry power only) and the driver for its chip.',
  denied:
    'The browser did not allow access to serial ports for this page (a site setting or a policy). Allow “Serial ports” in the site settings and try again.',
  busy: 'The port could not be opened: another program or browser tab is probably using it (a Home Assistant add-on, a terminal, another kmp-web tab). Close it and try again. On Linux your user may need to be in the dialout group.',
  'already-open': 'This port is already open in this page.',
  gone: 'The device is gone: it was unplugged or reset. Plug it back in and connect again.',
  'invalid-settings': 'The serial settings were not accepted. Use 1200 baud, 8 data bits, no parity, 2 stop bits.',
  unknown: 'The serial port could not be used.',
};

/**
 * Why a phone's Web Serial port list stays empty: Chrome on Android (148+) has Web Serial, but it
 * drives only USB CDC-ACM devices, and the chips in most IR heads are not that. Said only when
 * the person chose Web Serial on a phone: Connect uses WebUSB there by default, since
 * it drives the other chips itself.
 */
export const ANDROID_HEAD_NOTE =
  'On Android, Chrome’s Web Serial drives only USB CDC-ACM devices. Most IR heads use an FTDI, Silicon Labs CP210x, WCH CH34x or Prolific PL2303 chip, which it does not list: kmp-web drives those over WebUSB instead (Connect through: WebUSB, in the advanced serial settings). Plug the head in through a USB-OTG adapter.';

/** Whether this browser runs on Android, where ANDROID_HEAD_NOTE explains an empty port list. */
export function onAndroid(nav: { userAgent?: string } | undefined = globalThis.navigator): boolean {
  return /\bAndroid\b/.test(nav?.userAgent ?? '');
}

/** The sentence for a failed pick or open, with what only applies on Android when it does. */
export function serialAccessText(error: SerialAccessError, android: boolean): string {
  return android && error.kind === 'cancelled' ? `${error.message} ${ANDROID_HEAD_NOTE}` : error.message;
}

/** A failure to pick or open a port, classified, with the sentence to show. */
export class SerialAccessError extends Error implements Problem {
  override readonly name = 'SerialAccessError';
  constructor(
    readonly kind: SerialAccessKind,
    readonly detail?: string,
    /** A sentence of the port's own (a WebUSB driver's), instead of the kind's. */
    message: string = ACCESS_TEXT[kind],
  ) {
    super(message);
  }
}

/** How a WebUSB driver's failure kinds (src/usb) read as the session's access failures. */
const USB_KIND: Record<string, SerialAccessKind> = {
  cancelled: 'cancelled',
  denied: 'denied',
  claimed: 'busy',
  gone: 'gone',
  settings: 'invalid-settings',
};

/** Maps the DOMExceptions of requestPort() and open() to what happened. */
export function classifySerialError(error: unknown, during: 'pick' | 'open'): SerialAccessError {
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? error.message : String(error);
  // A WebUSB driver's port (src/usb) already says what went wrong in words; keep them. The link
  // knows the error only by its shape, so it never imports the usb layer.
  if (name === 'UsbAccessError') {
    const usb = error as Error & { kind?: string; detail?: string };
    return new SerialAccessError(USB_KIND[usb.kind ?? ''] ?? 'unknown', usb.detail, detail);
  }
  switch (name) {
    case 'NotFoundError':
      return new SerialAccessError(during === 'pick' ? 'cancelled' : 'gone', detail);
    case 'SecurityError':
    case 'NotAllowedError':
      return new SerialAccessError('denied', detail);
    case 'InvalidStateError':
      return new SerialAccessError('already-open', detail);
    case 'NetworkError':
      return new SerialAccessError('busy', detail);
    case 'TypeError':
      return new SerialAccessError('invalid-settings', detail);
    default:
      return new SerialAccessError('unknown', detail);
  }
}

/** Shows the browser's port chooser, filtered to IR-head chips unless `showAll`. */
export async function pickPort(serial: Serial, showAll = false): Promise<SerialPort> {
  try {
    return await serial.requestPort(
      showAll ? {} : { filters: IR_HEAD_CHIPS.map(({ usbVendorId }) => ({ usbVendorId })) },
    );
  } catch (e) {
    throw classifySerialError(e, 'pick');
  }
}

export async function openPort(port: SerialPort, settings: SerialSettings = KMP_SERIAL): Promise<void> {
  try {
    // A larger buffer than the 255-byte default: a stalled tab must not lose a reply.
    await port.open({ ...settings, bufferSize: 4096, flowControl: 'none' });
  } catch (e) {
    throw classifySerialError(e, 'open');
  }
}

/**
 * Which way the session reached the head, for diagnostics and the frame log: the browser's
 * Web Serial, a WebUSB driver of ours (with the chip and driver it chose), or the demo meter.
 */
export interface PortInfo {
  path: 'Web Serial' | 'WebUSB' | 'demo';
  driver?: string;
  chip?: string;
  usbVendorId?: number;
  usbProductId?: number;
}

/** What Web Serial tells of a port, as PortInfo. */
export function webSerialPortInfo(port: Pick<SerialPort, 'getInfo'>): PortInfo {
  const { usbVendorId, usbProductId } = port.getInfo();
  const chip = IR_HEAD_CHIPS.find((c) => c.usbVendorId === usbVendorId)?.name;
  return {
    path: 'Web Serial',
    ...(chip ? { chip } : {}),
    ...(usbVendorId !== undefined ? { usbVendorId } : {}),
    ...(usbProductId !== undefined ? { usbProductId } : {}),
  };
}

/** "FTDI (0403:6015)" — Web Serial tells only the USB ids, so the chip name comes from our table. */
export function describePort(port: Pick<SerialPort, 'getInfo'>): string {
  const { usbVendorId, usbProductId } = port.getInfo();
  if (usbVendorId === undefined) return 'serial port';
  const chip = IR_HEAD_CHIPS.find((c) => c.usbVendorId === usbVendorId)?.name ?? 'USB serial';
  const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(4, '0');
  return `${chip} (${hex(usbVendorId)}:${hex(usbProductId)})`;
}
