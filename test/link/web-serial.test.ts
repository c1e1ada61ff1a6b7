import { describe, expect, it } from 'vitest';
import {
  IR_HEAD_CHIPS,
  KMP_SERIAL,
  SerialAccessError,
  byteTimeMs,
  checkSerialSupport,
  classifySerialError,
  describePort,
  openPort,
  pickPort,
  webSerialPortInfo,
} from '../../src/link/web-serial.ts';

function domError(name: string, message = `${name} happened`): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}

async function rejectionOf(p: Promise<unknown>): Promise<SerialAccessError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(SerialAccessError);
    return e as SerialAccessError;
  }
  throw new Error('expected a SerialAccessError, the call succeeded');
}

describe('byteTimeMs', () => {
  it('counts start, data, parity and stop bits', () => {
    expect(byteTimeMs(KMP_SERIAL)).toBeCloseTo(11000 / 1200, 10);
    expect(byteTimeMs({ baudRate: 1000, dataBits: 7, stopBits: 1, parity: 'even' })).toBe(10);
    expect(byteTimeMs({ baudRate: 1000, dataBits: 8, stopBits: 1, parity: 'none' })).toBe(10);
    expect(byteTimeMs({ baudRate: 2000, dataBits: 8, stopBits: 2, parity: 'odd' })).toBe(6);
  });
});

describe('checkSerialSupport', () => {
  it('is fine with Web Serial in a secure context', () => {
    expect(checkSerialSupport({ isSecureContext: true, navigator: { serial: {} } })).toEqual({ ok: true });
    // Node and old browsers leave isSecureContext undefined: only an explicit false means insecure.
    expect(checkSerialSupport({ navigator: { serial: {} } })).toEqual({ ok: true });
  });

  it('names an insecure page before a missing API', () => {
    const r = checkSerialSupport({ isSecureContext: false, navigator: {} });
    expect(r.ok).toBe(false);
    expect(r.problem).toBe('insecure-context');
    expect(r.message?.en).toMatch(/^This page is not served over HTTPS/);
  });

  it('names a browser without Web Serial', () => {
    for (const env of [{ isSecureContext: true, navigator: {} }, { isSecureContext: true }]) {
      const r = checkSerialSupport(env);
      expect(r.ok).toBe(false);
      expect(r.problem).toBe('no-web-serial');
      expect(r.message?.en).toMatch(/^This browser has no Web Serial/);
    }
  });

  it('looks at the global scope by default', () => {
    // Node has no navigator.serial.
    expect(checkSerialSupport().problem).toBe('no-web-serial');
  });
});

describe('classifySerialError', () => {
  it.each([
    ['NotFoundError', 'pick', 'cancelled', /^No port was chosen/],
    ['NotFoundError', 'open', 'gone', /^The device is gone/],
    ['SecurityError', 'pick', 'denied', /^The browser did not allow access/],
    ['NotAllowedError', 'open', 'denied', /^The browser did not allow access/],
    ['InvalidStateError', 'open', 'already-open', /^This port is already open in this page\.$/],
    ['NetworkError', 'open', 'busy', /^The port could not be opened: another program/],
    ['TypeError', 'open', 'invalid-settings', /^The serial settings were not accepted/],
    ['AbortError', 'open', 'unknown', /^The serial port could not be used\.$/],
  ] as const)('%s during %s → %s', (name, during, kind, message) => {
    const e = classifySerialError(domError(name, 'from the browser'), during);
    expect(e).toBeInstanceOf(SerialAccessError);
    expect(e.name).toBe('SerialAccessError');
    expect(e.kind).toBe(kind);
    expect(e.detail).toBe('from the browser');
    expect(e.message).toMatch(message);
  });

  it('keeps a thrown non-error as the detail', () => {
    const e = classifySerialError('weird', 'open');
    expect(e.kind).toBe('unknown');
    expect(e.detail).toBe('weird');
  });

  // A WebUSB driver's port (src/usb) says what went wrong on a phone in its own words; the link
  // knows it by its name and kind only, and must not replace the words with a Web Serial sentence.
  it.each([
    ['claimed', 'busy'],
    ['denied', 'denied'],
    ['gone', 'gone'],
    ['cancelled', 'cancelled'],
    ['settings', 'invalid-settings'],
    ['power', 'unknown'],
    [undefined, 'unknown'],
  ] as const)('a UsbAccessError of kind %s keeps its sentence, as %s', (usbKind, kind) => {
    const usbError = Object.assign(new Error('Android holds the head: close the other app.'), {
      name: 'UsbAccessError',
      kind: usbKind,
      detail: 'Unable to claim interface.',
    });
    const e = classifySerialError(usbError, 'open');
    expect(e).toBeInstanceOf(SerialAccessError);
    expect(e.kind).toBe(kind);
    expect(e.message).toBe('Android holds the head: close the other app.');
    expect(e.detail).toBe('Unable to claim interface.');
  });
});

