import { describe, expect, it } from 'vitest';
import {
  USB_SERIAL_CHIPS,
  UsbAccessError,
  UsbSerialPort,
  describeUsbPort,
  driverFor,
  grantedUsbSerialPorts,
  requestUsbSerialPort,
  usbChooserFilters,
} from '../../src/usb/index.ts';
import { KMP_OPEN, RecordingUsbDevice } from './recording-usb-device.ts';

const ft232r = () => new RecordingUsbDevice({ vendorId: 0x0403, productId: 0x6001 });
const cp2102 = () => new RecordingUsbDevice({ vendorId: 0x10c4, productId: 0xea60 });
const stranger = () => new RecordingUsbDevice({ vendorId: 0x1234, productId: 0x5678 });

/** A clock the test moves by hand. */
function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

async function rejectionOf(p: Promise<unknown>): Promise<UsbAccessError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsbAccessError);
    return e as UsbAccessError;
  }
  throw new Error('expected a UsbAccessError');
}

describe('driverFor and the chooser', () => {
  it('picks the driver by vendor:product id, checked against the kernel’s id tables', () => {
    const cases: Array<[number, number, string]> = [
      [0x0403, 0x6001, 'ftdi'], // ftdi_sio_ids.h FTDI_8U232AM_PID (FT232R/BM/AM)
      [0x0403, 0x6015, 'ftdi'], // FTDI_FTX_PID
      [0x0403, 0x6010, 'ftdi'], // FTDI_8U2232C_PID
      [0x0403, 0x6011, 'ftdi'], // FTDI_4232H_PID
      [0x0403, 0x6014, 'ftdi'], // FTDI_232H_PID
      [0x10c4, 0xea60, 'cp210x'], // cp210x.c id_table
      [0x10c4, 0xea70, 'cp210x'],
      [0x10c4, 0xea71, 'cp210x'],
      [0x1a86, 0x7523, 'ch34x'], // ch341.c id_table
      [0x1a86, 0x5523, 'ch34x'],
      [0x1a86, 0x7522, 'ch34x'],
      [0x067b, 0x2303, 'pl2303'], // pl2303.h PL2303_PRODUCT_ID
      [0x067b, 0x23a3, 'pl2303'], // PL2303_PRODUCT_ID_GC … GS
      [0x067b, 0x23b3, 'pl2303'],
      [0x067b, 0x23c3, 'pl2303'],
      [0x067b, 0x23d3, 'pl2303'],
      [0x067b, 0x23e3, 'pl2303'],
      [0x067b, 0x23f3, 'pl2303'],
    ];
    for (const [vendorId, productId, driver] of cases)
      expect(driverFor(new RecordingUsbDevice({ vendorId, productId })), `${vendorId}:${productId}`).toBe(driver);
    expect(driverFor(stranger())).toBeUndefined();
    expect(USB_SERIAL_CHIPS).toHaveLength(cases.length);
  });

  it('filters the chooser to every chip plus class 2', () => {
    const filters = usbChooserFilters();
    expect(filters).toContainEqual({ vendorId: 0x1a86, productId: 0x7523 });
    expect(filters.at(-1)).toEqual({ classCode: 2 });
    expect(filters).toHaveLength(USB_SERIAL_CHIPS.length + 1);
  });

  it('describes a port for the diagnostics', () => {
    const port = new UsbSerialPort(ft232r());
    expect(describeUsbPort(port.description)).toBe('FTDI FT232R (0403:6001) over WebUSB, ftdi driver');
    expect(port.getInfo()).toEqual({ usbVendorId: 0x0403, usbProductId: 0x6001 });
  });
});

