/**
 * Silicon Labs CP2102. Requests and data layouts are from Silicon Labs AN571 ("CP210x Virtual
 * COM Port Interface") as the Linux kernel's drivers/usb/serial/cp210x.c uses them: vendor
 * requests to the interface (bmRequestType 0x41/0xC1, wIndex = interface number), the UART does
 * nothing until IFC_ENABLE(1) (cp210x_open sends it first; cp210x_close sends IFC_ENABLE(0)),
 * and the part number is read with the device-recipient VENDOR_SPECIFIC request GET_PARTNUM.
 */
import { FakeUsbDevice, OK, STALL, le16, le32, readLe32 } from './fake-usb-device.ts';
import type { ControlOutcome, ControlRequest } from './fake-usb-device.ts';
import { InBuffer, type InResult } from './in-buffer.ts';
import type { BytePipe, Parity } from './uart.ts';

export const CP210X = {
  IFC_ENABLE: 0x00,
  SET_BAUDDIV: 0x01,
  GET_BAUDDIV: 0x02,
  SET_LINE_CTL: 0x03, // value: bits 0-3 stop (0 = 1, 1 = 1.5, 2 = 2), 4-7 parity, 8-15 data bits
  GET_LINE_CTL: 0x04,
  SET_BREAK: 0x05,
  IMM_CHAR: 0x06,
  SET_MHS: 0x07,
  GET_MDMSTS: 0x08,
  SET_XON: 0x09,
  SET_XOFF: 0x0a,
  SET_EVENTMASK: 0x0b,
  GET_EVENTMASK: 0x0c,
  SET_CHAR: 0x0d,
  GET_CHARS: 0x0e,
  GET_PROPS: 0x0f,
  GET_COMM_STATUS: 0x10,
  RESET: 0x11,
  PURGE: 0x12,
  SET_FLOW: 0x13, // 16 bytes: ulControlHandshake, ulFlowReplace, ulXonLimit, ulXoffLimit
  GET_FLOW: 0x14,
  EMBED_EVENTS: 0x15,
  GET_EVENTSTATE: 0x16,
  SET_CHARS: 0x19, // 6 bytes
  GET_BAUDRATE: 0x1d,
  SET_BAUDRATE: 0x1e, // 4 bytes, little-endian baud
  VENDOR_SPECIFIC: 0xff,
} as const;
export const CP210X_GET_PARTNUM = 0x370b;
const PARTNUM_CP2102 = 0x02;
const BAUD_RATE_GEN_FREQ = 0x384000; // SET_BAUDDIV: baud = 3686400 / divisor

const PARITY_OF: Record<number, Parity> = { 0: 'none', 1: 'odd', 2: 'even', 3: 'mark', 4: 'space' };
const STOP_OF: Record<number, 1 | 1.5 | 2> = { 0: 1, 1: 1.5, 2: 2 };

/**
 * The CP2102 runs only the rates of AN205 Table 1 and maps a request to one of them; these are
 * the table's upper bounds as cp210x_quantise_baudrate lists them (up to 115200, all we need).
 */
const CP2102_RATES: Array<[upTo: number, rate: number]> = [
  [300, 300],
  [600, 600],
  [1200, 1200],
  [1800, 1800],
  [2400, 2400],
  [4000, 4000],
  [4803, 4800],
  [7207, 7200],
  [9612, 9600],
  [14428, 14400],
  [16062, 16000],
  [19250, 19200],
  [28912, 28800],
  [38601, 38400],
  [51558, 51200],
  [56280, 56000],
  [58053, 57600],
  [64111, 64000],
  [77608, 76800],
  [117028, 115200],
];
export function cp2102Rate(requested: number): number {
  return CP2102_RATES.find(([upTo]) => requested <= upTo)?.[1] ?? requested;
}

export class Cp210xChip extends FakeUsbDevice {
  private enabled = false;
  private readonly rx = new InBuffer(64, 576); // CP2102: 576-byte receive buffer
  private flow = new Uint8Array(16);
  private chars = new Uint8Array(6);
  private lineCtl = 0x0800; // 8N1 at power-on
  private mhs = 0;

