import {
  decodeInfoCode,
  formatDateTimeValue,
  implausibleReason,
  partitionPlausible,
  registerById,
  type Reading,
  type RegisterValue,
} from '../kmp/index.ts';

/** The key a value is published under: the catalogue's key (the seed's name where it has one). */
export function valueKey(id: number): string {
  return registerById(id)?.key ?? `register${id}`;
}

/**
 * The reference project's `<base>/values` payload: its parameter names → numbers, plus the
 * reading's `timestamp` (ms since the epoch) so consumers can drop a reading sent twice.
 * Undefined when the reading has none of the seed's parameters: an empty `{}` is never sent.
 * A value no meter can produce (`implausibleReason`) is left out: consumers of this topic take
 * every number as a measurement. The state payload says what was left out and why.
 */
export function seedValuesPayload(reading: Reading): string | undefined {
  const out: Record<string, number> = {};
  for (const v of reading.values) {
    const seedName = registerById(v.id)?.seedName;
    if (seedName && implausibleReason(v) === undefined) out[seedName] = v.value;
  }
  if (Object.keys(out).length === 0) return undefined;
  out.timestamp = reading.takenAt;
  return JSON.stringify(out);
}

export interface StateValue {
  register: number;
  value: number;
  /** The exact decimal the meter sent: no binary rounding. */
  decimal: string;
  unit: string;
  unitCode: number;
  /** Dates and times as text (2026-11-25, 13:45:00). */
  text?: string;
}

export interface StatePayload {
  serial: number;
  /** ISO 8601, UTC. */
  timestamp: string;
  /** The same instant in ms since the epoch. */
  takenAt: number;
  model?: string;
  registers: Record<string, StateValue>;
  /** The info code in words, when the reading has one. */
  infoCodeText?: string;
  /**
   * Values the meter sent that no meter can produce (outside their register's physical range):
   * left out of `registers`, listed here by key with the exact decimal and why. Absent when none.
   */
  implausible?: Record<string, ImplausibleValue>;
}

export interface ImplausibleValue {
  register: number;
  decimal: string;
  unit: string;
  reason: string;
}

function stateValue(v: RegisterValue): StateValue {
  const text = formatDateTimeValue(v.unitCode, v.decimal);
  return {
    register: v.id,
    value: v.value,
    decimal: v.decimal,
    unit: v.unit,
    unitCode: v.unitCode,
    ...(text ? { text } : {}),
  };
}

/** The per-meter `<base>/<serial>/state` payload. */
export function statePayload(reading: Reading, model?: string): StatePayload {
  const { plausible, implausible } = partitionPlausible(reading.values);
  const registers: Record<string, StateValue> = {};
  for (const v of plausible) registers[valueKey(v.id)] = stateValue(v);
  const rejected: Record<string, ImplausibleValue> = {};
  for (const { value: v, reason } of implausible)
    rejected[valueKey(v.id)] = { register: v.id, decimal: v.decimal, unit: v.unit, reason };
  const info = plausible.find((v) => v.id === 0x63);
  let infoCodeText: string | undefined;
  if (info) {
    try {
      infoCodeText = decodeInfoCode(info.value, model).summary;
    } catch {
      infoCodeText = undefined;
    }
  }
  return {
    serial: reading.serial,
    timestamp: new Date(reading.takenAt).toISOString(),
    takenAt: reading.takenAt,
    ...(model ? { model } : {}),
    registers,
    ...(infoCodeText ? { infoCodeText } : {}),
    ...(implausible.length > 0 ? { implausible: rejected } : {}),
  };
}

export interface ReadProblem {
  /** The failure class: no-answer, echo-only, bad-crc, cut-off, unexpected, disconnected. */
  kind: string;
  message: string;
  advice?: string;
  at: number;
}

/** The `<base>/<serial>/error` payload: what went wrong and what to do, with the time. */
export function errorPayload(p: ReadProblem): string {
  return JSON.stringify({
    timestamp: new Date(p.at).toISOString(),
    takenAt: p.at,
    kind: p.kind,
    message: p.message,
    ...(p.advice ? { advice: p.advice } : {}),
  });
}
