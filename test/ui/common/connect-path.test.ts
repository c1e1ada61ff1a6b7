import { describe, expect, it } from 'vitest';
import { chooseConnectPath, connectEnvironment, type ConnectVia } from '../../../src/ui/common/connect-path.ts';

const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36';
const LINUX_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Safari/537.36';

describe('which way Connect goes: Web Serial on a computer, WebUSB on a phone', () => {
  it('reads what the browser offers from navigator', () => {
    expect(connectEnvironment({ serial: {}, usb: {}, userAgent: ANDROID_UA })).toEqual({
      webSerial: true,
      webUsb: true,
      android: true,
    });
    expect(connectEnvironment({ userAgent: LINUX_UA })).toEqual({ webSerial: false, webUsb: false, android: false });
    expect(connectEnvironment(undefined)).toEqual({ webSerial: false, webUsb: false, android: false });
  });

  // [web serial, webusb, android] → the automatic choice
  const auto: Array<[boolean, boolean, boolean, string | undefined]> = [
    [true, true, false, 'web-serial'], // Chrome or Edge on a computer: the system's drivers hold the chip
    [true, true, true, 'webusb'], // Chrome 148+ on Android: its Web Serial lists CDC-ACM heads only
    [false, true, true, 'webusb'], // Chrome before 148 on Android
    [false, true, false, undefined], // a computer's browser with WebUSB but no Web Serial: the system's driver holds the chip
    [true, false, false, 'web-serial'],
    [true, false, true, 'web-serial'],
    [false, false, false, undefined], // Firefox, Safari
    [false, false, true, undefined],
  ];
  for (const [webSerial, webUsb, android, expected] of auto) {
    it(`automatic: Web Serial ${webSerial}, WebUSB ${webUsb}, Android ${android} → ${expected}`, () => {
      expect(chooseConnectPath({ webSerial, webUsb, android }, 'auto')).toBe(expected);
    });
  }

  it('follows a choice the browser can honour, and falls back to the automatic one when it cannot', () => {
    const both = { webSerial: true, webUsb: true, android: false };
    const cases: Array<[ConnectVia, Partial<typeof both>, string | undefined]> = [
      ['webusb', {}, 'webusb'],
      ['web-serial', { android: true }, 'web-serial'],
      ['webusb', { webUsb: false }, 'web-serial'],
      ['web-serial', { webSerial: false }, undefined],
      ['web-serial', { webSerial: false, android: true }, 'webusb'],
      ['webusb', { webUsb: false, webSerial: false }, undefined],
    ];
    for (const [via, change, expected] of cases) expect(chooseConnectPath({ ...both, ...change }, via)).toBe(expected);
  });
});
