/**
 * Prolific PL2303: the legacy H, the HX/HXD/TA/TB, and the HXN ("G" series: GC, GB, GT, GL, GE, GS).
 *
 * Requests and the generation table from the Linux kernel's drivers/usb/serial/pl2303.c
 * (pl2303_detect_type, pl2303_supports_hx_status, pl2303_startup, pl2303_open,
 * pl2303_set_line_request, pl2303_set_control_lines, pl2303_set_termios, pl2303_update_reg) and
 * pl2303.h. The line request and control lines are the CDC PSTN 1.2 class requests
 * SET_LINE_CODING (0x20) and SET_CONTROL_LINE_STATE (0x22) to interface 0; the rest are
 * Prolific vendor requests to the device: 0x01 in/out on the legacy chips, 0x81 in / 0x80 out on
 * the HXN, which refuses the old ones.
 */
import { ControlTransferError, bcd, type ControlChannel, type DriverContext, type UsbSerialDriver } from './driver.ts';
import { DTR_RTS, SET_CONTROL_LINE_STATE, SET_LINE_CODING, lineCoding } from './cdc-line.ts';
import { UsbAccessError } from './usb-access-error.ts';

export type Pl2303Type = 'H' | 'HX' | 'HXD' | 'TA' | 'TB' | 'HXN';

export interface Pl2303Descriptor {
  deviceClass: number;
  /** bMaxPacketSize0, or undefined when it could not be read (see readMaxPacketSize0). */
  maxPacketSize0: number | undefined;
  bcdUSB: number;
  bcdDevice: number;
}

/**
 * pl2303_detect_type. `supportsHxStatus` is the kernel's probe: the legacy vendor read of
 * register 0x8080 succeeds on the TA/TB and is refused by the HXN, which reuse the same
 * bcdDevice values 0x300 and 0x500. Undefined for a combination the kernel does not know.
 */
export async function pl2303TypeOf(
  d: Pl2303Descriptor,
  supportsHxStatus: () => Promise<boolean>,
): Promise<Pl2303Type | undefined> {
  if (d.deviceClass === 0x02) return 'H'; // legacy PL2303H, variant 0
  // An EP0 of other than 64 bytes is the legacy H (variant 0 or 1). WebUSB does not show
  // bMaxPacketSize0; readMaxPacketSize0 asks the device, and if that fails we assume 64, which
  // every chip since the HX has: at worst a legacy H of 2004 is then driven as an HX.
  if (d.maxPacketSize0 !== undefined && d.maxPacketSize0 !== 0x40) return 'H';
  switch (d.bcdUSB) {
    case 0x101: // "USB 1.0.1": the kernel takes it to mean 1.1
    case 0x110:
      return d.bcdDevice === 0x400 ? 'HXD' : 'HX'; // 0x300 is HX, and so is anything else here
    case 0x200:
      switch (d.bcdDevice) {
        case 0x100: // GC
        case 0x105:
          return 'HXN';
        case 0x300: // GT, or TA
          return (await supportsHxStatus()) ? 'TA' : 'HXN';
        case 0x500: // GE, or TB
          return (await supportsHxStatus()) ? 'TB' : 'HXN';
        case 0x305:
        case 0x400: // GL
        case 0x405:
        case 0x505:
        case 0x600: // GS
        case 0x605:
        case 0x700: // GR
        case 0x705:
        case 0x905: // GT-2AB
        case 0x1005: // GC-Q20
          return 'HXN';
      }
  }
  return undefined;
}

/**
 * bMaxPacketSize0 (byte 7 of the device descriptor) through a standard GET_DESCRIPTOR(DEVICE),
 * since WebUSB's USBDevice does not expose it. Undefined if the browser or device refuses.
 */
export async function readMaxPacketSize0(control: ControlChannel): Promise<number | undefined> {
  try {
    const descriptor = await control.in('standard', 'device', 0x06, 0x0100, 0, 18);
    return descriptor[7];
  } catch (e) {
    if (e instanceof ControlTransferError || (e instanceof Error && e.name === 'NetworkError')) return undefined;
    throw e;
  }
}

