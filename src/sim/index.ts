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
export type { LoggerSpec, SimLoggerEntry } from './meter-loggers.ts';
export { DEFAULT_LOGGER_REPLY_BYTES } from './logger-protocol.ts';
