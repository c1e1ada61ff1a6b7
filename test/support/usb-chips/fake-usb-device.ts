/**
 * The device skeleton every emulated chip shares: descriptors, open/claim state, and the checks
 * Chrome's WebUSB makes before a transfer reaches the device (the error names and messages are
 * Chrome's, so a driver's error handling meets what it will meet on a phone). The chip
 * subclasses answer control transfers and move bulk data.
 */
import type {
  UsbAlternateInterfaceLike,
  UsbConfigurationLike,
  UsbControlTransferParameters,
  UsbDirection,
  UsbEndpointLike,
  UsbInTransferResultLike,
  UsbInterfaceLike,
  UsbOutTransferResultLike,
  UsbRecipient,
  UsbRequestType,
} from './webusb-types.ts';
import type { InResult } from './in-buffer.ts';
import { EmulatedUart, type BytePipe, type LineSettings } from './uart.ts';

/** One control transfer as the device saw it; the kernel sequences and the e2e line checks compare in this shape. */
export interface ControlRecord {
  dir: 'out' | 'in';
  type: 'standard' | 'class' | 'vendor';
  recipient: 'device' | 'interface' | 'endpoint' | 'other';
  request: number;
  value: number;
  index: number;
  /** OUT: the bytes sent. */
  data?: number[];
  /** IN: the length asked for. */
  length?: number;
  status: 'ok' | 'stall';
}

/** A control transfer handed to the chip, already past the browser's checks. */
export interface ControlRequest {
  dir: UsbDirection;
  type: UsbRequestType;
  recipient: UsbRecipient;
  request: number;
  value: number;
  index: number;
  /** OUT data stage (empty when none). */
  data: Uint8Array;
  /** IN: wLength. */
  length: number;
}

export type ControlOutcome = { status: 'ok'; data?: Uint8Array } | { status: 'stall' };
export const STALL: ControlOutcome = { status: 'stall' };
export const OK: ControlOutcome = { status: 'ok' };

export interface InterfaceDescriptor {
  interfaceNumber: number;
  interfaceClass: number;
  interfaceSubclass: number;
  interfaceProtocol: number;
  interfaceName?: string;
  endpoints: UsbEndpointLike[];
}

export interface DeviceDescriptor {
  vendorId: number;
  productId: number;
  deviceClass: number;
  deviceSubclass: number;
  deviceProtocol: number;
  /** bcdUSB, e.g. 0x0110 for USB 1.1. */
  bcdUsb: number;
  /** bcdDevice: the chip generation for FTDI and PL2303 drivers. */
  bcdDevice: number;
  manufacturerName?: string;
  productName?: string;
  serialNumber?: string;
  /** bMaxPacketSize0 (8 on the FT232R and CH340, 64 on the others). */
  maxPacketSize0?: number;
  /** One configuration (value 1) is all these chips have. */
  interfaces: InterfaceDescriptor[];
}

const bcdMajor = (bcd: number) => (bcd >> 8) & 0xff;
const bcdMinor = (bcd: number) => (bcd >> 4) & 0x0f;
const bcdSub = (bcd: number) => bcd & 0x0f;

function domError(name: string, message: string): DOMException {
  return new DOMException(message, name);
}

