import type { ConnectVia } from '../../app/app-settings.ts';

// Which API the person chose is a setting, so its type lives with the settings.
export type { ConnectVia };

/** The browser API Connect takes (see ConnectVia for why there are two). */
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
