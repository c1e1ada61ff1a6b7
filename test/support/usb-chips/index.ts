/**
 * Emulated USB-serial chips for testing the WebUSB drivers phones need, without a phone: each model
 * answers at the USB-request level as its silicon does, keeps the line settings the host sets,
 * and passes bytes to its UART (a BytePipe, in tests a virtual meter) only at 1200 8N2.
 */
import { Ch34xChip } from './ch34x.ts';
import { CdcAcmDevice } from './cdc-acm.ts';
import { Cp210xChip } from './cp210x.ts';
import type { FakeUsbDevice } from './fake-usb-device.ts';
import { FtdiChip } from './ftdi.ts';
import { Pl2303Chip } from './pl2303.ts';
import { Wire, type BytePipe } from './uart.ts';

export type ChipModel = 'ft232r' | 'ft230x' | 'cp2102' | 'ch340' | 'ch341-old' | 'pl2303hx' | 'pl2303hxn' | 'cdc-acm';
export const CHIP_MODELS: readonly ChipModel[] = [
  'ft232r',
  'ft230x',
  'cp2102',
  'ch340',
  'ch341-old',
  'pl2303hx',
  'pl2303hxn',
  'cdc-acm',
];

/** The chip on the USB side; `line` is its UART, a Wire to attach a meter to unless given. */
export function createEmulatedChip(model: ChipModel, line: BytePipe = new Wire()): FakeUsbDevice {
  switch (model) {
    case 'ft232r':
    case 'ft230x':
      return new FtdiChip(model, line);
    case 'cp2102':
      return new Cp210xChip(line);
    case 'ch340':
    case 'ch341-old':
      return new Ch34xChip(model, line);
    case 'pl2303hx':
    case 'pl2303hxn':
      return new Pl2303Chip(model, line);
    case 'cdc-acm':
      return new CdcAcmDevice(line);
  }
}

export { FakeUsbDevice, type ControlRecord } from './fake-usb-device.ts';
export { FtdiChip, FTDI_STATUS } from './ftdi.ts';
export { Cp210xChip } from './cp210x.ts';
export { Ch34xChip } from './ch34x.ts';
export { Pl2303Chip } from './pl2303.ts';
export { CdcAcmDevice } from './cdc-acm.ts';
export { Wire, METER_LINE, lineMatchesMeter, describeLine, type BytePipe, type LineSettings } from './uart.ts';
export type { UsbDeviceFilterLike } from './webusb-types.ts';
export { wireToVirtualMeter, type WiredMeter } from './wire-meter.ts';