/** PL2303_READ_TYPE_HX_STATUS: a legacy vendor read the HXN refuses. */
const HX_STATUS = 0x8080;
/** PL2303_HXN_RESET_REG 0x07 ← PL2303_HXN_RESET_UPSTREAM_PIPE 0x02 | DOWNSTREAM_PIPE 0x01. */
const HXN_RESET_REG = 0x07;
const HXN_RESET_PIPES = 0x03;
/** PL2303_HXN_FLOWCTRL_REG and its MASK; NONE sets all three bits (0x1c). */
const HXN_FLOWCTRL_REG = 0x0a;
const HXN_FLOWCTRL_MASK = 0x1c;
const HXN_FLOWCTRL_NONE = 0x1c;
export const pl2303Driver: UsbSerialDriver = {
  id: 'pl2303',
  interfaces(device) {
    const first = (device.configuration ?? device.configurations[0])?.interfaces[0];
    if (!first) throw new UsbAccessError('unsupported', 'no interface');
    return { claim: [first.interfaceNumber], data: first.interfaceNumber };
  },
  async open({ device, control, endpoints, line }: DriverContext) {
    const legacyRead = (value: number) => control.in('vendor', 'device', 0x01, value, 0, 1);
    const descriptor: Pl2303Descriptor = {
      deviceClass: device.deviceClass,
      maxPacketSize0: device.deviceClass === 0x02 ? undefined : await readMaxPacketSize0(control),
      bcdUSB: bcd(device.usbVersionMajor, device.usbVersionMinor, device.usbVersionSubminor),
      bcdDevice: bcd(device.deviceVersionMajor, device.deviceVersionMinor, device.deviceVersionSubminor),
    };
    const type = await pl2303TypeOf(descriptor, async () => {
      try {
        await legacyRead(HX_STATUS);
        return true;
      } catch (e) {
        if (e instanceof ControlTransferError) return false;
        throw e;
      }
    });
    if (!type)
      throw new UsbAccessError(
        'unsupported',
        `a PL2303 the Linux driver does not know either (bcdUSB 0x${descriptor.bcdUSB.toString(16)}, bcdDevice 0x${descriptor.bcdDevice.toString(16)})`,
      );
    const hxn = type === 'HXN';
    const write = (value: number, index: number) => control.out('vendor', 'device', hxn ? 0x80 : 0x01, value, index);

    if (!hxn) {
      // pl2303_startup: Prolific's start-up dance, reads and writes exactly as the kernel sends them.
      await legacyRead(0x8484);
      await write(0x0404, 0);
      await legacyRead(0x8484);
      await legacyRead(0x8383);
      await legacyRead(0x8484);
      await write(0x0404, 1);
      await legacyRead(0x8484);
      await legacyRead(0x8383);
      await write(0, 1);
      await write(1, 0);
      await write(2, type === 'H' ? 0x24 : 0x44); // PL2303_QUIRK_LEGACY (the H) takes 0x24
    }
    // pl2303_open: reset the data pipes.
    if (type === 'H') {
      await device.clearHalt('out', endpoints.out.endpointNumber);
      await device.clearHalt('in', endpoints.in.endpointNumber);
    } else if (hxn) {
      await write(HXN_RESET_REG, HXN_RESET_PIPES);
    } else {
      await write(8, 0);
      await write(9, 0);
    }
    await control.out('class', 'interface', SET_LINE_CODING, 0, 0, lineCoding(line));
    if (hxn) {
      // pl2303_set_termios → pl2303_update_reg: flow control off. On the legacy chips the start-up
      // write of 1 to register 0 already cleared its flow-control bits (mask 0xf0).
      const [flow = 0] = await control.in('vendor', 'device', 0x81, HXN_FLOWCTRL_REG, 0, 1);
      await write(HXN_FLOWCTRL_REG, (flow & ~HXN_FLOWCTRL_MASK) | HXN_FLOWCTRL_NONE);
    }
    await control.out('class', 'interface', SET_CONTROL_LINE_STATE, DTR_RTS, 0);
    return {
      chip: `Prolific PL2303${type}`,
      close: () => control.out('class', 'interface', 0x22, 0, 0),
    };
  },
};
