/**
 * A Web Serial-like port over WebUSB: what the link layer's KmpClient and MeterSession use
 * (readable, writable, open, close), with a chip driver doing the chip's part. The generic part
 * lives here so every chip shares one read loop, one close, and one way of failing: a head
 * unplugged mid-session errors `readable` with an error named 'NetworkError', as Web Serial's
 * lost device does, so the session shows 'lost' through the code it already has.
 */
import type { SerialPortLike } from '../link/serial-port-like.ts';
import { cdcAcmDriver } from './cdc-acm.ts';
import { ch34xDriver } from './ch34x.ts';
import { chipOf, driverFor } from './chips.ts';
import { cp210xDriver } from './cp210x.ts';
import {
  ControlChannel,
  activeConfiguration,
  hex4,
  type LineSettings,
  type OpenedDriver,
  type UsbDriverId,
  type UsbSerialDriver,
} from './driver.ts';
import { ftdiChipName, ftdiDriver } from './ftdi.ts';
import { pl2303Driver } from './pl2303.ts';
import { POWER_WINDOW_MS, UsbAccessError, classifyUsbError, type UsbStep } from './usb-access-error.ts';

const DRIVERS: Record<UsbDriverId, UsbSerialDriver> = {
  ftdi: ftdiDriver,
  cp210x: cp210xDriver,
  ch34x: ch34xDriver,
  pl2303: pl2303Driver,
  'cdc-acm': cdcAcmDriver,
};

export interface UsbPortDescription {
  path: 'WebUSB';
  driver: UsbDriverId;
  /** 'FTDI FT232R', 'WCH CH340 (version 0x31)', 'Prolific PL2303HXN': the generation after open(). */
  chip: string;
  vendorId: number;
  productId: number;
  productName?: string;
  manufacturerName?: string;
  serialNumber?: string;
}

/** "FTDI FT232R (0403:6001) over WebUSB, ftdi driver": for the diagnostics and the frame log. */
export function describeUsbPort(d: UsbPortDescription): string {
  return `${d.chip} (${hex4(d.vendorId)}:${hex4(d.productId)}) over WebUSB, ${d.driver} driver`;
}

export interface UsbSerialPortOptions {
  /** The clock for the 'power' window after opening. Default Date.now. */
  now?: () => number;
}

/** What exists while the port is open. */
interface Session {
  driver: OpenedDriver;
  claimed: number[];
  in: USBEndpoint;
  out: USBEndpoint;
  openedAt: number;
  closing: boolean;
  cancelled: boolean;
  controller?: ReadableStreamDefaultController<Uint8Array>;
}

/** Web Serial's default `bufferSize`. */
const DEFAULT_BUFFER = 255;

/** Validates Web Serial's open options into what the chips take: 7 or 8 data bits, 1 or 2 stop bits. */
export function lineSettingsOf(options: SerialOptions): LineSettings {
  const { baudRate, dataBits = 8, stopBits = 1, parity = 'none', flowControl = 'none' } = options;
  const bad = (what: string) => new UsbAccessError('settings', what);
  if (!Number.isInteger(baudRate) || baudRate <= 0) throw bad(`baud rate ${baudRate}`);
  if (dataBits !== 7 && dataBits !== 8) throw bad(`${String(dataBits)} data bits`);
  if (stopBits !== 1 && stopBits !== 2) throw bad(`${String(stopBits)} stop bits`);
  if (parity !== 'none' && parity !== 'even' && parity !== 'odd') throw bad(`parity ${String(parity)}`);
  if (flowControl !== 'none') throw bad(`flow control ${flowControl}`);
  return { baudRate, dataBits, stopBits, parity };
}

export class UsbSerialPort implements SerialPortLike {
  private readonly driver: UsbSerialDriver;
  private readonly now: () => number;
  private session: Session | undefined;
  private _readable: ReadableStream<Uint8Array> | null = null;
  private _writable: WritableStream<Uint8Array> | null = null;
  private _description: UsbPortDescription;
  /** Why the head went away while open, in plain words: 'power' within 2 s of opening, else 'gone'. */
  lost: UsbAccessError | undefined;