describe('requestUsbSerialPort and grantedUsbSerialPorts', () => {
  const usb = (requestDevice: () => Promise<USBDevice>, devices: USBDevice[] = []) =>
    ({ requestDevice, getDevices: async () => devices }) as unknown as USB;

  it('maps a closed chooser (NotFoundError) to "cancelled", SecurityError to "denied"', async () => {
    const cancelled = await rejectionOf(
      requestUsbSerialPort(usb(() => Promise.reject(new DOMException('No device selected.', 'NotFoundError')))),
    );
    expect(cancelled.kind).toBe('cancelled');
    expect(cancelled.message).toMatch(/OTG/);
    const denied = await rejectionOf(
      requestUsbSerialPort(usb(() => Promise.reject(new DOMException('Access denied.', 'SecurityError')))),
    );
    expect(denied.kind).toBe('denied');
  });

  it('refuses a chosen device without a driver as "unsupported", and returns a port for a known one', async () => {
    expect((await rejectionOf(requestUsbSerialPort(usb(async () => stranger())))).kind).toBe('unsupported');
    const port = await requestUsbSerialPort(usb(async () => cp2102()));
    expect(port.description.driver).toBe('cp210x');
  });

  it('lists only granted devices it has a driver for', async () => {
    const ports = await grantedUsbSerialPorts(usb(() => Promise.reject(new Error('unused')), [stranger(), ft232r()]));
    expect(ports.map((p) => p.description.driver)).toEqual(['ftdi']);
  });
});

describe('opening fails in plain words', () => {
  it('claimInterface NetworkError → "claimed" (another app or Android’s driver), and the device is closed again', async () => {
    const device = ft232r();
    device.failures.claimInterface = new DOMException('Unable to claim interface.', 'NetworkError');
    const error = await rejectionOf(new UsbSerialPort(device).open(KMP_OPEN));
    expect(error.kind).toBe('claimed');
    expect(error.detail).toMatch(/Unable to claim/);
    expect(device.calls.at(-1)).toBe('close');
    expect(device.opened).toBe(false);
  });

  it('claimInterface InvalidStateError → "claimed"', async () => {
    const device = ft232r();
    device.failures.claimInterface = new DOMException('claimed', 'InvalidStateError');
    expect((await rejectionOf(new UsbSerialPort(device).open(KMP_OPEN))).kind).toBe('claimed');
  });

  it('open SecurityError → "denied"', async () => {
    const device = ft232r();
    device.failures.open = new DOMException('Access denied.', 'SecurityError');
    expect((await rejectionOf(new UsbSerialPort(device).open(KMP_OPEN))).kind).toBe('denied');
  });

  it('a stalled control transfer → "settings"', async () => {
    const device = cp2102();
    device.onControlOut = (c) => (c.request === 0x03 ? 'stall' : 'ok');
    expect((await rejectionOf(new UsbSerialPort(device).open(KMP_OPEN))).kind).toBe('settings');
  });

  it('settings the chips cannot take → "settings" before anything is sent', async () => {
    const device = cp2102();
    const error = await rejectionOf(new UsbSerialPort(device).open({ baudRate: 1200, dataBits: 6 as 7 }));
    expect(error.kind).toBe('settings');
    expect(device.calls).toEqual([]);
  });

  it('the device vanishing during set-up soon after open → "power"; later → "gone"', async () => {
    for (const [delay, kind] of [
      [300, 'power'],
      [2500, 'gone'],
    ] as const) {
      const device = ft232r();
      const t = clock();
      device.onControlOut = (c) => {
        if (c.request === 0x04) {
          t.advance(delay);
          device.unplug();
        }
        return 'ok';
      };
      device.failures.controlTransferOut = undefined;
      const port = new UsbSerialPort(device, undefined, { now: t.now });
      // the unplug makes the next control transfer fail with NotFoundError
      expect((await rejectionOf(port.open(KMP_OPEN))).kind).toBe(kind);
      expect(port.readable).toBeNull();
    }
  });

  it('a device with no driver cannot be made into a port', () => {
    expect(() => new UsbSerialPort(stranger())).toThrow(expect.objectContaining({ kind: 'unsupported' }));
  });
});