  constructor(line: BytePipe) {
    super(
      {
        vendorId: 0x10c4,
        productId: 0xea60,
        deviceClass: 0,
        deviceSubclass: 0,
        deviceProtocol: 0,
        bcdUsb: 0x0110,
        bcdDevice: 0x0100,
        manufacturerName: 'Silicon Labs',
        productName: 'CP2102 USB to UART Bridge Controller',
        serialNumber: '0001',
        interfaces: [
          {
            interfaceNumber: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 0,
            interfaceProtocol: 0,
            interfaceName: 'CP2102 USB to UART Bridge Controller',
            endpoints: [
              { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
              { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
            ],
          },
        ],
      },
      line,
    );
    this.applyEnable(false);
    this.uart.onReceive((bytes) => this.rx.push(bytes));
  }

  protected override control(r: ControlRequest): ControlOutcome {
    if (r.type !== 'vendor') return STALL;
    if (r.recipient === 'device') {
      // cp210x_attach reads the part number with bmRequestType 0xC0 (REQTYPE_DEVICE_TO_HOST).
      const partnum = r.dir === 'in' && r.request === CP210X.VENDOR_SPECIFIC && r.value === CP210X_GET_PARTNUM;
      return partnum ? { status: 'ok', data: Uint8Array.of(PARTNUM_CP2102) } : STALL;
    }
    if (r.recipient !== 'interface' || r.index !== 0) return STALL;
    return r.dir === 'out' ? this.write(r) : this.read(r.request);
  }

  private write(r: ControlRequest): ControlOutcome {
    const C = CP210X;
    switch (r.request) {
      case C.IFC_ENABLE:
        if (r.value > 1) return STALL;
        this.applyEnable(r.value === 1);
        return OK;
      case C.SET_BAUDDIV:
        if (r.value === 0) return STALL;
        return this.setBaud(BAUD_RATE_GEN_FREQ / r.value);
      case C.SET_BAUDRATE:
        return r.data.length === 4 ? this.setBaud(readLe32(r.data)) : STALL;
      case C.SET_LINE_CTL:
        return this.setLineCtl(r.value);
      case C.SET_FLOW:
        if (r.data.length !== 16) return STALL;
        this.flow = r.data.slice();
        return OK;
      case C.SET_CHARS:
        if (r.data.length !== 6) return STALL;
        this.chars = r.data.slice();
        return OK;
      case C.SET_MHS:
        this.mhs = r.value;
        return OK;
      case C.PURGE:
        if (r.value & 0x0a) this.rx.clear(); // AN571: bits 1 and 3 clear the receive queue
        return OK;
      case C.SET_BREAK:
      case C.IMM_CHAR:
      case C.SET_XON:
      case C.SET_XOFF:
      case C.SET_EVENTMASK:
      case C.SET_CHAR:
      case C.RESET:
      case C.EMBED_EVENTS:
        return OK;
      default:
        return STALL;
    }
  }

  private read(request: number): ControlOutcome {
    const C = CP210X;
    const ok = (data: Uint8Array): ControlOutcome => ({ status: 'ok', data });
    switch (request) {
      case C.GET_BAUDRATE:
        return ok(le32(Math.round(this.uart.line.baudRate)));
      case C.GET_BAUDDIV:
        return ok(le16(Math.round(BAUD_RATE_GEN_FREQ / this.uart.line.baudRate)));
      case C.GET_LINE_CTL:
        return ok(le16(this.lineCtl));
      case C.GET_FLOW:
        return ok(this.flow.slice());
      case C.GET_CHARS:
        return ok(this.chars.slice());
      case C.GET_MDMSTS:
        // DTR/RTS as set, CTS and DSR asserted (the head's lines are tied).
        return ok(Uint8Array.of((this.mhs & 0x03) | 0x30));
      case C.GET_EVENTMASK:
      case C.GET_EVENTSTATE:
        return ok(le16(0));
      case C.GET_COMM_STATUS: {
        // 19 bytes: ulErrors, ulHoldReasons, ulAmountInInQueue, ulAmountInOutQueue, 3 flags.
        const status = new Uint8Array(19);
        status.set(le32(this.rx.length), 8);
        return ok(status);
      }
      case C.GET_PROPS: {
        // AN571 COMMPROP: wLength 66, bcdVersion 0x0100, ulMaxBaud 921600 at offset 28.
        const props = new Uint8Array(66);
        props.set(le16(66), 0);
        props.set(le16(0x0100), 2);
        props.set(le32(921600), 28);
        return ok(props);
      }
      default:
        return STALL;
    }
  }

  private setBaud(requested: number): ControlOutcome {
    this.uart.line = { ...this.uart.line, baudRate: cp2102Rate(requested) };
    return OK;
  }

  private setLineCtl(value: number): ControlOutcome {
    const stopBits = STOP_OF[value & 0x0f];
    const parity = PARITY_OF[(value >> 4) & 0x0f];
    const dataBits = value >> 8;
    // AN571: an unsupported setting is refused with a stall (the CP2102 has 5 to 8 data bits).
    if (!stopBits || !parity || dataBits < 5 || dataBits > 8) return STALL;
    this.lineCtl = value;
    this.uart.line = { ...this.uart.line, dataBits, parity, stopBits };
    return OK;
  }

  /** No data moves either way while the interface is disabled, the power-on state. */
  private applyEnable(on: boolean): void {
    this.enabled = on;
    this.uart.rxEnabled = on;
    this.uart.txEnabled = on;
    if (!on) this.rx.clear();
  }

  get interfaceEnabled(): boolean {
    return this.enabled;
  }

  protected override bulkOut(_endpointNumber: number, bytes: Uint8Array): void {
    this.uart.send(bytes); // dropped by the UART while disabled
  }

  protected override bulkIn(_endpointNumber: number, length: number, signal: AbortSignal): Promise<InResult> {
    return this.rx.read(length, signal);
  }

  protected override onReset(): void {
    this.applyEnable(false);
  }
}
