/**
 * FTDI FT232R and FT230X (FT-X series). Requests, values and the IN packet format are from the
 * Linux kernel's drivers/usb/serial/ftdi_sio.h (request numbers, SET_DATA/MODEM_CTRL bit
 * layouts, "the first two bytes of every read packet are status bytes") and ftdi_sio.c
 * (ftdi_232bm_baud_base_to_divisor, ftdi_determine_type, change_speed, latency timer reads);
 * FTDI's AN232B-04 describes the latency timer.
 */
import { FakeUsbDevice, OK, STALL, type ControlOutcome, type ControlRequest } from './fake-usb-device.ts';
import type { InResult } from './in-buffer.ts';
import type { BytePipe, Parity } from './uart.ts';

// bRequest values, vendor type, device recipient (ftdi_sio.h FTDI_SIO_*_REQUEST).
export const FTDI = {
  RESET: 0x00, // value 0 reset SIO, 1 purge RX, 2 purge TX
  MODEM_CTRL: 0x01, // value: DTR bit 0, RTS bit 1, their write-enable masks in bits 8 and 9
  SET_FLOW_CTRL: 0x02, // index high byte: 0 none, 1 RTS/CTS, 2 DTR/DSR, 4 XON/XOFF
  SET_BAUD_RATE: 0x03, // value/index: the divisor (below)
  SET_DATA: 0x04, // value: bits 0-7 data bits, 8-10 parity, 11-13 stop bits, 14 break
  GET_MODEM_STATUS: 0x05, // IN, 2 bytes in the format of the IN packets' status bytes
  SET_EVENT_CHAR: 0x06,
  SET_ERROR_CHAR: 0x07,
  SET_LATENCY_TIMER: 0x09, // value: milliseconds, 1-255
  GET_LATENCY_TIMER: 0x0a, // IN, 1 byte
  SET_BITMODE: 0x0b,
  READ_PINS: 0x0c, // IN, 1 byte
  READ_EEPROM: 0x90, // IN, 2 bytes: the word at index
} as const;

/**
 * The two status bytes at the start of every IN packet (ftdi_sio.h, "IN Endpoint"): modem
 * status (bits 0-3 always 0001 on these chips) and line status, 0x60 = transmitter holding
 * register and transmitter empty (THRE, TEMT), no errors.
 */
export const FTDI_STATUS = Uint8Array.of(0x01, 0x60);
const PACKET = 64;
const PAYLOAD = PACKET - FTDI_STATUS.length;

// SET_BAUD_RATE's three fractional bits (bits 14-15 of value, bit 16 in index) hold a code, not
// eighths: ftdi_232bm_baud_base_to_divisor maps eighths → code with {0, 3, 2, 4, 1, 5, 6, 7};
// this is the inverse, code → eighths.
const EIGHTHS_OF_CODE = [0, 4, 2, 1, 3, 5, 6, 7] as const;
const BAUD_BASE = 3_000_000; // 48 MHz / 16

/** The baud rate the 232BM-style divisor encoding (FT232B/R, FT-X) gives. */
export function ftdiBaudFromDivisor(divisor17: number): number {
  const integer = divisor17 & 0x3fff;
  const code = (divisor17 >> 14) & 0x7;
  // Special cases the kernel encodes for the top rates: 0 → 3 MBd, 1 → 2 MBd.
  if (integer === 0 && code === 0) return BAUD_BASE;
  if (integer === 1 && code === 0) return 2_000_000;
  return BAUD_BASE / (integer + EIGHTHS_OF_CODE[code]! / 8);
}

const PARITY_OF: Record<number, Parity> = { 0: 'none', 1: 'odd', 2: 'even', 3: 'mark', 4: 'space' };
const STOP_OF: Record<number, 1 | 1.5 | 2> = { 0: 1, 1: 1.5, 2: 2 };

export type FtdiModel = 'ft232r' | 'ft230x';

const VARIANTS: Record<
  FtdiModel,
  { productId: number; bcdDevice: number; productName: string; rxFifo: number; addressedByChannel: boolean }
