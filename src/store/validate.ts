import type { Reading, RegisterValue } from '../kmp/index.ts';
import type { MeterRecord, ScanRecord } from './schema.ts';

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Why a reading may not be stored, or undefined if it may. Nothing invalid is ever saved:
 * a value whose exact decimal and number disagree would show one thing and publish another.
 */
export function readingProblem(r: unknown): string | undefined {
  if (typeof r !== 'object' || r === null) return 'is not an object';
  const x = r as Partial<Reading>;
  if (!Number.isInteger(x.serial) || x.serial! < 0) return 'has no valid meter serial number';
  if (typeof x.takenAt !== 'number' || !Number.isFinite(x.takenAt) || x.takenAt <= 0) return 'has no valid time';
  if (!Array.isArray(x.values) || x.values.length === 0) return 'has no values';
  return valuesProblem(x.values);
}

/** Why a list of register values is not fit to keep, or undefined if it is. */
function valuesProblem(values: readonly unknown[]): string | undefined {
  for (const item of values) {
    if (typeof item !== 'object' || item === null) return 'has a value that is not an object';
    const v = item as Partial<RegisterValue>;
    if (!Number.isInteger(v.id) || v.id! < 0 || v.id! > 0xffff)
      return `has a register id that is not 0..65535 (${String(v.id)})`;
    if (!Number.isInteger(v.unitCode) || v.unitCode! < 0 || v.unitCode! > 255)
      return `register ${v.id}: unit code is not 0..255`;
    if (typeof v.unit !== 'string') return `register ${v.id}: unit is not text`;
    if (typeof v.value !== 'number' || !Number.isFinite(v.value)) return `register ${v.id}: value is not a number`;
    if (typeof v.decimal !== 'string' || !DECIMAL.test(v.decimal))
      return `register ${v.id}: decimal "${String(v.decimal)}" is not a decimal number`;
    if (Number(v.decimal) !== v.value) return `register ${v.id}: value ${v.value} does not match decimal ${v.decimal}`;
  }
  if (new Set(values.map((v) => (v as RegisterValue).id)).size !== values.length) return 'has the same register twice';
  return undefined;
}

export function meterProblem(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) return 'is not an object';
  const x = m as Partial<MeterRecord>;
  if (!Number.isInteger(x.serial) || x.serial! < 0) return 'has no valid serial number';
  for (const key of ['supportedRegisters', 'unsupportedRegisters'] as const) {
    const list = x[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((id) => !Number.isInteger(id))))
      return `${key} is not a list of register ids`;
  }
  if (x.lastReading !== undefined) {
    const p = readingProblem(x.lastReading);
    if (p) return `last reading ${p}`;
  }
  if (x.lastScan !== undefined) {
    const p = scanProblem(x.lastScan);
    if (p) return `last scan ${p}`;
  }
  return undefined;
}

function scanProblem(s: unknown): string | undefined {
  if (typeof s !== 'object' || s === null) return 'is not an object';
  const x = s as Partial<ScanRecord>;
  if (typeof x.at !== 'number' || !Number.isFinite(x.at) || x.at <= 0) return 'has no valid time';
  if (!Array.isArray(x.supported)) return 'has no list of registers that answered';
  const p = valuesProblem(x.supported);
  if (p) return p;
  if (!Array.isArray(x.unsupported) || x.unsupported.some((id) => !Number.isInteger(id)))
    return 'unsupported is not a list of register ids';
  if (x.stoppedEarly !== undefined && typeof x.stoppedEarly !== 'string') return 'stoppedEarly is not text';
  return undefined;
}
