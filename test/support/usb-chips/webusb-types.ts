/**
 * The WebUSB shapes the emulated chips implement, under the names the emulator uses: the very
 * declarations the drivers compile against (src/usb/webusb-types.d.ts, from the WebUSB spec's
 * IDL, https://wicg.github.io/webusb/), so a FakeUsbDevice is structurally a USBDevice.
 */
export type UsbDirection = USBDirection;
export type UsbEndpointType = USBEndpointType;
export type UsbRequestType = USBRequestType;
export type UsbRecipient = USBRecipient;
export type UsbTransferStatus = USBTransferStatus;
export type UsbControlTransferParameters = USBControlTransferParameters;
export type UsbEndpointLike = USBEndpoint;
export type UsbAlternateInterfaceLike = USBAlternateInterface;
export type UsbInterfaceLike = USBInterface;
export type UsbConfigurationLike = USBConfiguration;
export type UsbInTransferResultLike = USBInTransferResult;
export type UsbOutTransferResultLike = USBOutTransferResult;
export type UsbDeviceFilterLike = USBDeviceFilter;