> = {
  // bcdDevice is how drivers tell the generations apart (ftdi_determine_type: 0x600 FT232R,
  // 0x1000 FT-X). The kernel addresses an FT232R as channel 0 but an FT-X as channel A (1),
  // so on the FT-X the baud rate's index carries the divisor's bit 16 in its high byte.
  ft232r: {
    productId: 0x6001,
    bcdDevice: 0x0600,
    productName: 'FT232R USB UART',
    rxFifo: 256,
    addressedByChannel: false,
  },
  ft230x: {
    productId: 0x6015,
    bcdDevice: 0x1000,
    productName: 'FT230X Basic UART',
    rxFifo: 512,
    addressedByChannel: true,
  },
};

export class FtdiChip extends FakeUsbDevice {
  latencyMs = 16; // the chip's power-on default (AN232B-04)
  private rx: number[] = [];
  private lastPacketAt = -Infinity;
  private readonly rxFifo: number;
  private readonly addressedByChannel: boolean;
  private dataListeners = new Set<() => void>();

  constructor(
    readonly model: FtdiModel,
    line: BytePipe,
  ) {
    const v = VARIANTS[model];
    super(
      {
        vendorId: 0x0403,
        productId: v.productId,
        deviceClass: 0,
        deviceSubclass: 0,
        deviceProtocol: 0,
        bcdUsb: 0x0200,
        bcdDevice: v.bcdDevice,
        maxPacketSize0: model === 'ft232r' ? 8 : 64,
        manufacturerName: 'FTDI',
        productName: v.productName,
        serialNumber: model === 'ft232r' ? 'A10KMP01' : 'D30KMP01',
        interfaces: [
          {
            interfaceNumber: 0,
            interfaceClass: 0xff,
            interfaceSubclass: 0xff,
            interfaceProtocol: 0xff,
            interfaceName: v.productName,
            endpoints: [
              { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: PACKET },
              { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: PACKET },
            ],
          },
        ],
      },
      line,
    );
    this.rxFifo = v.rxFifo;
    this.addressedByChannel = v.addressedByChannel;
    this.uart.onReceive((bytes) => {
      this.rx.push(...bytes.subarray(0, Math.max(0, this.rxFifo - this.rx.length)));
      for (const l of this.dataListeners) l();
    });
  }

  protected override control(r: ControlRequest): ControlOutcome {
    if (r.type !== 'vendor' || r.recipient !== 'device') return STALL;
    const out = r.dir === 'out';
    // Single-port chips: the kernel sends index 0 (FT232R) or 1 (FT-X, channel A); libftdi and
    // usb-serial-for-android send 1. Another port number is a port these chips do not have.
    const portOk = (r.index & 0xff) <= 1;
    switch (r.request) {
      case FTDI.RESET:
        if (!out || !portOk || r.value > 2) return STALL;
        if (r.value !== 2) this.rx = []; // reset SIO and purge RX empty the receive buffer
        return OK;
      case FTDI.MODEM_CTRL:
      case FTDI.SET_EVENT_CHAR:
      case FTDI.SET_ERROR_CHAR:
      case FTDI.SET_BITMODE:
        return out && portOk ? OK : STALL;
      case FTDI.SET_FLOW_CTRL:
        return out && portOk && [0, 1, 2, 4].includes(r.index >> 8) ? OK : STALL;
      case FTDI.SET_BAUD_RATE:
        return out ? this.setBaud(r.value, r.index) : STALL;
      case FTDI.SET_DATA:
        return out && portOk ? this.setData(r.value) : STALL;
      case FTDI.GET_MODEM_STATUS:
        return !out && portOk ? { status: 'ok', data: FTDI_STATUS.slice() } : STALL;
      case FTDI.SET_LATENCY_TIMER:
        if (!out || !portOk) return STALL;
        // AN232B-04: 1-255 ms. What the chip does with 0 is not documented; we take it as 1.
        this.latencyMs = Math.max(1, r.value & 0xff);
        return OK;
      case FTDI.GET_LATENCY_TIMER:
        return !out && portOk ? { status: 'ok', data: Uint8Array.of(this.latencyMs) } : STALL;
      case FTDI.READ_PINS:
        return !out && portOk ? { status: 'ok', data: Uint8Array.of(0xff) } : STALL;
      case FTDI.READ_EEPROM:
        // An erased/unused word reads 0xFFFF; the emulator keeps no EEPROM image.
        return !out && r.index < 0x80 ? { status: 'ok', data: Uint8Array.of(0xff, 0xff) } : STALL;
      default:
        return STALL;
    }
  }

