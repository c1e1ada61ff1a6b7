/**
 * Which browser API the Connect button uses. Web Serial where the browser's own drivers reach the
 * head (Chrome and Edge on a computer); WebUSB with our drivers (src/usb) on Android, whose Web
 * Serial drives USB CDC-ACM devices only and so lists none of the FTDI, CP210x, CH34x or PL2303
 * chips in almost every IR head. Our WebUSB path drives CDC-ACM heads too, so on a phone it is
 * the one chooser for every head.
 */
export type ConnectVia = 'auto' | 'web-serial' | 'webusb';
export type ConnectPath = 'web-serial' | 'webusb';

export interface ConnectEnvironment {
  webSerial: boolean;
  webUsb: boolean;
  android: boolean;
}

/** The path Connect takes, or undefined when this browser has neither API. A choice the browser lacks falls back to the other. */
export function chooseConnectPath(env: ConnectEnvironment, via: ConnectVia): ConnectPath | undefined {
  const preferred: ConnectPath =
    via === 'web-serial' ? 'web-serial' : via === 'webusb' || (env.android && env.webUsb) ? 'webusb' : 'web-serial';
  const has = (p: ConnectPath) => (p === 'webusb' ? env.webUsb : env.webSerial);
  if (has(preferred)) return preferred;
  const other: ConnectPath = preferred === 'webusb' ? 'web-serial' : 'webusb';
  return has(other) ? other : undefined;
}

/** What this browser offers, read from the page's globals. */
export function connectEnvironment(
  nav: { serial?: unknown; usb?: unknown; userAgent?: string } | undefined = globalThis.navigator,
): ConnectEnvironment {
  return {
    webSerial: Boolean(nav?.serial),
    webUsb: Boolean(nav?.usb),
    android: /\bAndroid\b/.test(nav?.userAgent ?? ''),
  };
}
