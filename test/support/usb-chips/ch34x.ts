/**
 * WCH CH340 and an older CH341. WCH publishes no register map; everything here is what the Linux
 * kernel's drivers/usb/serial/ch341.c relies on: vendor requests to the device (0x5F
 * READ_VERSION, 0xA1 SERIAL_INIT, 0x9A WRITE_REG and 0x95 READ_REG on register pairs addressed
 * as value = reg1 | reg2 << 8 with the values in index the same way, 0xA4 MODEM_CTRL), the baud
 * rate in registers 0x12 (prescaler: bits 0-1 ps, bit 2 fact, bit 7 "send short packets") and
 * 0x13 (0x100 - divisor) with rate = 48 MHz / ((1 << (12 - 3·ps - fact)) · divisor), and the line
 * control register 0x18 (CH341_LCR_*: bit 7 RX enable, 6 TX enable, 5 mark/space, 4 even,
 * 3 parity enable, 2 two stop bits, 0-1 data bits - 5).
 */
import { FakeUsbDevice, OK, STALL } from './fake-usb-device.ts';
import type { ControlOutcome, ControlRequest } from './fake-usb-device.ts';
import { InBuffer, type InResult } from './in-buffer.ts';
import type { BytePipe, LineSettings, Parity } from './uart.ts';

export const CH341 = {
  READ_VERSION: 0x5f,
  READ_REG: 0x95,
  WRITE_REG: 0x9a,
  SERIAL_INIT: 0xa1,
  MODEM_CTRL: 0xa4,
} as const;

export const CH341_REG = {
  BREAK: 0x05,
  STATUS: 0x06, // modem status (inverted), read with 0x07 as ch341_get_status does
  STATUS2: 0x07,
  FINE_BAUD: 0x2c, // written by usb-serial-for-android with 0x0f; no effect modelled
  PRESCALER: 0x12,
  DIVISOR: 0x13,
  LCR: 0x18,
  LCR2: 0x25,
} as const;

/** Bit 7 of the prescaler register: send what is there instead of waiting for a full packet. */
const PRESCALER_NO_BUFFER = 0x80;
const PACKET = 32;

// Registers a driver can write (ch341.c writes 0x12/0x13, 0x18/0x25, 0x05/0x18 for break;
// FreeBSD's uchcom and usb-serial-for-android also write 0x27 and 0x0f/0x2c). Register 0x00 is
// readable because ch341_detect_quirks reads the pair 0x05/0x00. Others stall here: a guess
// about silicon that documents nothing, so a driver typo shows up.
const WRITABLE = new Set([0x05, 0x0f, 0x12, 0x13, 0x18, 0x25, 0x27, 0x2c]);
const READABLE = new Set([...WRITABLE, 0x00, 0x06, 0x07]);

export type Ch34xModel = 'ch340' | 'ch341-old';

export function ch34xBaud(prescaler: number, divisorReg: number): number {
  const ps = prescaler & 0x3;
  const fact = (prescaler >> 2) & 1;
  const divisor = 0x100 - divisorReg;
  return 48_000_000 / ((1 << (12 - 3 * ps - fact)) * divisor);
}

export function ch34xLcr(lcr: number): Pick<LineSettings, 'dataBits' | 'parity' | 'stopBits'> {
  let parity: Parity = 'none';
  if (lcr & 0x08) parity = lcr & 0x20 ? (lcr & 0x10 ? 'space' : 'mark') : lcr & 0x10 ? 'even' : 'odd';
  return { dataBits: 5 + (lcr & 0x3), parity, stopBits: lcr & 0x04 ? 2 : 1 };
}

export class Ch34xChip extends FakeUsbDevice {
  readonly version: number;
  private readonly regs = new Map<number, number>();
  private readonly rx: InBuffer;

