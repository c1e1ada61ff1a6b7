/**
 * A recording fake of WebUSB's USBDevice for the driver tests: it records every control
 * transfer and every call, answers IN control transfers through a hook, queues bulk IN packets,
 * and can be unplugged. Deliberately dumb (no chip behaviour): the tests state what the chip
 * answers, so a test reads as "the chip says X, the driver must send Y".
 */

export interface ControlCall {
  dir: 'in' | 'out';
  requestType: USBRequestType;
  recipient: USBRecipient;
  request: number;
  value: number;
  index: number;
  data?: number[];
  length?: number;
}

export interface FakeEndpoint {
  endpointNumber: number;
  direction: USBDirection;
  type?: USBEndpointType;
  packetSize?: number;
}

export interface FakeInterface {
  interfaceNumber: number;
  interfaceClass?: number;
  interfaceSubclass?: number;
  endpoints: FakeEndpoint[];
}

export interface FakeDeviceOptions {
  vendorId: number;
  productId: number;
  deviceClass?: number;
  /** bcdUSB as three parts, default 2.0.0. */
  usbVersion?: [number, number, number];
  /** bcdDevice as three parts, default 6.0.0. */
  deviceVersion?: [number, number, number];
  interfaces?: FakeInterface[];
  productName?: string;
}

/** One interface with bulk IN 1 / OUT 2, as most single-port chips have. */
export const ONE_PORT: FakeInterface[] = [
  {
    interfaceNumber: 0,
    interfaceClass: 0xff,
    endpoints: [
      { endpointNumber: 1, direction: 'in', packetSize: 64 },
      { endpointNumber: 2, direction: 'out', packetSize: 64 },
    ],
  },
];

type InResult = { status: USBTransferStatus; data?: number[] };

const dom = (name: string, message: string) => new DOMException(message, name);

