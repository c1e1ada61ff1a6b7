/**
 * SerialPort-like drivers over WebUSB for the USB-serial chips in IR heads (FTDI, CP210x, CH34x,
 * PL2303) and CDC-ACM, for phones whose Web Serial cannot drive them. Knows USB, not KMP: the
 * link layer sees only a port. Loaded only on the WebUSB path (the UI imports it dynamically).
 */
import { driverFor, usbChooserFilters } from './chips.ts';
import { hex4 } from './driver.ts';
import { UsbAccessError, classifyUsbError } from './usb-access-error.ts';
import { UsbSerialPort } from './usb-serial-port.ts';

export type { UsbDriverId } from './driver.ts';
export { USB_SERIAL_CHIPS, driverFor, usbChooserFilters, type UsbChip } from './chips.ts';
export {
  UsbSerialPort,
  describeUsbPort,
  type UsbPortDescription,
  type UsbSerialPortOptions,
} from './usb-serial-port.ts';
export {
  USB_SENTENCES,
  UsbAccessError,
  classifyUsbError,
  usbAccessWords,
  type UsbAccessKind,
  type UsbWords,
} from './usb-access-error.ts';

/** The browser's chooser, filtered to the known chips and CDC devices. Throws UsbAccessError. */
export async function requestUsbSerialPort(usb: USB): Promise<UsbSerialPort> {
  let device: USBDevice;
  try {
    device = await usb.requestDevice({ filters: usbChooserFilters() });
  } catch (e) {
    throw classifyUsbError(e, 'pick');
  }
  const driver = driverFor(device);
  if (!driver) throw new UsbAccessError('unsupported', `${hex4(device.vendorId)}:${hex4(device.productId)}`);
  return new UsbSerialPort(device, driver);
}

/** Devices this page was already allowed to use and that we have a driver for: no chooser needed. */
export async function grantedUsbSerialPorts(usb: USB): Promise<UsbSerialPort[]> {
  const devices = await usb.getDevices();
  return devices.flatMap((device) => {
    const driver = driverFor(device);
    return driver ? [new UsbSerialPort(device, driver)] : [];
  });
}
