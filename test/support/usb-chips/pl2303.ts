/**
 * Prolific PL2303HX and PL2303HXN (PL2303GC). From the Linux kernel's
 * drivers/usb/serial/pl2303.c: pl2303_detect_type tells the generations apart by descriptors
 * (HX: bDeviceClass 0, bcdUSB 0x110, bcdDevice 0x300; HXN: bcdUSB 0x200, bcdDevice 0x100 for
 * the GC, and no answer to the HX status read 0x8080, pl2303_supports_hx_status); pl2303_startup
 * sends the legacy vendor reads and writes (0x8484, 0x0404, 0x8383, 0, 1, 2) only to chips that
 * are not HXN; HXN chips take vendor requests 0x80 (write) / 0x81 (read) instead, register 0x07
 * to reset the pipes and 0x0a for flow control (PL2303_HXN_*). Line settings are the CDC line
 * coding, class request 0x20 to the interface; pl2303_encode_baud_rate sends a standard rate
 * directly, any other one as a divisor with bit 31 set (HX).
 */
import { FakeUsbDevice, OK, STALL, readLe32 } from './fake-usb-device.ts';
import type { ControlOutcome, ControlRequest } from './fake-usb-device.ts';
import { InBuffer, type InResult } from './in-buffer.ts';
import { decodeLineCoding, encodeLineCoding } from './line-coding.ts';
import type { BytePipe } from './uart.ts';

export const PL2303 = {
  VENDOR_REQUEST: 0x01, // legacy read (0xC0) and write (0x40)
  VENDOR_WRITE_NREQUEST: 0x80, // HXN
  VENDOR_READ_NREQUEST: 0x81, // HXN
  SET_LINE_REQUEST: 0x20,
  GET_LINE_REQUEST: 0x21,
  SET_CONTROL_REQUEST: 0x22,
  BREAK_REQUEST: 0x23,
} as const;
export const PL2303_READ_TYPE_HX_STATUS = 0x8080;
export const PL2303_HXN_RESET_REG = 0x07;
export const PL2303_HXN_FLOWCTRL_REG = 0x0a;

export type Pl2303Model = 'pl2303hx' | 'pl2303hxn';

// Legacy vendor reads the HX answers: the start-up "magic" reads, the HX status read, and the
// register reads pl2303_update_reg makes (reg | 0x80) for the registers pl2303.c writes.
// What a real HX returns for the magic reads is not documented and no driver looks at it.
const HX_READS = new Map<number, number>([
  [0x8484, 0x02],
  [0x8383, 0x00],
  [PL2303_READ_TYPE_HX_STATUS, 0x00],
]);
const HX_REGS = new Set([0x00, 0x01, 0x02, 0x08, 0x09, 0x0404]);
const HXN_REGS = new Set([PL2303_HXN_RESET_REG, PL2303_HXN_FLOWCTRL_REG]);

/** pl2303_encode_baud_rate_divisor: baud = 12 MHz · 32 / (buf[0] · 4^k), buf[1] = 2^k. */
function hxBaud(raw: Uint8Array): number {
  const value = readLe32(raw);
  if (!(value & 0x80000000)) return value;
  const mantissa = raw[0]!;
  const k = raw[1] ? Math.log2(raw[1]) : 0;
  return mantissa ? (12_000_000 * 32) / (mantissa * 4 ** k) : 0;
}

export class Pl2303Chip extends FakeUsbDevice {
  private readonly rx = new InBuffer(64, 256);
  private readonly regs = new Map<number, number>();
  private readonly hxn: boolean;

