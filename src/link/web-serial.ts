/**
 * The Web Serial adapter: feature detection, choosing a port, opening it at KMP's line
 * settings, and turning the browser's DOMExceptions into sentences a person can act on.
 */

import type { Problem } from '../kmp/errors.ts';
import { fill, isWords, words, type Sentences, type Words } from '../kmp/words.ts';

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

export type SerialAccessKind =
  'cancelled' | 'denied' | 'busy' | 'already-open' | 'gone' | 'invalid-settings' | 'unknown';

/** What the Web Serial adapter says to the person, by id (src/kmp/words.ts). */
export const SERIAL_SENTENCES = {
  'link.serial.insecure-context':
    'This page is not served over HTTPS (or from localhost), so the browser hides the serial port. Open it over https:// or run it locally with npm start. The demo meter still works.',
  'link.serial.no-web-serial':
    'This browser has no Web Serial (and no WebUSB), so it cannot talk to the IR head. Use Chrome or Edge (version 89 or newer) on a desktop or laptop, or Chrome on Android; Firefox and Safari cannot. The demo meter works in any browser.',
  'link.serial.cancelled':
    'No port was chosen. If your IR head is not in the list, tick “Show all serial ports”, check the USB cable (some carry power only) and the driver for its chip.',
  'link.serial.denied':
    'The browser did not allow access to serial ports for this page (a site setting or a policy). Allow “Serial ports” in the site settings and try again.',
  'link.serial.busy':
    'The port could not be opened: another program or browser tab is probably using it (a Home Assistant add-on, a terminal, another kmp-web tab). Close it and try again. On Linux your user may need to be in the dialout group.',
  'link.serial.already-open': 'This port is already open in this page.',
  'link.serial.gone': 'The device is gone: it was unplugged or reset. Plug it back in and connect again.',
  'link.serial.invalid-settings':
    'The serial settings were not accepted. Use 1200 baud, 8 data bits, no parity, 2 stop bits.',
  'link.serial.unknown': 'The serial port could not be used.',
  'link.serial.android-note':
    'On Android, Chrome’s Web Serial drives only USB CDC-ACM devices. Most IR heads use an FTDI, Silicon Labs CP210x, WCH CH34x or Prolific PL2303 chip, which it does not list: kmp-web drives those over WebUSB instead (Connect through: WebUSB, in the advanced serial settings). Plug the head in through a USB-OTG adapter.',
  // A failed pick on a phone: the failure's own sentence(s), then the note on Android above.
  'link.serial.with-android-note': '{problem} {note}',
  // A port's name: Web Serial tells only the USB ids ("0403:6015"), the chip's name ("FTDI") comes from our table.
  'link.port.chip': '{chip} ({ids})',
  'link.port.usb-serial': 'USB serial ({ids})',
  'link.port.serial': 'serial port',
  // A port's own sentence that came without words: said as it came.
  'link.serial.as-said': '{text}',
} as const satisfies Sentences;

export type SerialSentence = keyof typeof SERIAL_SENTENCES;

/** The Web Serial adapter's words `id`, with its parameters. */
export const serialWords = (id: SerialSentence, params?: Parameters<typeof words>[2]): Words =>
  words(SERIAL_SENTENCES, id, params);

export interface SupportCheck {
  ok: boolean;
  problem?: SupportProblem;
  /** What to do instead, when the page cannot use Web Serial. */
  message?: Words;
}

/** Whether this page can use Web Serial at all, and if not, what to do instead. */
export function checkSerialSupport(
  env: { isSecureContext?: boolean; navigator?: { serial?: unknown } } = globalThis,
): SupportCheck {
  if (env.isSecureContext === false)
    return { ok: false, problem: 'insecure-context', message: serialWords('link.serial.insecure-context') };
  if (!env.navigator?.serial)
    return { ok: false, problem: 'no-web-serial', message: serialWords('link.serial.no-web-serial') };
  return { ok: true };
}

/**
 * Why a phone's Web Serial port list stays empty: Chrome on Android (148+) has Web Serial, but it
 * drives only USB CDC-ACM devices, and the chips in most IR heads are not that. Said only when
 * the person chose Web Serial on a phone: Connect uses WebUSB there by default, since
 * it drives the other chips itself.
 */
export const ANDROID_HEAD_NOTE: Words = serialWords('link.serial.android-note');

/** Whether this browser runs on Android, where ANDROID_HEAD_NOTE explains an empty port list. */
export function onAndroid(nav: { userAgent?: string } | undefined = globalThis.navigator): boolean {
  return /\bAndroid\b/.test(nav?.userAgent ?? '');
}

/** The words for a failed pick or open, with what only applies on Android when it does. */
export function serialAccessText(error: SerialAccessError, android: boolean): Words {
  const said = error.words;
  if (!(android && error.kind === 'cancelled')) return said;
  return serialWords('link.serial.with-android-note', { problem: said, note: ANDROID_HEAD_NOTE });
}

/** A failure to pick or open a port, classified, with the sentence to show. */
export class SerialAccessError extends Error implements Problem {
  override readonly name = 'SerialAccessError';
  /** The message as words: the kind's own, or the port's (a WebUSB driver's words, src/usb). */
  readonly words: Words;
  constructor(
    readonly kind: SerialAccessKind,
    readonly detail?: string,
    /** Words of the port's own (a WebUSB driver's), instead of the kind's. */
    text: Words = serialWords(`link.serial.${kind}`),
  ) {
    super(fill(text));
    this.words = text;
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
  // knows the error only by its shape, so it never imports the usb layer. One without words (not
  // ours) keeps its sentence as it came, untranslated.
  if (name === 'UsbAccessError') {
    const usb = error as Error & { kind?: string; detail?: string; words?: unknown };
    const text = isWords(usb.words) ? usb.words : serialWords('link.serial.as-said', { text: detail });
    return new SerialAccessError(USB_KIND[usb.kind ?? ''] ?? 'unknown', usb.detail, text);
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

/** "FTDI (0403:6015)" as words — Web Serial tells only the USB ids, so the chip name comes from our table. */
export function describePortWords(port: Pick<SerialPort, 'getInfo'>): Words {
  const { usbVendorId, usbProductId } = port.getInfo();
  if (usbVendorId === undefined) return serialWords('link.port.serial');
  const chip = IR_HEAD_CHIPS.find((c) => c.usbVendorId === usbVendorId)?.name;
  const hex = (n: number | undefined) => (n ?? 0).toString(16).padStart(4, '0');
  const ids = `${hex(usbVendorId)}:${hex(usbProductId)}`;
  return chip ? serialWords('link.port.chip', { chip, ids }) : serialWords('link.port.usb-serial', { ids });
}

/** describePortWords in English: "FTDI (0403:6015)", the label a head is remembered by. */
export function describePort(port: Pick<SerialPort, 'getInfo'>): string {
  return fill(describePortWords(port));
}