  constructor(
    readonly model: Ch34xModel,
    line: BytePipe,
  ) {
    super(
      {
        // The CH340 enumerates as 1A86:7523; a CH341A in UART mode as 1A86:5523.
        vendorId: 0x1a86,
        productId: model === 'ch340' ? 0x7523 : 0x5523,
        deviceClass: 0xff,
        deviceSubclass: 0,
        deviceProtocol: 0,
        bcdUsb: 0x0110,
        bcdDevice: model === 'ch340' ? 0x0264 : 0x0304,
        maxPacketSize0: 8,
        productName: model === 'ch340' ? 'USB Serial' : 'USB2.0-Ser!',
        interfaces: [
          {
            interfaceNumber: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 0x01,
            interfaceProtocol: 0x02,
            endpoints: [
              { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: PACKET },
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: PACKET },
              { endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize: 8 },
            ],
          },
        ],
      },
      line,
    );
    // ch341_configure: "expect two bytes 0x27 0x00" on old parts; chips from 0x30 on have the
    // single line-control register 0x18 (ch341_set_baudrate_lcr's comment).
    this.version = model === 'ch340' ? 0x31 : 0x27;
    this.rx = new InBuffer(PACKET, 256, () => (this.buffersPackets() ? PACKET : 1));
    this.powerOn();
    this.uart.onReceive((bytes) => this.rx.push(bytes));
  }

  /**
   * ch341.c: the chip "buffers data until a full endpoint-size packet (32 bytes) has been
   * received unless bit 7 is set", and "at least one device with version 0x27 appears to have
   * this bit inverted" — so the kernel sets it only above 0x27. The old model has it inverted.
   */
  private buffersPackets(): boolean {
    const noBuffer = ((this.regs.get(CH341_REG.PRESCALER) ?? 0) & PRESCALER_NO_BUFFER) !== 0;
    return this.version <= 0x27 ? noBuffer : !noBuffer;
  }

  private powerOn(): void {
    // 9600 baud (prescaler 2, divisor 0xB2 as ch341_get_divisor computes it), 8N1, RX/TX on.
    for (const [reg, v] of [
      [0x00, 0x00],
      [CH341_REG.BREAK, 0x01],
      [CH341_REG.STATUS, 0xff],
      [CH341_REG.STATUS2, 0xee],
      [0x0f, 0x00],
      [CH341_REG.PRESCALER, 0x02],
      [CH341_REG.DIVISOR, 0xb2],
      [CH341_REG.LCR, 0xc3],
      [CH341_REG.LCR2, 0x00],
      [0x27, 0x00],
      [CH341_REG.FINE_BAUD, 0x00],
    ] as const)
      this.regs.set(reg, v);
    this.applyRegisters();
  }

  protected override control(r: ControlRequest): ControlOutcome {
    if (r.type !== 'vendor' || r.recipient !== 'device') return STALL;
    const [regA, regB] = [r.value & 0xff, r.value >> 8];
    switch (r.dir === 'in' ? `in${r.request}` : `out${r.request}`) {
      case `in${CH341.READ_VERSION}`:
        return { status: 'ok', data: Uint8Array.of(this.version, 0x00) };
      case `out${CH341.SERIAL_INIT}`:
        // ch341_configure sends it with value 0, index 0 before the baud rate and LCR. WCH's own
        // drivers pass an initial LCR/divisor in it, in a form no public source documents; we
        // accept any value and leave the registers to the writes that follow.
        this.rx.clear();
        return OK;
      case `out${CH341.MODEM_CTRL}`:
        return OK; // ~(DTR bit 5 | RTS bit 6): nothing on an IR head listens to them
      case `out${CH341.WRITE_REG}`:
        if (!WRITABLE.has(regA) || !WRITABLE.has(regB)) return STALL;
        this.regs.set(regA, r.index & 0xff);
        this.regs.set(regB, r.index >> 8);
        this.applyRegisters();
        return OK;
      case `in${CH341.READ_REG}`:
        if (!READABLE.has(regA) || !READABLE.has(regB)) return STALL;
        return { status: 'ok', data: Uint8Array.of(this.regs.get(regA) ?? 0, this.regs.get(regB) ?? 0) };
      default:
        return STALL;
    }
  }

  private applyRegisters(): void {
    const lcr = this.regs.get(CH341_REG.LCR)!;
    // For chips below 0x30 ch341.c skips the LCR write ("used separate registers for line
    // control"), which registers those are is not public. We apply 0x18 on both models, as
    // older kernels and usb-serial-for-android write it on every version; see the report.
    this.uart.line = {
      baudRate: ch34xBaud(this.regs.get(CH341_REG.PRESCALER)!, this.regs.get(CH341_REG.DIVISOR)!),
      ...ch34xLcr(lcr),
    };
    this.uart.rxEnabled = (lcr & 0x80) !== 0;
    this.uart.txEnabled = (lcr & 0x40) !== 0;
    this.rx.push(new Uint8Array(0)); // the packet-buffering bit may have changed: re-check waiters
  }

  protected override bulkOut(_endpointNumber: number, bytes: Uint8Array): void {
    this.uart.send(bytes);
  }

  protected override bulkIn(_endpointNumber: number, length: number, signal: AbortSignal): Promise<InResult> {
    return this.rx.read(length, signal);
  }

  protected override onReset(): void {
    this.rx.clear();
    this.powerOn();
  }
}
