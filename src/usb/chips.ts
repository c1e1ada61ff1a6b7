/**
 * The USB-serial chips found in IR heads, by vendor:product id, each with its driver. Ids as in
 * the Linux kernel's id tables: ftdi_sio_ids.h (FTDI_8U232AM_PID 6001, FTDI_8U2232C_PID 6010,
 * FTDI_4232H_PID 6011, FTDI_232H_PID 6014, FTDI_FTX_PID 6015), cp210x.c id_table (EA60, EA70,
 * EA71), ch341.c id_table (5523, 7522, 7523) and pl2303.h (PL2303_PRODUCT_ID 2303 and the HXN
 * PL2303_PRODUCT_ID_GC/GB/GT/GL/GE/GS 23A3…23F3). CDC-ACM devices are found by their interfaces.
 */
import { findCdcInterfaces } from './cdc-acm.ts';
import type { UsbDriverId } from './driver.ts';

export interface UsbChip {
  vendorId: number;
  productId: number;
  driver: UsbDriverId;
  /** The name before the driver has looked closer: 'FTDI FT232R'. */
  name: string;
}

const chip = (vendorId: number, productId: number, driver: UsbDriverId, name: string): UsbChip => ({
  vendorId,
  productId,
  driver,
  name,
});

export const USB_SERIAL_CHIPS: readonly UsbChip[] = [
  chip(0x0403, 0x6001, 'ftdi', 'FTDI FT232R'),
  chip(0x0403, 0x6015, 'ftdi', 'FTDI FT230X/FT231X/FT234XD'),
  chip(0x0403, 0x6010, 'ftdi', 'FTDI FT2232'),
  chip(0x0403, 0x6011, 'ftdi', 'FTDI FT4232H'),
  chip(0x0403, 0x6014, 'ftdi', 'FTDI FT232H'),
  chip(0x10c4, 0xea60, 'cp210x', 'Silicon Labs CP2102/CP2109'),
  chip(0x10c4, 0xea70, 'cp210x', 'Silicon Labs CP2105'),
  chip(0x10c4, 0xea71, 'cp210x', 'Silicon Labs CP2108'),
  chip(0x1a86, 0x7523, 'ch34x', 'WCH CH340'),
  chip(0x1a86, 0x5523, 'ch34x', 'WCH CH341'),
  chip(0x1a86, 0x7522, 'ch34x', 'WCH CH340K'),
  chip(0x067b, 0x2303, 'pl2303', 'Prolific PL2303'),
  chip(0x067b, 0x23a3, 'pl2303', 'Prolific PL2303GC'),
  chip(0x067b, 0x23b3, 'pl2303', 'Prolific PL2303GB'),
  chip(0x067b, 0x23c3, 'pl2303', 'Prolific PL2303GT'),
  chip(0x067b, 0x23d3, 'pl2303', 'Prolific PL2303GL'),
  chip(0x067b, 0x23e3, 'pl2303', 'Prolific PL2303GE'),
  chip(0x067b, 0x23f3, 'pl2303', 'Prolific PL2303GS'),
];

/** USB class code of CDC communication devices, for the chooser. */
const CDC_CLASS = 0x02;

/** The chooser's filters: every known chip, and any device with a CDC interface. */
export function usbChooserFilters(): USBDeviceFilter[] {
  return [...USB_SERIAL_CHIPS.map(({ vendorId, productId }) => ({ vendorId, productId })), { classCode: CDC_CLASS }];
}

export function chipOf(device: Pick<USBDevice, 'vendorId' | 'productId'>): UsbChip | undefined {
  return USB_SERIAL_CHIPS.find((c) => c.vendorId === device.vendorId && c.productId === device.productId);
}

/** The driver for a device: by its ids first, else CDC-ACM when it has the CDC interfaces. */
export function driverFor(device: USBDevice): UsbDriverId | undefined {
  const known = chipOf(device);
  if (known) return known.driver;
  return findCdcInterfaces(device.configuration ?? device.configurations[0]) ? 'cdc-acm' : undefined;
}
