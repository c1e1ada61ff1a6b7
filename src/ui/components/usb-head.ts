/**
 * The WebUSB path of the Connect button, loaded only when it is taken (a phone), so the drivers
 * never weigh on the first screen of a computer. Turns our USB-serial ports into what the
 * connect panel hands the session: a port, a label and the path/driver/chip for diagnostics.
 */
import type { OpenablePort, PortInfo } from '../../link/index.ts';
import { describeUsbPort, grantedUsbSerialPorts, requestUsbSerialPort, type UsbSerialPort } from '../../usb/index.ts';

export interface UsbHead {
  port: OpenablePort;
  label: string;
  /** Asked again after opening: the driver knows the chip's generation only then. */
  info: () => PortInfo;
}

function headOf(port: UsbSerialPort): UsbHead {
  return {
    port,
    label: describeUsbPort(port.description),
    info: () => {
      const d = port.description;
      return { path: 'WebUSB', driver: d.driver, chip: d.chip, usbVendorId: d.vendorId, usbProductId: d.productId };
    },
  };
}

/** Shows the browser's USB chooser, filtered to the chips we drive; throws a UsbAccessError in words. */
export async function pickUsbHead(usb: USB): Promise<UsbHead> {
  return headOf(await requestUsbSerialPort(usb));
}

/** Heads this site was allowed before, that we have a driver for. */
export async function grantedUsbHeads(usb: USB): Promise<UsbHead[]> {
  return (await grantedUsbSerialPorts(usb)).map(headOf);
}
