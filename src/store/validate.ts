import type { Reading } from '../kmp/index.ts';
import type { MeterRecord } from './schema.ts';

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
  for (const v of x.values) {
    if (typeof v !== 'object' || v === null) return 'has a value that is not an object';
    if (!Number.isInteger(v.id) || v.id < 0 || v.id > 0xffff) return `has a register id that is not 0..65535 (${String(v.id)})`;
    if (!Number.isInteger(v.unitCode) || v.unitCode < 0 || v.unitCode > 255) return `register ${v.id}: unit code is not 0..255`;
    if (typeof v.unit !== 'string') return `register ${v.id}: unit is not text`;
    if (typeof v.value !== 'number' || !Number.isFinite(v.value)) return `register ${v.id}: value is not a number`;
    if (typeof v.decimal !== 'string' || !DECIMAL.test(v.decimal)) return `register ${v.id}: decimal "${String(v.decimal)}" is not a decimal number`;
    if (Number(v.decimal) !== v.value) return `register ${v.id}: value ${v.value} does not match decimal ${v.decimal}`;
  }
  if (new Set(x.values.map((v) => v.id)).size !== x.values.length) return 'has the same register twice';
  return undefined;
}

export function meterProblem(m: unknown): string | undefined {
  if (typeof m !== 'object' || m === null) return 'is not an object';
  const x = m as Partial<MeterRecord>;
  if (!Number.isInteger(x.serial) || x.serial! < 0) return 'has no valid serial number';
  for (const key of ['supportedRegisters', 'unsupportedRegisters'] as const) {
    const list = x[key];
    if (list !== undefined && (!Array.isArray(list) || list.some((id) => !Number.isInteger(id)))) return `${key} is not a list of register ids`;
  }
  if (x.lastReading !== undefined) {
    const p = readingProblem(x.lastReading);
    if (p) return `last reading ${p}`;
  }
  return undefined;
}