describe('pickPort and openPort', () => {
  it('filters the chooser to IR-head chips unless asked for all ports', async () => {
    const asked: unknown[] = [];
    const port = {} as SerialPort;
    const serial = {
      requestPort: async (options: unknown) => {
        asked.push(options);
        return port;
      },
    } as unknown as Serial;
    expect(await pickPort(serial)).toBe(port);
    expect(await pickPort(serial, true)).toBe(port);
    expect(asked).toEqual([
      { filters: [{ usbVendorId: 0x0403 }, { usbVendorId: 0x10c4 }, { usbVendorId: 0x1a86 }, { usbVendorId: 0x067b }] },
      {},
    ]);
    expect(IR_HEAD_CHIPS.map((c) => c.name)).toEqual(['FTDI', 'Silicon Labs CP210x', 'WCH CH34x', 'Prolific PL2303']);
  });

  it('classifies a closed chooser as cancelled', async () => {
    const serial = {
      requestPort: async () => {
        throw domError('NotFoundError');
      },
    } as unknown as Serial;
    expect((await rejectionOf(pickPort(serial))).kind).toBe('cancelled');
  });

  it('opens at KMP settings with a 4 KB buffer, or at the settings given', async () => {
    const opened: unknown[] = [];
    const port = {
      open: async (o: unknown) => {
        opened.push(o);
      },
    } as unknown as SerialPort;
    await openPort(port);
    await openPort(port, { baudRate: 2400, dataBits: 7, stopBits: 1, parity: 'even' });
    expect(opened).toEqual([
      { baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none', bufferSize: 4096, flowControl: 'none' },
      { baudRate: 2400, dataBits: 7, stopBits: 1, parity: 'even', bufferSize: 4096, flowControl: 'none' },
    ]);
  });

  it('classifies a port another program holds as busy, and an unplugged one as gone', async () => {
    for (const [name, kind] of [
      ['NetworkError', 'busy'],
      ['NotFoundError', 'gone'],
    ] as const) {
      const port = {
        open: async () => {
          throw domError(name);
        },
      } as unknown as SerialPort;
      expect((await rejectionOf(openPort(port))).kind).toBe(kind);
    }
  });
});

describe('describePort', () => {
  const info = (usbVendorId?: number, usbProductId?: number) => ({ getInfo: () => ({ usbVendorId, usbProductId }) });

  it('names the chip from its vendor id, with both ids as four hex digits', () => {
    expect(describePort(info(0x0403, 0x6015))).toBe('FTDI (0403:6015)');
    expect(describePort(info(0x067b, 0x2303))).toBe('Prolific PL2303 (067b:2303)');
    expect(describePort(info(0x1234, 0xabcd))).toBe('USB serial (1234:abcd)');
    expect(describePort(info(0x10c4))).toBe('Silicon Labs CP210x (10c4:0000)');
  });

  it('says "serial port" for a port without USB ids', () => {
    expect(describePort(info())).toBe('serial port');
  });
});

describe('webSerialPortInfo', () => {
  const info = (usbVendorId?: number, usbProductId?: number) => ({ getInfo: () => ({ usbVendorId, usbProductId }) });

  it('keeps the USB ids Web Serial tells and names the chip of a known vendor', () => {
    expect(webSerialPortInfo(info(0x1a86, 0x7523))).toStrictEqual({
      path: 'Web Serial',
      chip: 'WCH CH34x',
      usbVendorId: 0x1a86,
      usbProductId: 0x7523,
    });
    expect(webSerialPortInfo(info(0x1234, 0xabcd))).toStrictEqual({
      path: 'Web Serial',
      usbVendorId: 0x1234,
      usbProductId: 0xabcd,
    });
  });

  it('leaves out what Web Serial does not tell', () => {
    expect(webSerialPortInfo(info())).toStrictEqual({ path: 'Web Serial' });
    expect(webSerialPortInfo(info(0x0403))).toStrictEqual({ path: 'Web Serial', chip: 'FTDI', usbVendorId: 0x0403 });
  });
});