  constructor(
    readonly model: Pl2303Model,
    line: BytePipe,
  ) {
    const hxn = model === 'pl2303hxn';
    super(
      {
        vendorId: 0x067b,
        productId: hxn ? 0x23a3 : 0x2303,
        deviceClass: 0,
        deviceSubclass: 0,
        deviceProtocol: 0,
        bcdUsb: hxn ? 0x0200 : 0x0110,
        bcdDevice: hxn ? 0x0100 : 0x0300,
        manufacturerName: 'Prolific Technology Inc.',
        productName: 'USB-Serial Controller',
        interfaces: [
          {
            interfaceNumber: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 0,
            interfaceProtocol: 0,
            endpoints: [
              { endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 10 },
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
              { endpointNumber: 3, direction: 'in', type: 'bulk', packetSize: 64 },
            ],
          },
        ],
      },
      line,
    );
    this.hxn = hxn;
    this.regs.set(PL2303_HXN_FLOWCTRL_REG, 0x1c); // PL2303_HXN_FLOWCTRL_NONE
    this.uart.onReceive((bytes) => this.rx.push(bytes));
  }

  protected override control(r: ControlRequest): ControlOutcome {
    if (r.type === 'class') return r.recipient === 'interface' && r.index === 0 ? this.classRequest(r) : STALL;
    if (r.type !== 'vendor' || r.recipient !== 'device') return STALL;
    return this.hxn ? this.hxnVendor(r) : this.hxVendor(r);
  }

  private classRequest(r: ControlRequest): ControlOutcome {
    if (r.dir === 'out' && r.request === PL2303.SET_LINE_REQUEST) {
      // HXN parts take only the direct encoding (the kernel's TYPE_HXN has no_divisors).
      const line = decodeLineCoding(r.data, this.hxn ? (raw) => readLe32(raw) : hxBaud);
      if (!line) return STALL;
      this.uart.line = line;
      return OK;
    }
    if (r.dir === 'in' && r.request === PL2303.GET_LINE_REQUEST)
      return { status: 'ok', data: encodeLineCoding(this.uart.line) };
    if (r.dir === 'out' && (r.request === PL2303.SET_CONTROL_REQUEST || r.request === PL2303.BREAK_REQUEST)) return OK;
    return STALL;
  }

  private hxVendor(r: ControlRequest): ControlOutcome {
    if (r.request !== PL2303.VENDOR_REQUEST) return STALL; // the 0x80/0x81 requests are HXN-only
    if (r.dir === 'out') {
      if (!HX_REGS.has(r.value)) return STALL;
      this.regs.set(r.value, r.index & 0xff);
      // Registers 8 and 9 reset the upstream and downstream pipes (pl2303_open).
      if (r.value === 0x08) this.rx.clear();
      return OK;
    }
    const magic = HX_READS.get(r.value);
    if (magic !== undefined) return { status: 'ok', data: Uint8Array.of(magic) };
    if (r.value & 0x80 && HX_REGS.has(r.value & 0x7f))
      return { status: 'ok', data: Uint8Array.of(this.regs.get(r.value & 0x7f) ?? 0) };
    return STALL;
  }

  private hxnVendor(r: ControlRequest): ControlOutcome {
    // The legacy request 0x01 (and so the HX status read 0x8080) stalls: that is how drivers
    // recognise an HXN that shares a bcdDevice with the TA/TB parts.
    if (r.dir === 'out' && r.request === PL2303.VENDOR_WRITE_NREQUEST && HXN_REGS.has(r.value)) {
      if (r.value === PL2303_HXN_RESET_REG) {
        if (r.index & 0x02) this.rx.clear(); // PL2303_HXN_RESET_UPSTREAM_PIPE
      } else this.regs.set(r.value, r.index & 0xff);
      return OK;
    }
    if (r.dir === 'in' && r.request === PL2303.VENDOR_READ_NREQUEST && r.value === PL2303_HXN_FLOWCTRL_REG)
      return { status: 'ok', data: Uint8Array.of(this.regs.get(r.value) ?? 0) };
    return STALL;
  }

  protected override bulkOut(_endpointNumber: number, bytes: Uint8Array): void {
    this.uart.send(bytes);
  }

  protected override bulkIn(_endpointNumber: number, length: number, signal: AbortSignal): Promise<InResult> {
    return this.rx.read(length, signal);
  }

  protected override onReset(): void {
    this.rx.clear();
  }
}
