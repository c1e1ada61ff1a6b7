/**
 * The WebUSB shapes the emulated chips implement. Neither TypeScript's DOM lib nor a package in
 * node_modules declares WebUSB, and src/usb/ may add its own global declarations: these are
 * module-scoped (no globals) so the two can never clash, and they follow the WebUSB spec's
 * IDL (https://wicg.github.io/webusb/) so a FakeUsbDevice is structurally a USBDevice.
 */
export type UsbDirection = 'in' | 'out';
export type UsbEndpointType = 'bulk' | 'interrupt' | 'isochronous';
export type UsbRequestType = 'standard' | 'class' | 'vendor';
export type UsbRecipient = 'device' | 'interface' | 'endpoint' | 'other';
export type UsbTransferStatus = 'ok' | 'stall' | 'babble';

export interface UsbControlTransferParameters {
  requestType: UsbRequestType;
  recipient: UsbRecipient;
  request: number;
  value: number;
  index: number;
}

export interface UsbEndpointLike {
  readonly endpointNumber: number;
  readonly direction: UsbDirection;
  readonly type: UsbEndpointType;
  readonly packetSize: number;
}

export interface UsbAlternateInterfaceLike {
  readonly alternateSetting: number;
  readonly interfaceClass: number;
  readonly interfaceSubclass: number;
  readonly interfaceProtocol: number;
  readonly interfaceName: string | null;
  readonly endpoints: readonly UsbEndpointLike[];
}

export interface UsbInterfaceLike {
  readonly interfaceNumber: number;
  readonly alternate: UsbAlternateInterfaceLike;
  readonly alternates: readonly UsbAlternateInterfaceLike[];
  readonly claimed: boolean;
}

export interface UsbConfigurationLike {
  readonly configurationValue: number;
  readonly configurationName: string | null;
  readonly interfaces: readonly UsbInterfaceLike[];
}

export interface UsbInTransferResultLike {
  readonly status: UsbTransferStatus;
  readonly data?: DataView;
}

export interface UsbOutTransferResultLike {
  readonly status: UsbTransferStatus;
  readonly bytesWritten: number;
}

export interface UsbDeviceFilterLike {
  vendorId?: number;
  productId?: number;
  classCode?: number;
  subclassCode?: number;
  protocolCode?: number;
  serialNumber?: string;
}
