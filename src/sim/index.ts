/** The virtual meter: a SerialPort-like object that answers like a Kamstrup MULTICAL. */
export {
  createVirtualMeter,
  type VirtualMeter,
  type VirtualMeterOptions,
  type FaultOptions,
  type OneShotFault,
} from './virtual-meter.ts';
export { VirtualSerialPort, type PortOpenOptions } from './virtual-serial-port.ts';
export type { MeterModel, EnergyUnit } from './meter-state.ts';
