/**
 * What goes wrong when a phone opens an IR head over WebUSB, each with a sentence a person
 * standing at a meter (often in a basement, with a phone and an OTG adapter) can act on.
 */

export type UsbAccessKind =
  'cancelled' | 'denied' | 'claimed' | 'power' | 'unsupported' | 'gone' | 'settings' | 'unknown';

/**
 * What the usb layer says to the person, by id: as src/kmp/words.ts has a layer's sentences
 * (src/app/layer-sentences.ts lists this table with the others'), kept here because usb may
 * import nothing of ours.
 */
export const USB_SENTENCES = {
  'usb.cancelled':
    'No USB device was chosen. If the list was empty: a phone needs a USB-OTG adapter (or OTG cable) between it and the IR head, the phone must support USB OTG (on some it has to be switched on in Settings), and the cable must carry data, not only power. Unplug the head, plug it in again and try once more.',
  'usb.denied':
    'Access to the IR head was refused. When Android asks whether to allow this site to use the USB device, answer Allow. If you answered no, unplug the head, plug it in again and connect once more. A site setting or policy can also block USB devices.',
  'usb.claimed':
    'The IR head is in use by something else: another app (a serial terminal or another meter app), Android’s own driver, or another browser tab. Close that app or tab, unplug the head, plug it in again and connect. On a computer the operating system’s driver holds the head: connect through Web Serial there.',
  'usb.power':
    'The IR head switched off right after it was opened. A phone’s OTG port gives little power: try another OTG adapter, a powered USB hub, or a charged phone, then plug the head in again.',
  'usb.unsupported':
    'This USB device is not one of the serial chips this app can drive (FTDI, Silicon Labs CP210x, WCH CH34x, Prolific PL2303, or a USB CDC-ACM device). Check that you chose the IR head.',
  'usb.gone': 'The IR head is gone: it was unplugged or the OTG adapter came loose. Plug it back in and connect again.',
  'usb.settings':
    'The IR head’s chip refused the line settings (1200 baud, 8 data bits, no parity, 2 stop bits). Unplug it, plug it in again and connect. If it keeps happening, the chip is a variant this app does not drive yet: please report the USB ids shown in the diagnostics.',
  'usb.unknown': 'The USB device could not be used.',
} as const satisfies Readonly<Record<`usb.${UsbAccessKind}`, string>>;

/**
 * Words in the shape of src/kmp/words.ts's Words (an id, its English, parameters), which usb may
 * not import: the UI says them in the reader's language as it says any layer's.
 */
export interface UsbWords {
  readonly id: string;
  readonly en: string;
  readonly params?: Readonly<Record<string, string | number>>;
}

/**
 * A failure to choose or open a USB head, classified, with the sentence to show as `message` and
 * as `words`. It has the shape of the kmp layer's Problem, which usb may not import (test/usb
 * checks the fit).
 */
export class UsbAccessError extends Error {
  override readonly name = 'UsbAccessError';
  readonly words: UsbWords;
  constructor(
    readonly kind: UsbAccessKind,
    readonly detail?: string,
  ) {
    const words = usbAccessWords(kind);
    super(words.en);
    this.words = words;
  }
}

/** The words for a kind, for errors that must keep another name (a lost device's 'NetworkError'). */
export function usbAccessWords(kind: UsbAccessKind): UsbWords {
  const id = `usb.${kind}` as const;
  return { id, en: USB_SENTENCES[id] };
}

/** How long after device.open() a vanishing device counts as browning out rather than being unplugged. */
export const POWER_WINDOW_MS = 2000;

/**
 * Where in picking or opening the error came from: the same DOMException name means different
 * things at different steps (a NetworkError from claimInterface is another driver holding the
 * interface; from a control transfer it is the chip refusing a request).
 */
export type UsbStep = 'pick' | 'device-open' | 'claim' | 'setup';

/** Maps a WebUSB DOMException (or our own errors) to what happened. */
export function classifyUsbError(error: unknown, step: UsbStep, msSinceOpen?: number): UsbAccessError {
  if (error instanceof UsbAccessError) return error;
  const name = error instanceof Error ? error.name : '';
  const detail = error instanceof Error ? `${name}: ${error.message}` : String(error);
  if (step === 'pick') {
    if (name === 'NotFoundError') return new UsbAccessError('cancelled', detail);
    if (name === 'SecurityError' || name === 'NotAllowedError') return new UsbAccessError('denied', detail);
    return new UsbAccessError('unknown', detail);
  }
  if (name === 'SecurityError' || name === 'NotAllowedError') return new UsbAccessError('denied', detail);
  if (name === 'NotFoundError') {
    // Gone after the device had opened, within a moment: the OTG port could not power it.
    const brownOut = msSinceOpen !== undefined && msSinceOpen < POWER_WINDOW_MS;
    return new UsbAccessError(brownOut ? 'power' : 'gone', detail);
  }
  if (name === 'ControlTransferError') return new UsbAccessError('settings', detail);
  if (step === 'device-open' || step === 'claim') {
    // Chrome: "Unable to claim interface" (NetworkError), "Access denied" on open (NetworkError),
    // an interface already claimed (InvalidStateError): something else holds the head.
    if (name === 'NetworkError' || name === 'InvalidStateError') return new UsbAccessError('claimed', detail);
  }
  if (step === 'setup' && name === 'NetworkError') return new UsbAccessError('settings', detail);
  return new UsbAccessError('unknown', detail);
}