describe('an open port', () => {
  it('has no streams before open and after close', async () => {
    const port = new UsbSerialPort(ft232r());
    expect(port.readable).toBeNull();
    expect(port.writable).toBeNull();
    await port.open(KMP_OPEN);
    expect(port.readable).toBeInstanceOf(ReadableStream);
    expect(port.writable).toBeInstanceOf(WritableStream);
    await port.close();
    expect(port.readable).toBeNull();
    expect(port.writable).toBeNull();
  });

  it('errors readable with a NetworkError on unplug, as Web Serial’s lost port; power within 2 s, else gone', async () => {
    for (const [after, kind] of [
      [500, 'power'],
      [3000, 'gone'],
    ] as const) {
      const device = cp2102();
      const t = clock();
      const port = new UsbSerialPort(device, undefined, { now: t.now });
      await port.open(KMP_OPEN);
      const reader = port.readable!.getReader();
      const read = reader.read();
      t.advance(after);
      device.unplug();
      const error = await read.then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error?.name).toBe('NetworkError');
      expect(port.lost?.kind).toBe(kind);
      expect(error?.message).toBe(port.lost?.message);
      expect(port.readable).toBeNull(); // as Web Serial after a fatal error
      reader.releaseLock();
      // close() after the unplug: every step fails and none of it escapes; the device reports
      // itself closed already (opened = false), so only the interface release is attempted
      await expect(port.close()).resolves.toBeUndefined();
      expect(device.calls.at(-1)).toBe('releaseInterface(0)');
    }
  });

  it('close() while a read waits: the reader gets done, the interface is released and the device closed', async () => {
    const device = ft232r();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const reader = port.readable!.getReader();
    const read = reader.read();
    await new Promise((r) => setTimeout(r, 5));
    await port.close();
    expect(await read).toEqual({ done: true, value: undefined });
    expect(device.calls.slice(-2)).toEqual(['releaseInterface(0)', 'close']);
    expect(device.opened).toBe(false);
    await port.close(); // twice is fine
  });

  it('close() after a cancelled reader (KmpClient.close) does not throw', async () => {
    const device = ft232r();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const reader = port.readable!.getReader();
    void reader.read().catch(() => undefined);
    await reader.cancel();
    reader.releaseLock();
    await expect(port.close()).resolves.toBeUndefined();
    expect(device.calls.at(-1)).toBe('close');
  });

  it('clears a stalled IN endpoint and reads on', async () => {
    const device = cp2102();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const reader = port.readable!.getReader();
    device.pushIn([], 'stall');
    device.pushIn([0x06]);
    expect(Array.from((await reader.read()).value!)).toEqual([0x06]);
    expect(device.calls).toContain('clearHalt(in,1)');
    reader.releaseLock();
    await port.close();
  });

  it('hands each transfer to the reader at once, without waiting for more', async () => {
    const device = cp2102();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const reader = port.readable!.getReader();
    device.pushIn([0x40]);
    expect(Array.from((await reader.read()).value!)).toEqual([0x40]);
    device.pushIn([0x3f, 0x10]);
    expect(Array.from((await reader.read()).value!)).toEqual([0x3f, 0x10]);
    reader.releaseLock();
    await port.close();
  });

  it('keeps what a babbling transfer did deliver', async () => {
    const device = cp2102();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const reader = port.readable!.getReader();
    device.pushIn([0x0d], 'babble');
    expect(Array.from((await reader.read()).value!)).toEqual([0x0d]);
    reader.releaseLock();
    await port.close();
  });

  it('writes through the bulk OUT endpoint, clearing one stall; an unplugged head fails the write with NetworkError', async () => {
    const device = cp2102();
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    let stalls = 1;
    device.onWrite = () => (stalls-- > 0 ? 'stall' : 'ok');
    const writer = port.writable!.getWriter();
    await writer.write(Uint8Array.of(0x80, 0x3f, 0x10, 0x0d));
    expect(device.written).toEqual([0x80, 0x3f, 0x10, 0x0d]);
    expect(device.calls).toContain('clearHalt(out,2)');
    device.unplug();
    await expect(writer.write(Uint8Array.of(1))).rejects.toMatchObject({ name: 'NetworkError' });
    writer.releaseLock();
    await port.close();
  });
});