  constructor(
    readonly device: USBDevice,
    driver?: UsbDriverId,
    options: UsbSerialPortOptions = {},
  ) {
    const id = driver ?? driverFor(device);
    if (!id) throw new UsbAccessError('unsupported', `${hex4(device.vendorId)}:${hex4(device.productId)}`);
    this.driver = DRIVERS[id];
    this.now = options.now ?? Date.now;
    this._description = {
      path: 'WebUSB',
      driver: id,
      chip: id === 'ftdi' ? ftdiChipName(device) : (chipOf(device)?.name ?? 'USB CDC-ACM'),
      vendorId: device.vendorId,
      productId: device.productId,
      productName: device.productName,
      manufacturerName: device.manufacturerName,
      serialNumber: device.serialNumber,
    };
  }

  get readable(): ReadableStream<Uint8Array> | null {
    return this.session ? this._readable : null;
  }

  get writable(): WritableStream<Uint8Array> | null {
    return this.session ? this._writable : null;
  }

  get description(): UsbPortDescription {
    return { ...this._description };
  }

  getInfo(): { usbVendorId: number; usbProductId: number } {
    return { usbVendorId: this.device.vendorId, usbProductId: this.device.productId };
  }

  /** Opens the device, claims its interfaces and sets the line; failures are UsbAccessErrors. */
  async open(options: SerialOptions): Promise<void> {
    if (this.session) throw new UsbAccessError('unknown', 'the port is already open');
    const line = lineSettingsOf(options);
    const device = this.device;
    let step: UsbStep = 'device-open';
    let openedAt: number | undefined;
    const claimed: number[] = [];
    try {
      if (!device.opened) await device.open();
      openedAt = this.now();
      step = 'claim';
      if (!device.configuration) await device.selectConfiguration(1);
      const interfaces = this.driver.interfaces(device);
      for (const n of interfaces.claim) {
        await device.claimInterface(n);
        claimed.push(n);
      }
      step = 'setup';
      const endpoints = bulkEndpoints(device, interfaces.data);
      const driver = await this.driver.open({
        device,
        control: new ControlChannel(device),
        interfaces,
        endpoints,
        line,
        name: chipOf(device)?.name ?? this._description.chip,
      });
      if (driver.chip) this._description.chip = driver.chip;
      const session: Session = { driver, claimed, ...endpoints, openedAt, closing: false, cancelled: false };
      this.lost = undefined;
      this.session = session;
      this._readable = this.makeReadable(session, options.bufferSize ?? DEFAULT_BUFFER);
      this._writable = this.makeWritable(session);
    } catch (e) {
      await this.release(claimed);
      throw classifyUsbError(e, step, openedAt === undefined ? undefined : this.now() - openedAt);
    }
  }

  /**
   * Ends the read loop, lets the driver quiet the chip, releases the interfaces and closes the
   * device. Never throws: after an unplug every step fails, and that is fine.
   */
  async close(): Promise<void> {
    const s = this.session;
    if (!s) return;
    this.session = undefined;
    s.closing = true;
    const writable = this._writable;
    this._readable = null;
    this._writable = null;
    try {
      s.controller?.close(); // a reader still waiting gets `done`
    } catch {
      // already cancelled or errored
    }
    if (writable && !writable.locked) await writable.abort().catch(() => undefined);
    await s.driver.close().catch(() => undefined);
    await this.release(s.claimed);
  }

  private async release(claimed: readonly number[]): Promise<void> {
    // Releasing an interface aborts its pending transfers, which ends the read loop.
    for (const n of [...claimed].reverse()) await this.device.releaseInterface(n).catch(() => undefined);
    if (this.device.opened) await this.device.close().catch(() => undefined);
  }

