/**
 * What the generic port (usb-serial-port.ts) and the chip drivers share: line settings, a control
 * channel that turns a non-'ok' status into an error, and the shape of a driver.
 */

export type UsbDriverId = 'ftdi' | 'cp210x' | 'ch34x' | 'pl2303' | 'cdc-acm';

export interface LineSettings {
  baudRate: number;
  dataBits: 7 | 8;
  stopBits: 1 | 2;
  parity: 'none' | 'even' | 'odd';
}

/**
 * One control transfer refused by the chip (a stall): the request or its values are not what it takes.
 * Shaped as the kmp layer's Problem (usb may not import it): kind 'refused', the transfer's status as detail.
 */
export class ControlTransferError extends Error {
  override readonly name = 'ControlTransferError';
  readonly kind = 'refused';
  readonly detail: string;
  constructor(
    readonly setup: USBControlTransferParameters,
    readonly status: USBTransferStatus | 'short',
  ) {
    super(
      `${setup.requestType} request 0x${setup.request.toString(16)} (value 0x${setup.value.toString(16)}, index 0x${setup.index.toString(16)}) ended with ${status}`,
    );
    this.detail = status;
  }
}

/** Control transfers on endpoint 0, each checked: drivers read as a list of requests. */
export class ControlChannel {
  constructor(private readonly device: USBDevice) {}

  async out(
    requestType: USBRequestType,
    recipient: USBRecipient,
    request: number,
    value: number,
    index: number,
    data?: Uint8Array<ArrayBuffer>,
  ): Promise<void> {
    const setup = { requestType, recipient, request, value, index };
    const result = await this.device.controlTransferOut(setup, data);
    if (result.status !== 'ok') throw new ControlTransferError(setup, result.status);
  }

  /** An IN transfer of `length` bytes; fewer bytes than asked is an error too (as usb_control_msg_recv). */
  async in(
    requestType: USBRequestType,
    recipient: USBRecipient,
    request: number,
    value: number,
    index: number,
    length: number,
  ): Promise<Uint8Array> {
    const setup = { requestType, recipient, request, value, index };
    const result = await this.device.controlTransferIn(setup, length);
    if (result.status !== 'ok') throw new ControlTransferError(setup, result.status);
    const data = result.data;
    if (!data || data.byteLength < length) throw new ControlTransferError(setup, 'short');
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
}

/** Which interfaces a driver claims, and which one carries the bulk data endpoints. */
export interface DriverInterfaces {
  claim: number[];
  data: number;
}

export interface DriverContext {
  device: USBDevice;
  control: ControlChannel;
  interfaces: DriverInterfaces;
  endpoints: { in: USBEndpoint; out: USBEndpoint };
  line: LineSettings;
  /** The chip's name from the id table ('WCH CH340'), for drivers that add what they find. */
  name: string;
}

/** A driver after it set the chip up: what it found out, and how it reads and tears down. */
export interface OpenedDriver {
  /** The chip as found, generation included ('FTDI FT232R', 'WCH CH340 (version 0x31)'); default: the id table's name. */
  chip?: string;
  /** The data bytes of one IN transfer (FTDI strips its status bytes); default: all of them. */
  unwrap?(transfer: Uint8Array, packetSize: number): Uint8Array;
  /** Control transfers that leave the chip quiet before the interfaces are released. */
  close(): Promise<void>;
}

export interface UsbSerialDriver {
  readonly id: UsbDriverId;
  /** Throws UsbAccessError('unsupported') when the device lacks what the driver needs. */
  interfaces(device: USBDevice): DriverInterfaces;
  open(context: DriverContext): Promise<OpenedDriver>;
}

/** The configuration to look at: the active one, or the first before one is selected. */
export function activeConfiguration(device: USBDevice): USBConfiguration | undefined {
  return device.configuration ?? device.configurations[0];
}

/** A BCD version from WebUSB's three parts: 0x0600 for major 6, minor 0, subminor 0. */
export function bcd(major: number, minor: number, subminor: number): number {
  return (major << 8) | (minor << 4) | subminor;
}

/** Little-endian 32-bit, as the CDC line coding, PL2303's line request and CP210x's baud rate want. */
export function le32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

export const hex4 = (n: number): string => n.toString(16).padStart(4, '0');
