import { describe, expect, it } from 'vitest';
import { UsbSerialPort } from '../../src/usb/index.ts';
import { pl2303TypeOf, type Pl2303Descriptor, type Pl2303Type } from '../../src/usb/pl2303.ts';
import { KMP_OPEN, RecordingUsbDevice, inn, out, type ControlCall } from './recording-usb-device.ts';

/** A PL2303 whose device descriptor reports bMaxPacketSize0 = 64 and that answers the HX-status read or not. */
function pl2303(
  bcdUSB: [number, number, number],
  bcdDevice: [number, number, number],
  hxStatus: boolean,
  productId = 0x2303,
) {
  const device = new RecordingUsbDevice({ vendorId: 0x067b, productId, usbVersion: bcdUSB, deviceVersion: bcdDevice });
  device.onControlIn = (c: ControlCall) => {
    if (c.requestType === 'standard')
      return { status: 'ok', data: [18, 1, 0x10, 0x01, 0, 0, 0, 0x40, ...new Array<number>(10).fill(0)] };
    if (c.request === 0x01 && c.value === 0x8080) return hxStatus ? { status: 'ok', data: [0] } : { status: 'stall' };
    if (c.request === 0x01 && !hxStatus) return { status: 'stall' }; // the HXN refuses the legacy read
    if (c.request === 0x81 && c.value === 0x0a) return { status: 'ok', data: [0x80] };
    return { status: 'ok', data: [0] };
  };
  return device;
}

/** pl2303.c pl2303_set_line_request: SET_LINE_REQUEST_TYPE 0x21, SET_LINE_REQUEST 0x20, 7 bytes: 1200 LE32, 2 stop bits (2), no parity (0), 8 bits. */
const LINE_1200_8N2 = out('class', 'interface', 0x20, 0, 0, [0xb0, 0x04, 0x00, 0x00, 2, 0, 8]);
/** pl2303_set_control_lines: SET_CONTROL_REQUEST_TYPE 0x21, SET_CONTROL_REQUEST 0x22, CONTROL_DTR 0x01 | CONTROL_RTS 0x02. */
const DTR_RTS = out('class', 'interface', 0x22, 0x03, 0);
/** GET_DESCRIPTOR(DEVICE) for bMaxPacketSize0, which WebUSB does not expose (USB 2.0 §9.4.3). */
const DEVICE_DESCRIPTOR = inn('standard', 'device', 0x06, 0x0100, 0, 18);

describe('PL2303 open at 1200 8N2', () => {
  it('HX: the legacy start-up sequence, pipe reset through registers 8 and 9, line and DTR/RTS', async () => {
    const device = pl2303([1, 1, 0], [3, 0, 0], true);
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    const vendorIn = (value: number) => inn('vendor', 'device', 0x01, value, 0, 1); // VENDOR_READ_REQUEST_TYPE 0xC0, VENDOR_READ_REQUEST 0x01
    const vendorOut = (value: number, index: number) => out('vendor', 'device', 0x01, value, index); // 0x40, VENDOR_WRITE_REQUEST 0x01
    expect(device.controlLog).toEqual([
      DEVICE_DESCRIPTOR,
      // pl2303_startup, for every type but HXN
      vendorIn(0x8484),
      vendorOut(0x0404, 0),
      vendorIn(0x8484),
      vendorIn(0x8383),
      vendorIn(0x8484),
      vendorOut(0x0404, 1),
      vendorIn(0x8484),
      vendorIn(0x8383),
      vendorOut(0, 1),
      vendorOut(1, 0),
      vendorOut(2, 0x44), // not PL2303_QUIRK_LEGACY: 0x44
      // pl2303_open, not legacy and not HXN: reset upstream data pipes
      vendorOut(8, 0),
      vendorOut(9, 0),
      LINE_1200_8N2,
      DTR_RTS,
    ]);
    expect(port.description.chip).toBe('Prolific PL2303HX');
    const before = device.controlLog.length;
    await port.close();
    expect(device.controlLog.slice(before)).toEqual([out('class', 'interface', 0x22, 0, 0)]);
  });

  it('HXN: the HX-status read is refused, then vendor requests 0x80/0x81, pipe reset via register 7, flow control off', async () => {
    const device = pl2303([2, 0, 0], [3, 0, 0], false, 0x23c3);
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.controlLog).toEqual([
      DEVICE_DESCRIPTOR,
      // pl2303_supports_hx_status: PL2303_READ_TYPE_HX_STATUS 0x8080, one byte; the HXN stalls it
      inn('vendor', 'device', 0x01, 0x8080, 0, 1),
      // pl2303_open: PL2303_HXN_RESET_REG 0x07 ← UPSTREAM_PIPE 0x02 | DOWNSTREAM_PIPE 0x01, VENDOR_WRITE_NREQUEST 0x80
      out('vendor', 'device', 0x80, 0x07, 0x03),
      LINE_1200_8N2,
      // pl2303_update_reg(PL2303_HXN_FLOWCTRL_REG 0x0A, MASK 0x1c, NONE 0x1c) with VENDOR_READ_NREQUEST 0x81
      inn('vendor', 'device', 0x81, 0x0a, 0, 1),
      out('vendor', 'device', 0x80, 0x0a, 0x80 | 0x1c),
      DTR_RTS,
    ]);
    expect(port.description.chip).toBe('Prolific PL2303HXN');
    await port.close();
  });

  it('legacy H (device class 2): start-up ends with 2 → 0x24 and the pipes are reset with clearHalt', async () => {
    const device = new RecordingUsbDevice({
      vendorId: 0x067b,
      productId: 0x2303,
      deviceClass: 0x02,
      usbVersion: [1, 1, 0],
    });
    const port = new UsbSerialPort(device);
    await port.open(KMP_OPEN);
    expect(device.controlLog.some((c) => c.requestType === 'standard')).toBe(false);
    expect(device.outCalls().find((c) => c.value === 2)).toEqual(out('vendor', 'device', 0x01, 2, 0x24));
    expect(device.outCalls().some((c) => c.value === 8 || c.value === 9)).toBe(false);
    expect(device.calls).toEqual(expect.arrayContaining(['clearHalt(out,2)', 'clearHalt(in,1)']));
    expect(port.description.chip).toBe('Prolific PL2303H');
    await port.close();
  });

  it('refuses a type the kernel does not know', async () => {
    const device = pl2303([2, 0, 0], [8, 0, 0], false);
    await expect(new UsbSerialPort(device).open(KMP_OPEN)).rejects.toMatchObject({ kind: 'unsupported' });
  });
});

