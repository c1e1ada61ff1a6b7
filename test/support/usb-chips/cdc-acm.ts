/**
 * A USB CDC-ACM device (here an STM32 "Virtual ComPort", the shape of heads with a native USB
 * microcontroller). USB CDC 1.2 and its PSTN subclass 1.2: a communication interface (class 2,
 * subclass 2 Abstract Control Model) with an interrupt IN endpoint for notifications, and a data
 * interface (class 10) with bulk IN/OUT. With bmCapabilities 0x02 in its ACM functional
 * descriptor it supports SET_LINE_CODING (0x20), GET_LINE_CODING (0x21) and
 * SET_CONTROL_LINE_STATE (0x22) addressed to the communication interface (PSTN §6.3); SEND_BREAK
 * (0x23, capability bit 2) and everything else stall.
 */
import { FakeUsbDevice, OK, STALL } from './fake-usb-device.ts';
import type { ControlOutcome, ControlRequest } from './fake-usb-device.ts';
import { InBuffer, type InResult } from './in-buffer.ts';
import { decodeLineCoding, encodeLineCoding } from './line-coding.ts';
import type { BytePipe } from './uart.ts';

export const CDC = { SET_LINE_CODING: 0x20, GET_LINE_CODING: 0x21, SET_CONTROL_LINE_STATE: 0x22 } as const;
const COMM_INTERFACE = 0;
const DATA_INTERFACE = 1;

export class CdcAcmDevice extends FakeUsbDevice {
  private readonly rx = new InBuffer(64, 1024);
  /** DTR (bit 0) and RTS (bit 1) as last set. */
  controlLineState = 0;

  constructor(line: BytePipe) {
    super(
      {
        vendorId: 0x0483,
        productId: 0x5740,
        deviceClass: 0x02,
        deviceSubclass: 0,
        deviceProtocol: 0,
        bcdUsb: 0x0200,
        bcdDevice: 0x0200,
        manufacturerName: 'STMicroelectronics',
        productName: 'STM32 Virtual ComPort',
        serialNumber: '2061376B5741',
        interfaces: [
          {
            interfaceNumber: COMM_INTERFACE,
            interfaceClass: 0x02,
            interfaceSubclass: 0x02,
            interfaceProtocol: 0x01,
            endpoints: [{ endpointNumber: 2, direction: 'in', type: 'interrupt', packetSize: 8 }],
          },
          {
            interfaceNumber: DATA_INTERFACE,
            interfaceClass: 0x0a,
            interfaceSubclass: 0,
            interfaceProtocol: 0,
            endpoints: [
              { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
              { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
            ],
          },
        ],
      },
      line,
    );
    this.uart.onReceive((bytes) => this.rx.push(bytes));
  }

  protected override control(r: ControlRequest): ControlOutcome {
    if (r.type !== 'class' || r.recipient !== 'interface' || r.index !== COMM_INTERFACE) return STALL;
    if (r.dir === 'out' && r.request === CDC.SET_LINE_CODING) {
      const line = decodeLineCoding(r.data);
      if (!line) return STALL;
      this.uart.line = line;
      return OK;
    }
    if (r.dir === 'in' && r.request === CDC.GET_LINE_CODING)
      return { status: 'ok', data: encodeLineCoding(this.uart.line) };
    if (r.dir === 'out' && r.request === CDC.SET_CONTROL_LINE_STATE) {
      this.controlLineState = r.value & 0x3;
      return OK;
    }
    return STALL;
  }

  protected override bulkOut(_endpointNumber: number, bytes: Uint8Array): void {
    this.uart.send(bytes);
  }

  protected override bulkIn(_endpointNumber: number, length: number, signal: AbortSignal): Promise<InResult> {
    return this.rx.read(length, signal);
  }
}