  private makeReadable(s: Session, bufferSize: number): ReadableStream<Uint8Array> {
    return new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          s.controller = controller;
        },
        pull: (controller) => this.pull(s, controller),
        cancel: () => {
          s.cancelled = true;
        },
      },
      // Like Web Serial's bufferSize: unread bytes up to this many before reading stops.
      { highWaterMark: bufferSize, size: (chunk) => chunk.byteLength },
    );
  }

  /** One chunk for the reader: transfers until one carries data, handed on at once. */
  private async pull(s: Session, controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const ended = () => s.closing || s.cancelled;
    while (!ended()) {
      let result: USBInTransferResult;
      try {
        result = await this.device.transferIn(s.in.endpointNumber, s.in.packetSize);
      } catch (e) {
        if (!ended()) this.fail(s, controller, e);
        return;
      }
      if (ended()) return;
      if (result.status === 'stall') {
        // A halted IN endpoint: clear the halt and read on; the stall itself loses no data.
        try {
          await this.device.clearHalt('in', s.in.endpointNumber);
        } catch (e) {
          if (!ended()) this.fail(s, controller, e);
          return;
        }
        continue;
      }
      // 'babble' (the device sent more than asked) still hands over what did fit.
      const view = result.data;
      const raw = view
        ? new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength))
        : new Uint8Array(0);
      const data = s.driver.unwrap ? s.driver.unwrap(raw, s.in.packetSize) : raw;
      if (data.length) {
        controller.enqueue(data);
        return;
      }
      // An FTDI status-only packet or an empty one: nothing for the reader yet.
    }
  }

  /** The head went away: error the stream the way Web Serial does, and say why in plain words. */
  private fail(s: Session, controller: ReadableStreamDefaultController<Uint8Array>, cause: unknown): void {
    this.lost = this.lostError(s, cause);
    if (this._readable && this.session === s) this._readable = null;
    controller.error(networkError(this.lost));
  }

  private lostError(s: Session, cause: unknown): UsbAccessError {
    const detail = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
    return new UsbAccessError(this.now() - s.openedAt < POWER_WINDOW_MS ? 'power' : 'gone', detail);
  }

  private makeWritable(s: Session): WritableStream<Uint8Array> {
    return new WritableStream<Uint8Array>({
      write: async (chunk) => {
        let rest = Uint8Array.from(chunk);
        let stalled = false;
        while (rest.length) {
          let result: USBOutTransferResult;
          try {
            result = await this.device.transferOut(s.out.endpointNumber, rest);
          } catch (e) {
            throw networkError(this.lostError(s, e));
          }
          if (result.status === 'stall' && !stalled) {
            stalled = true; // once: a halted OUT endpoint is cleared and the write tried again
            await this.device.clearHalt('out', s.out.endpointNumber);
            continue;
          }
          if (result.status !== 'ok' || result.bytesWritten === 0)
            throw new Error(`The IR head did not take the data (${result.status}).`);
          rest = rest.subarray(result.bytesWritten);
        }
      },
    });
  }
}

/** Web Serial's lost-device error: a DOMException-like Error named 'NetworkError', its message the plain sentence. */
function networkError(reason: UsbAccessError): Error {
  const error = new Error(reason.message, { cause: reason });
  error.name = 'NetworkError';
  return error;
}

function bulkEndpoints(device: USBDevice, interfaceNumber: number): { in: USBEndpoint; out: USBEndpoint } {
  const iface = activeConfiguration(device)?.interfaces.find((i) => i.interfaceNumber === interfaceNumber);
  const endpoints = (iface?.alternate ?? iface?.alternates[0])?.endpoints ?? [];
  const find = (direction: USBDirection) => endpoints.find((e) => e.type === 'bulk' && e.direction === direction);
  const found = { in: find('in'), out: find('out') };
  if (!found.in || !found.out)
    throw new UsbAccessError('unsupported', `interface ${interfaceNumber} has no bulk IN and OUT endpoints`);
  return { in: found.in, out: found.out };
}