  private setBaud(value: number, index: number): ControlOutcome {
    // change_speed: index = divisor >> 16 (FT232R, channel 0), or (divisor >> 16) << 8 | channel
    // when the chip is addressed by channel (FT-X). libftdi sends the FT-X the first form.
    // On the FT-X an index of 1 is read as channel A (the kernel's form); whether the chip would
    // rather read it as bit 16 (libftdi's form) is not documented — at 1200 baud (divisor 2500)
    // that bit moves the rate by 0.015 %, so either reading passes.
    const kernelForm = this.addressedByChannel && (index & 0xff) === 1;
    const bit16 = kernelForm ? (index >> 8) & 1 : index & 1;
    this.uart.line = { ...this.uart.line, baudRate: ftdiBaudFromDivisor(value | (bit16 << 16)) };
    return OK;
  }

  private setData(value: number): ControlOutcome {
    const parity = PARITY_OF[(value >> 8) & 0x7];
    const stopBits = STOP_OF[(value >> 11) & 0x7];
    if (!parity || !stopBits) return STALL;
    // Only 7 and 8 data bits exist on FTDI UARTs; ftdi_set_termios notes the chips fall back to 8.
    const dataBits = (value & 0xff) === 7 ? 7 : 8;
    this.uart.line = { ...this.uart.line, dataBits, parity, stopBits };
    return OK;
  }

  protected override bulkOut(_endpointNumber: number, bytes: Uint8Array): void {
    this.uart.send(bytes);
  }

  /**
   * The chip answers an IN token with data when it has a packet's worth or when its latency
   * timer (restarted by every packet it sends) runs out — with just the two status bytes if the
   * UART received nothing. So an idle FTDI answers every latency-timer milliseconds.
   */
  protected override bulkIn(_endpointNumber: number, length: number, signal: AbortSignal): Promise<InResult> {
    return new Promise((resolve) => {
      const send = () => {
        this.lastPacketAt = performance.now();
        resolve(this.packets(length));
      };
      if (this.rx.length >= PAYLOAD) return send();
      const finish = () => {
        clearTimeout(timer);
        this.dataListeners.delete(onData);
      };
      const onData = () => {
        if (this.rx.length < PAYLOAD) return;
        finish();
        send();
      };
      const timer = setTimeout(
        () => {
          finish();
          send();
        },
        Math.max(0, this.lastPacketAt + this.latencyMs - performance.now()),
      );
      this.dataListeners.add(onData);
      signal.addEventListener('abort', finish);
    });
  }

  private packets(length: number): InResult {
    const out: number[] = [];
    for (;;) {
      const room = length - out.length;
      const payload = this.rx.slice(0, PAYLOAD);
      const packetLength = FTDI_STATUS.length + payload.length;
      if (packetLength > room) return { status: 'babble', data: Uint8Array.from(out) };
      this.rx.splice(0, payload.length);
      out.push(...FTDI_STATUS, ...payload);
      // A full packet means more may follow in the same transfer; a short one ends it.
      if (packetLength < PACKET || !this.rx.length || length - out.length < FTDI_STATUS.length) break;
    }
    return { status: 'ok', data: Uint8Array.from(out) };
  }

  protected override onReset(): void {
    this.rx = [];
    this.latencyMs = 16;
  }
}
