/**
 * FTDI FT232R, FT-X (FT230X/FT231X/FT234XD), FT232BM/AM, FT2232C/D/H, FT4232H, FT232H.
 *
 * Requests and values from the Linux kernel's drivers/usb/serial/ftdi_sio.h (request numbers
 * and value layouts) and ftdi_sio.c (ftdi_determine_type, get_ftdi_divisor, change_speed,
 * ftdi_set_termios, update_mctrl). All are vendor requests to the device (bmRequestType 0x40);
 * wIndex names the port: 0 on single-port chips, 1 + interface number ("channel A" = 1) on
 * the multi-port FT2232/FT4232, as the kernel's priv->channel.
 */
import { UsbAccessError } from './usb-access-error.ts';
import { bcd, activeConfiguration, type DriverContext, type LineSettings, type UsbSerialDriver } from './driver.ts';

/** ftdi_sio.h request numbers. */
const REQ = { reset: 0x00, modemCtrl: 0x01, setFlowCtrl: 0x02, setBaudRate: 0x03, setData: 0x04, setLatency: 0x09 };

/** FTDI_SIO_RESET_SIO: resets the chip's UART and purges both FIFOs. */
const RESET_SIO = 0;
/** FTDI_SIO_SET_DTR_HIGH | FTDI_SIO_SET_RTS_HIGH: (1 | 1 << 8) | (2 | 2 << 8). Some heads power their IR LED from them. */
const DTR_RTS_ON = 0x0303;
/** FTDI_SIO_SET_DTR_LOW | FTDI_SIO_SET_RTS_LOW: what the kernel sends on close (hang-up). */
const DTR_RTS_OFF = 0x0300;

/**
 * Latency timer, ms: how long the chip holds a part-filled IN packet before sending it, and the
 * interval of its status-only packets when idle. 16 ms is the chip's and the kernel's default;
 * set explicitly because a head's EEPROM may hold another. At 1200 baud a byte takes 9.2 ms, so
 * replies arrive a byte or two per packet well inside KMP's 200 ms inter-byte timeout, while 1 ms
 * (the kernel's low-latency setting) would wake the phone's read loop a thousand times a second.
 */
export const FTDI_LATENCY_MS = 16;

export type FtdiChip = 'FT232AM' | 'FT232BM' | 'FT232R' | 'FT-X' | 'FT232H' | 'FT2232C' | 'FT2232H' | 'FT4232H';

/** ftdi_determine_type: the generation from bcdDevice and the number of interfaces. */
export function ftdiChipOf(bcdDevice: number, interfaces: number): FtdiChip {
  if (interfaces > 1) {
    if (bcdDevice === 0x0800) return 'FT4232H';
    if (bcdDevice === 0x0700) return 'FT2232H';
    return 'FT2232C';
  }
  // The kernel calls < 0x200 the original SIO; that chip has its own PID (8372), not in our table.
  if (bcdDevice < 0x0400) return 'FT232AM';
  if (bcdDevice < 0x0600) return 'FT232BM';
  if (bcdDevice < 0x0900) return 'FT232R';
  if (bcdDevice < 0x1000) return 'FT232H';
  return 'FT-X';
}

/** Hi-speed chips: a 120 MHz baud clock with 10-times sampling (ftdi_2232h_baud_base_to_divisor). */
const H_CLOCK: ReadonlySet<FtdiChip> = new Set(['FT232H', 'FT2232H', 'FT4232H']);
/** Chips whose SET_BAUDRATE wIndex carries the port in its low byte (change_speed). */
const INDEX_WITH_PORT: ReadonlySet<FtdiChip> = new Set(['FT2232C', 'FT2232H', 'FT4232H', 'FT232H']);

/** ftdi_sio.c divfrac[]: eighths of the divisor → the chip's 3-bit sub-integer code (bits 14–16). */
const FRACTION_CODE = [0, 3, 2, 4, 1, 5, 6, 7] as const;

/** Integer division rounded to nearest, as the kernel's DIV_ROUND_CLOSEST for positive numbers. */
const divRoundClosest = (n: number, d: number): number => Math.floor((n + Math.floor(d / 2)) / d);

/** A divisor in eighths → the 17-bit encoded divisor, with the two special cases for the top rates. */
function encodeEighths(divisor3: number): number {
  let divisor = (divisor3 >> 3) | (FRACTION_CODE[divisor3 & 7]! << 14);
  if (divisor === 1)
    divisor = 0; // 1.0: the kernel's special case for the highest rate
  else if (divisor === 0x4001) divisor = 1; // 1.5
  return divisor;
}

/** ftdi_232bm_baud_base_to_divisor with base 48 MHz: the BM, R, X and 2232C (3 MHz baud clock). */
export function ftdiBmDivisor(baud: number): number {
  return encodeEighths(divRoundClosest(48_000_000, 2 * baud));
}