describe('PL2303 generation detection (pl2303_detect_type)', () => {
  const d = (
    bcdUSB: number,
    bcdDevice: number,
    deviceClass = 0,
    maxPacketSize0: number | undefined = 0x40,
  ): Pl2303Descriptor => ({
    deviceClass,
    maxPacketSize0,
    bcdUSB,
    bcdDevice,
  });
  const table: Array<[string, Pl2303Descriptor, boolean, Pl2303Type | undefined]> = [
    ['device class 2', d(0x110, 0x300, 0x02), true, 'H'],
    ['EP0 of 8 bytes', d(0x110, 0x300, 0, 8), true, 'H'],
    ['USB 1.1, 0x300', d(0x110, 0x300), true, 'HX'],
    ['USB 1.1, 0x400', d(0x110, 0x400), true, 'HXD'],
    ['USB 1.1, other', d(0x110, 0x202), true, 'HX'],
    ['USB "1.0.1", 0x400', d(0x101, 0x400), true, 'HXD'],
    ['USB 2.0, 0x300, HX status answered', d(0x200, 0x300), true, 'TA'],
    ['USB 2.0, 0x300, HX status refused', d(0x200, 0x300), false, 'HXN'],
    ['USB 2.0, 0x500, HX status answered', d(0x200, 0x500), true, 'TB'],
    ['USB 2.0, 0x500, HX status refused', d(0x200, 0x500), false, 'HXN'],
    ['USB 2.0, 0x100 (GC)', d(0x200, 0x100), true, 'HXN'],
    ['USB 2.0, 0x605 (GS)', d(0x200, 0x605), true, 'HXN'],
    ['USB 2.0, 0x1005 (GC-Q20)', d(0x200, 0x1005), true, 'HXN'],
    ['USB 2.0, unknown 0x800', d(0x200, 0x800), true, undefined],
    ['unknown USB version', d(0x300, 0x300), true, undefined],
    ['EP0 size unreadable: assumed 64', d(0x110, 0x300, 0, undefined), true, 'HX'],
  ];
  for (const [name, descriptor, hxStatus, expected] of table)
    it(`${name} → ${expected ?? 'unknown'}`, async () => {
      let probed = 0;
      const type = await pl2303TypeOf(descriptor, async () => {
        probed++;
        return hxStatus;
      });
      expect(type).toBe(expected);
      // the HX-status probe only for the bcdDevice values TA/TB share with the HXN
      expect(probed).toBe(
        descriptor.bcdUSB === 0x200 && [0x300, 0x500].includes(descriptor.bcdDevice) && descriptor.deviceClass !== 2
          ? 1
          : 0,
      );
    });
});
