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

/**
 * The path Connect takes, or undefined when there is none worth offering. On a computer the
 * system's driver (ftdi_sio, the CP210x/CH34x/PL2303 drivers, Windows' and macOS' own) holds the
 * chip, so WebUSB could not claim it: automatic means Web Serial there, even in a browser that
 * has WebUSB but no Web Serial. A choice the browser lacks falls back to the automatic one.
 */
export function chooseConnectPath(env: ConnectEnvironment, via: ConnectVia): ConnectPath | undefined {
  if (via === 'webusb' && env.webUsb) return 'webusb';
  if (via === 'web-serial' && env.webSerial) return 'web-serial';
  if (env.android && env.webUsb) return 'webusb';
  return env.webSerial ? 'web-serial' : undefined;
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