/** ftdi_232am_baud_base_to_divisor: the AM knows only the fractions 0, 1/8, 1/4 and 1/2. */
export function ftdiAmDivisor(baud: number): number {
  let divisor3 = divRoundClosest(48_000_000, 2 * baud);
  if ((divisor3 & 7) === 7) divisor3++; // x.875 rounds up to x+1
  let divisor = divisor3 >> 3;
  const eighths = divisor3 & 7;
  if (eighths === 1) divisor |= 0xc000;
  else if (eighths >= 4) divisor |= 0x4000;
  else if (eighths !== 0) divisor |= 0x8000;
  else if (divisor === 1) divisor = 0;
  return divisor;
}

/**
 * ftdi_2232h_baud_base_to_divisor with base 120 MHz: DIV_ROUND_CLOSEST(8 × base, 10 × baud)
 * eighths, and bit 17 set to switch off the divide-by-2.5 (the 12 MHz path, 1200 baud and up).
 */
export function ftdiHDivisor(baud: number): number {
  return encodeEighths(divRoundClosest(8 * 120_000_000, 10 * baud)) | 0x20000;
}

/** get_ftdi_divisor: which formula for which chip, and the range each can reach. */
export function ftdiDivisor(chip: FtdiChip, baud: number): number {
  if (H_CLOCK.has(chip) && baud >= 1200 && baud <= 12_000_000) return ftdiHDivisor(baud);
  // 183 baud: the largest 14-bit divisor (16383.875) at 3 MHz.
  if (baud < 183 || baud > 3_000_000) throw new UsbAccessError('settings', `FTDI ${chip} cannot run at ${baud} baud`);
  return chip === 'FT232AM' ? ftdiAmDivisor(baud) : ftdiBmDivisor(baud);
}

/** SET_BAUDRATE's wValue and wIndex: divisor bits 0–15, and bits 16–17 placed as change_speed does. */
export function ftdiBaudSetup(chip: FtdiChip, baud: number, port: number): { value: number; index: number } {
  const divisor = ftdiDivisor(chip, baud);
  const high = divisor >>> 16;
  return { value: divisor & 0xffff, index: INDEX_WITH_PORT.has(chip) ? (high << 8) | port : high };
}

/** SET_DATA's wValue: data bits 0–7, parity 8–10 (1 odd, 2 even), stop bits 11–13 (0 one, 2 two). */
export function ftdiDataValue(line: LineSettings): number {
  const parity = { none: 0, odd: 1, even: 2 }[line.parity];
  return line.dataBits | (parity << 8) | ((line.stopBits === 2 ? 2 : 0) << 11);
}

/**
 * The data of one IN transfer: every packet of `packetSize` bytes (64 full speed, 512 on the
 * hi-speed chips) starts with two modem/line status bytes, so a transfer of several packets has
 * several pairs; a packet of only status (sent every latency period when idle) carries no data.
 */
export function stripFtdiStatus(transfer: Uint8Array, packetSize: number): Uint8Array {
  const out = new Uint8Array(transfer.length);
  let n = 0;
  for (let at = 0; at < transfer.length; at += packetSize) {
    const end = Math.min(at + packetSize, transfer.length);
    if (end - at > 2) {
      out.set(transfer.subarray(at + 2, end), n);
      n += end - at - 2;
    }
  }
  return out.subarray(0, n);
}

export function ftdiChipName(device: USBDevice): string {
  const interfaces = activeConfiguration(device)?.interfaces.length ?? 1;
  const version = bcd(device.deviceVersionMajor, device.deviceVersionMinor, device.deviceVersionSubminor);
  return `FTDI ${ftdiChipOf(version, interfaces)}`;
}

export const ftdiDriver: UsbSerialDriver = {
  id: 'ftdi',
  interfaces(device) {
    // One UART per interface; an IR head on a dual or quad chip is wired to port A, interface 0.
    const first = activeConfiguration(device)?.interfaces[0];
    if (!first) throw new UsbAccessError('unsupported', 'no interface');
    return { claim: [first.interfaceNumber], data: first.interfaceNumber };
  },
  async open({ device, control, interfaces, line }: DriverContext) {
    const count = activeConfiguration(device)?.interfaces.length ?? 1;
    const chip = ftdiChipOf(
      bcd(device.deviceVersionMajor, device.deviceVersionMinor, device.deviceVersionSubminor),
      count,
    );
    const port = count > 1 ? interfaces.data + 1 : 0;
    const out = (request: number, value: number, index = port) =>
      control.out('vendor', 'device', request, value, index);
    // Order as the kernel: ftdi_open's reset, the latency timer of the port probe, then
    // ftdi_set_termios (data format, baud rate, flow control), then DTR/RTS from dtr_rts.
    await out(REQ.reset, RESET_SIO);
    await out(REQ.setLatency, FTDI_LATENCY_MS);
    await out(REQ.setData, ftdiDataValue(line));
    const baud = ftdiBaudSetup(chip, line.baudRate, port);
    await out(REQ.setBaudRate, baud.value, baud.index);
    await out(REQ.setFlowCtrl, 0, port); // no flow control: wIndex high byte 0, low byte the port
    await out(REQ.modemCtrl, DTR_RTS_ON);
    return {
      chip: `FTDI ${chip}`,
      unwrap: stripFtdiStatus,
      close: () => out(REQ.modemCtrl, DTR_RTS_OFF),
    };
  },
};