export abstract class FakeUsbDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly deviceClass: number;
  readonly deviceSubclass: number;
  readonly deviceProtocol: number;
  readonly usbVersionMajor: number;
  readonly usbVersionMinor: number;
  readonly usbVersionSubminor: number;
  readonly deviceVersionMajor: number;
  readonly deviceVersionMinor: number;
  readonly deviceVersionSubminor: number;
  readonly manufacturerName: string | undefined;
  readonly productName: string | undefined;
  readonly serialNumber: string | undefined;
  readonly configurations: UsbConfigurationLike[];

  /** The chip's UART: its line settings and the bytes to and from the meter. */
  readonly uart: EmulatedUart;
  /** Every control transfer, in order, including the stalled ones. */
  readonly controlLog: ControlRecord[] = [];
  /** 'disconnect' on unplug(), 'connect' on plugIn(); the fake navigator.usb re-dispatches them. */
  readonly events = new EventTarget();
  /** Another driver (Android's, a serial-terminal app) holds the interfaces: claimInterface fails. */
  claimBlocked = false;
  /** The head draws more than the OTG port gives: it drops off the bus this long after open(). */
  powerDropAfterOpenMs: number | undefined;

  private configured: UsbConfigurationLike | null;
  private readonly deviceDescriptor: Uint8Array;
  private isOpen = false;
  private connected = true;
  private readonly claimedInterfaces = new Set<number>();
  private readonly alternateOf = new Map<number, number>();
  private readonly halted = new Set<string>();
  private readonly pending = new Map<AbortController, number | undefined>();

  protected constructor(
    descriptor: DeviceDescriptor,
    /** The UART side, for wireToVirtualMeter. */
    readonly line: BytePipe,
  ) {
    this.uart = new EmulatedUart(line);
    this.deviceDescriptor = encodeDeviceDescriptor(descriptor);
    this.vendorId = descriptor.vendorId;
    this.productId = descriptor.productId;
    this.deviceClass = descriptor.deviceClass;
    this.deviceSubclass = descriptor.deviceSubclass;
    this.deviceProtocol = descriptor.deviceProtocol;
    this.usbVersionMajor = bcdMajor(descriptor.bcdUsb);
    this.usbVersionMinor = bcdMinor(descriptor.bcdUsb);
    this.usbVersionSubminor = bcdSub(descriptor.bcdUsb);
    this.deviceVersionMajor = bcdMajor(descriptor.bcdDevice);
    this.deviceVersionMinor = bcdMinor(descriptor.bcdDevice);
    this.deviceVersionSubminor = bcdSub(descriptor.bcdDevice);
    this.manufacturerName = descriptor.manufacturerName;
    this.productName = descriptor.productName;
    this.serialNumber = descriptor.serialNumber;
    const isClaimed = (n: number) => this.claimedInterfaces.has(n);
    const interfaces: UsbInterfaceLike[] = descriptor.interfaces.map((d) => {
      const alternate: UsbAlternateInterfaceLike = {
        alternateSetting: 0,
        interfaceClass: d.interfaceClass,
        interfaceSubclass: d.interfaceSubclass,
        interfaceProtocol: d.interfaceProtocol,
        interfaceName: d.interfaceName ?? null,
        endpoints: d.endpoints,
      };
      return {
        interfaceNumber: d.interfaceNumber,
        alternate,
        alternates: [alternate],
        get claimed() {
          return isClaimed(d.interfaceNumber);
        },
      };
    });
    this.configurations = [{ configurationValue: 1, configurationName: null, interfaces }];
    // The OS configured the device when it enumerated, so WebUSB shows configuration 1 selected.
    this.configured = this.configurations[0]!;
  }

  get opened(): boolean {
    return this.isOpen;
  }

  get configuration(): UsbConfigurationLike | null {
    return this.configured;
  }

  /** The line settings the host's control transfers have set so far. */
  get lineSettings(): LineSettings {
    return { ...this.uart.line };
  }

  /** Whether the device is on the bus (false after unplug()). */
  get attached(): boolean {
    return this.connected;
  }

  // ---- chip hooks -------------------------------------------------------------------------

  /** Answers a control transfer as the chip does: only the requests it knows, else a stall. */
  protected abstract control(request: ControlRequest): ControlOutcome;
  /** Bytes the host sent to a bulk OUT endpoint. */
  protected abstract bulkOut(endpointNumber: number, bytes: Uint8Array): void;
  /** A bulk IN transfer; stays pending until the chip has something to send. */
  protected abstract bulkIn(endpointNumber: number, length: number, signal: AbortSignal): Promise<InResult>;
  /** Interrupt IN (modem status): nothing changes on an IR head, so it never completes. */
  protected interruptIn(_endpointNumber: number, _length: number, signal: AbortSignal): Promise<InResult> {
    return new Promise((_resolve, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason as DOMException)),
    );
  }
  /** USB reset or close: the chip goes back to its power-on state where it would. */
  protected onReset(): void {}

  // ---- WebUSB ------------------------------------------------------------------------------

  async open(): Promise<void> {
    this.mustBeAttached();
    if (this.isOpen) return;
    this.isOpen = true;
    if (this.powerDropAfterOpenMs !== undefined) setTimeout(() => this.unplug(), this.powerDropAfterOpenMs);
  }

  async close(): Promise<void> {
    this.mustBeAttached();
    if (!this.isOpen) return;
    this.abortPending(() => domError('AbortError', 'The transfer was cancelled.'));
    this.claimedInterfaces.clear();
    this.isOpen = false;
  }

  async forget(): Promise<void> {
    if (this.isOpen && this.connected) await this.close();
    this.events.dispatchEvent(new Event('forget'));
  }

  async reset(): Promise<void> {
    this.mustBeOpen();
    this.abortPending(() => domError('AbortError', 'The transfer was cancelled.'));
    this.onReset();
  }

  async selectConfiguration(configurationValue: number): Promise<void> {
    this.mustBeOpen();
    const config = this.configurations.find((c) => c.configurationValue === configurationValue);
    if (!config) throw domError('NotFoundError', 'The configuration value provided is not supported by the device.');
    this.configured = config;
  }

  async claimInterface(interfaceNumber: number): Promise<void> {
    this.mustBeConfigured();
    this.findInterface(interfaceNumber);
    if (this.claimedInterfaces.has(interfaceNumber)) return;
    if (this.claimBlocked) throw domError('NetworkError', 'Unable to claim interface.');
    this.claimedInterfaces.add(interfaceNumber);
    this.alternateOf.set(interfaceNumber, 0);
  }

  async releaseInterface(interfaceNumber: number): Promise<void> {
    this.mustBeConfigured();
    this.findInterface(interfaceNumber);
    this.abortPending(() => domError('AbortError', 'The transfer was cancelled.'), interfaceNumber);
    this.claimedInterfaces.delete(interfaceNumber);
  }

  async selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
    this.mustBeConfigured();
    const iface = this.findInterface(interfaceNumber);
    if (!this.claimedInterfaces.has(interfaceNumber))
      throw domError('InvalidStateError', 'The interface is not claimed.');
    if (!iface.alternates.some((a) => a.alternateSetting === alternateSetting))
      throw domError('NotFoundError', 'The alternate setting provided is not supported by the device.');
    this.alternateOf.set(interfaceNumber, alternateSetting);
  }

  async controlTransferIn(setup: UsbControlTransferParameters, length: number): Promise<UsbInTransferResultLike> {
    const request = this.checkControl(setup, 'in', new Uint8Array(0), length);
    const outcome = request.type === 'standard' ? this.standard(request) : this.control(request);
    this.record(request, outcome);
    if (outcome.status === 'stall') return { status: 'stall' };
    const data = (outcome.data ?? new Uint8Array(0)).slice(0, length);
    return { status: 'ok', data: new DataView(data.buffer, data.byteOffset, data.byteLength) };
  }

  async controlTransferOut(
    setup: UsbControlTransferParameters,
    data?: ArrayBuffer | ArrayBufferView,
  ): Promise<UsbOutTransferResultLike> {
    const bytes = data ? bytesOf(data) : new Uint8Array(0);
    const request = this.checkControl(setup, 'out', bytes, 0);
    const outcome = request.type === 'standard' ? this.standard(request) : this.control(request);
    this.record(request, outcome);
    return outcome.status === 'stall'
      ? { status: 'stall', bytesWritten: 0 }
      : { status: 'ok', bytesWritten: bytes.length };
  }

  async transferIn(endpointNumber: number, length: number): Promise<UsbInTransferResultLike> {
    const { endpoint, interfaceNumber } = this.checkEndpoint(endpointNumber, 'in');
    if (this.halted.has(`in${endpointNumber}`)) return { status: 'stall' };
    const controller = new AbortController();
    this.pending.set(controller, interfaceNumber);
    try {
      const aborted = new Promise<never>((_resolve, reject) =>
        controller.signal.addEventListener('abort', () => reject(controller.signal.reason as DOMException)),
      );
      const transfer =
        endpoint.type === 'interrupt'
          ? this.interruptIn(endpointNumber, length, controller.signal)
          : this.bulkIn(endpointNumber, length, controller.signal);
      const result = await Promise.race([transfer, aborted]);
      return {
        status: result.status,
        data: new DataView(result.data.buffer, result.data.byteOffset, result.data.byteLength),
      };
    } finally {
      this.pending.delete(controller);
    }
  }

  async transferOut(endpointNumber: number, data: ArrayBuffer | ArrayBufferView): Promise<UsbOutTransferResultLike> {
    this.checkEndpoint(endpointNumber, 'out');
    if (this.halted.has(`out${endpointNumber}`)) return { status: 'stall', bytesWritten: 0 };
    const bytes = bytesOf(data);
    this.bulkOut(endpointNumber, bytes);
    return { status: 'ok', bytesWritten: bytes.length };
  }

  async clearHalt(direction: UsbDirection, endpointNumber: number): Promise<void> {
    this.checkEndpoint(endpointNumber, direction);
    this.halted.delete(`${direction}${endpointNumber}`);
  }

  async isochronousTransferIn(): Promise<never> {
    throw domError('NotSupportedError', 'These chips have no isochronous endpoints.');
  }

  async isochronousTransferOut(): Promise<never> {
    throw domError('NotSupportedError', 'These chips have no isochronous endpoints.');
  }

  // ---- test controls -----------------------------------------------------------------------

  /** The cable is pulled: pending and later calls fail with NotFoundError, as Chrome reports. */
  unplug(): void {
    if (!this.connected) return;
    this.connected = false;
    this.abortPending(() => domError('NotFoundError', 'The device was disconnected.'));
    this.isOpen = false;
    this.claimedInterfaces.clear();
    this.events.dispatchEvent(new Event('disconnect'));
  }

  plugIn(): void {
    if (this.connected) return;
    this.connected = true;
    this.onReset();
    this.events.dispatchEvent(new Event('connect'));
  }

  /** Makes the endpoint answer 'stall' until clearHalt(), to test a driver's recovery. */
  haltEndpoint(direction: UsbDirection, endpointNumber: number): void {
    this.halted.add(`${direction}${endpointNumber}`);
  }

  // ---- checks ------------------------------------------------------------------------------

  private mustBeAttached(): void {
    if (!this.connected) throw domError('NotFoundError', 'The device was disconnected.');
  }

  private mustBeOpen(): void {
    this.mustBeAttached();
    if (!this.isOpen) throw domError('InvalidStateError', 'The device must be opened first.');
  }

  private mustBeConfigured(): void {
    this.mustBeOpen();
    if (!this.configured) throw domError('InvalidStateError', 'The device must have a configuration selected.');
  }

  private findInterface(interfaceNumber: number): UsbInterfaceLike {
    const iface = this.configured?.interfaces.find((i) => i.interfaceNumber === interfaceNumber);
    if (!iface)
      throw domError(
        'NotFoundError',
        'The interface number provided is not supported by the device in its current configuration.',
      );
    return iface;
  }

  private checkControl(
    setup: UsbControlTransferParameters,
    dir: UsbDirection,
    data: Uint8Array,
    length: number,
  ): ControlRequest {
    this.mustBeConfigured();
    // Chrome only lets a page address an interface (or its endpoints) that it has claimed.
    if (setup.recipient === 'interface') {
      const n = setup.index & 0xff;
      this.findInterface(n);
      if (!this.claimedInterfaces.has(n))
        throw domError('InvalidStateError', 'The specified interface has not been claimed.');
    }
    if (setup.recipient === 'endpoint') {
      const epDir: UsbDirection = setup.index & 0x80 ? 'in' : 'out';
      this.checkEndpoint(setup.index & 0x0f, epDir);
    }
    return {
      dir,
      type: setup.requestType,
      recipient: setup.recipient,
      request: setup.request & 0xff,
      value: setup.value & 0xffff,
      index: setup.index & 0xffff,
      data,
      length,
    };
  }

  private checkEndpoint(
    endpointNumber: number,
    direction: UsbDirection,
  ): { endpoint: UsbEndpointLike; interfaceNumber: number } {
    this.mustBeConfigured();
    for (const iface of this.configured!.interfaces) {
      if (!this.claimedInterfaces.has(iface.interfaceNumber)) continue;
      const alt = iface.alternates.find(
        (a) => a.alternateSetting === (this.alternateOf.get(iface.interfaceNumber) ?? 0),
      );
      const endpoint = alt?.endpoints.find((e) => e.endpointNumber === endpointNumber && e.direction === direction);
      if (endpoint) return { endpoint, interfaceNumber: iface.interfaceNumber };
    }
    throw domError(
      'NotFoundError',
      'The specified endpoint is not part of a claimed and selected alternate interface.',
    );
  }

  private abortPending(reason: () => DOMException, interfaceNumber?: number): void {
    for (const [controller, owner] of this.pending) {
      if (interfaceNumber !== undefined && owner !== interfaceNumber) continue;
      this.pending.delete(controller);
      controller.abort(reason());
    }
  }

  /**
   * The standard requests (USB 2.0 §9.4) a driver may send through WebUSB: GET_STATUS and
   * GET_DESCRIPTOR(DEVICE) — drivers read bMaxPacketSize0 there, which WebUSB does not expose
   * (pl2303_detect_type uses it). Others stall here.
   */
  private standard(request: ControlRequest): ControlOutcome {
    if (request.dir !== 'in' || request.recipient !== 'device') return STALL;
    if (request.request === 0x00) return { status: 'ok', data: Uint8Array.of(0, 0) }; // bus-powered, no wakeup
    if (request.request === 0x06 && request.value === 0x0100)
      return { status: 'ok', data: this.deviceDescriptor.slice() };
    return STALL;
  }

  private record(request: ControlRequest, outcome: ControlOutcome): void {
    this.controlLog.push({
      dir: request.dir,
      type: request.type,
      recipient: request.recipient,
      request: request.request,
      value: request.value,
      index: request.index,
      ...(request.dir === 'out' ? { data: [...request.data] } : { length: request.length }),
      status: outcome.status,
    });
  }
}

function bytesOf(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
  return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

/** The 18-byte standard device descriptor (USB 2.0 §9.6.1); string indices 1-3 when present. */
function encodeDeviceDescriptor(d: DeviceDescriptor): Uint8Array {
  return Uint8Array.of(
    18,
    1,
    ...le16(d.bcdUsb),
    d.deviceClass,
    d.deviceSubclass,
    d.deviceProtocol,
    d.maxPacketSize0 ?? 64,
    ...le16(d.vendorId),
    ...le16(d.productId),
    ...le16(d.bcdDevice),
    d.manufacturerName ? 1 : 0,
    d.productName ? 2 : 0,
    d.serialNumber ? 3 : 0,
    1,
  );
}

/** Little-endian helpers for the data stages. */
export const le16 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff);
export const le32 = (n: number) => Uint8Array.of(n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff);
export const readLe32 = (b: Uint8Array, at = 0) =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