export class RecordingUsbDevice implements USBDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly deviceClass: number;
  readonly deviceSubclass = 0;
  readonly deviceProtocol = 0;
  readonly usbVersionMajor: number;
  readonly usbVersionMinor: number;
  readonly usbVersionSubminor: number;
  readonly deviceVersionMajor: number;
  readonly deviceVersionMinor: number;
  readonly deviceVersionSubminor: number;
  readonly productName?: string;
  readonly manufacturerName = 'Test';
  readonly serialNumber = 'T1';
  readonly configurations: USBConfiguration[];
  configuration: USBConfiguration | null = null;
  opened = false;

  /** Every control transfer, in order. */
  readonly controlLog: ControlCall[] = [];
  /** Every other call: 'open', 'selectConfiguration(1)', 'claimInterface(0)', 'clearHalt(in,1)', … */
  readonly calls: string[] = [];
  /** Bytes the host wrote to the bulk OUT endpoint. */
  readonly written: number[] = [];
  /** Answers IN control transfers; default: `length` zero bytes. */
  onControlIn: (call: ControlCall) => InResult = (c) => ({
    status: 'ok',
    data: new Array<number>(c.length ?? 0).fill(0),
  });
  /** Status of OUT control transfers; default 'ok'. */
  onControlOut: (call: ControlCall) => USBTransferStatus = () => 'ok';
  /** Called with each OUT bulk transfer; returns its status (default 'ok'). */
  onWrite: (bytes: Uint8Array) => USBTransferStatus = () => 'ok';
  /** Errors to throw from a method, once each: `failures.claimInterface = new DOMException(…)`. */
  readonly failures: Partial<Record<'open' | 'claimInterface' | 'controlTransferOut' | 'controlTransferIn', Error>> =
    {};
  /** Sizes asked for by transferIn, for the packet-size check. */
  readonly inLengths: number[] = [];

  private inQueue: InResult[] = [];
  private waiting: { resolve: (r: USBInTransferResult) => void; reject: (e: Error) => void } | undefined;
  private gone = false;

  constructor(options: FakeDeviceOptions) {
    this.vendorId = options.vendorId;
    this.productId = options.productId;
    this.deviceClass = options.deviceClass ?? 0;
    [this.usbVersionMajor, this.usbVersionMinor, this.usbVersionSubminor] = options.usbVersion ?? [2, 0, 0];
    [this.deviceVersionMajor, this.deviceVersionMinor, this.deviceVersionSubminor] = options.deviceVersion ?? [6, 0, 0];
    this.productName = options.productName;
    const interfaces: USBInterface[] = (options.interfaces ?? ONE_PORT).map((i) => {
      const alternate: USBAlternateInterface = {
        alternateSetting: 0,
        interfaceClass: i.interfaceClass ?? 0xff,
        interfaceSubclass: i.interfaceSubclass ?? 0,
        interfaceProtocol: 0,
        endpoints: i.endpoints.map((e) => ({ type: 'bulk', packetSize: 64, ...e })),
      };
      return { interfaceNumber: i.interfaceNumber, alternate, alternates: [alternate], claimed: false };
    });
    this.configurations = [{ configurationValue: 1, interfaces }];
  }

  /** Queues one IN transfer result (one packet, or several for a multi-packet transfer). */
  pushIn(bytes: ArrayLike<number>, status: USBTransferStatus = 'ok'): void {
    const result = { status, data: Array.from(bytes) };
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve(toInResult(result));
    } else this.inQueue.push(result);
  }

  /** The cable is pulled: pending and later transfers fail with NotFoundError, as in Chrome. */
  unplug(): void {
    this.gone = true;
    this.opened = false;
    this.rejectWaiting(dom('NotFoundError', 'The device was disconnected.'));
  }

  /** Control OUT calls only, as compact tuples for exact comparisons. */
  outCalls(): ControlCall[] {
    return this.controlLog.filter((c) => c.dir === 'out');
  }

  private check(method: keyof RecordingUsbDevice['failures']): void {
    if (this.gone) throw dom('NotFoundError', 'The device was disconnected.');
    const failure = this.failures[method];
    if (failure) {
      delete this.failures[method];
      throw failure;
    }
  }

  private rejectWaiting(error: Error): void {
    const w = this.waiting;
    this.waiting = undefined;
    w?.reject(error);
  }

  async open(): Promise<void> {
    this.calls.push('open');
    this.check('open');
    this.opened = true;
  }
  async close(): Promise<void> {
    this.calls.push('close');
    if (this.gone) throw dom('NotFoundError', 'The device was disconnected.');
    this.rejectWaiting(dom('AbortError', 'The transfer was cancelled.'));
    this.opened = false;
  }
  async selectConfiguration(value: number): Promise<void> {
    this.calls.push(`selectConfiguration(${value})`);
    this.configuration = this.configurations.find((c) => c.configurationValue === value) ?? null;
  }
  async claimInterface(n: number): Promise<void> {
    this.calls.push(`claimInterface(${n})`);
    this.check('claimInterface');
  }
  async releaseInterface(n: number): Promise<void> {
    this.calls.push(`releaseInterface(${n})`);
    if (this.gone) throw dom('NotFoundError', 'The device was disconnected.');
    this.rejectWaiting(dom('AbortError', 'The transfer was cancelled.'));
  }
  async selectAlternateInterface(n: number, alt: number): Promise<void> {
    this.calls.push(`selectAlternateInterface(${n},${alt})`);
  }
  async controlTransferIn(setup: USBControlTransferParameters, length: number): Promise<USBInTransferResult> {
    const call: ControlCall = { dir: 'in', ...setup, length };
    this.controlLog.push(call);
    this.check('controlTransferIn');
    return toInResult(this.onControlIn(call));
  }
  async controlTransferOut(setup: USBControlTransferParameters, data?: BufferSource): Promise<USBOutTransferResult> {
    const call: ControlCall = { dir: 'out', ...setup };
    if (data) call.data = Array.from(bytesOf(data));
    this.controlLog.push(call);
    this.check('controlTransferOut');
    const status = this.onControlOut(call);
    return { status, bytesWritten: status === 'ok' ? (call.data?.length ?? 0) : 0 };
  }
  async clearHalt(direction: USBDirection, endpoint: number): Promise<void> {
    this.calls.push(`clearHalt(${direction},${endpoint})`);
    if (this.gone) throw dom('NotFoundError', 'The device was disconnected.');
  }
  transferIn(endpoint: number, length: number): Promise<USBInTransferResult> {
    this.calls.push(`transferIn(${endpoint})`);
    this.inLengths.push(length);
    if (this.gone) return Promise.reject(dom('NotFoundError', 'The device was disconnected.'));
    const next = this.inQueue.shift();
    if (next) return Promise.resolve(toInResult(next));
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }
  async transferOut(endpoint: number, data: BufferSource): Promise<USBOutTransferResult> {
    if (this.gone) throw dom('NotFoundError', 'The device was disconnected.');
    const bytes = bytesOf(data);
    const status = this.onWrite(bytes);
    if (status === 'ok') this.written.push(...bytes);
    void endpoint;
    return { status, bytesWritten: status === 'ok' ? bytes.length : 0 };
  }
  async reset(): Promise<void> {
    this.calls.push('reset');
  }
}

function bytesOf(data: BufferSource): Uint8Array {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice()
    : new Uint8Array(data).slice();
}

function toInResult(r: InResult): USBInTransferResult {
  return r.data ? { status: r.status, data: new DataView(Uint8Array.from(r.data).buffer) } : { status: r.status };
}

/** A control OUT as the tests write the expected ones. */
export function out(
  requestType: USBRequestType,
  recipient: USBRecipient,
  request: number,
  value: number,
  index: number,
  data?: number[],
): ControlCall {
  return data
    ? { dir: 'out', requestType, recipient, request, value, index, data }
    : { dir: 'out', requestType, recipient, request, value, index };
}

/** A control IN as the tests write the expected ones. */
export function inn(
  requestType: USBRequestType,
  recipient: USBRecipient,
  request: number,
  value: number,
  index: number,
  length: number,
): ControlCall {
  return { dir: 'in', requestType, recipient, request, value, index, length };
}

/** KMP's line, as MeterSession opens a port. */
export const KMP_OPEN: SerialOptions = { baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none', bufferSize: 4096 };
