import {
  KmpError,
  LOGGER_TYPE,
  MAX_DST_MINUTES,
  REG_DATE_TIME_DST,
  UNIT_DATE_TIME_DST,
  dateTimeDstBytes,
  decodeDateTimeDst,
  implausibleReason,
  isIsoLocalDateTime,
  loggerRowTime,
  unitName,
  type Reading,
  type RegisterValue,
} from '../kmp/index.ts';
import { MAX_HISTORY_CHANGES, MAX_REPLY_ROWS_KEYS } from './schema.ts';
import type {
  HistoryChangeRecord,
  LoggerListRecord,
  MeterRecord,
  ScanRecord,
  StoredLoggerConfig,
  StoredLoggerEntry,
} from './schema.ts';
import { describeValue } from './describe-value.ts';

/**
 * Field-by-field checks of what is stored, whether the app measured it or a file brought it.
 * Each problem names the field's path and the reason, e.g.
 * `values[1].unit "MWh" is not the unit of unit code 37 (°C)`. Nothing invalid is ever saved:
 * a wrong type shows as "[object Object]", a time beyond the Date range as "Invalid Date", and
 * a unit text that contradicts its code would label a temperature as energy.
 */

const DECIMAL = /^-?\d+(\.\d+)?$/;
/** Readings before 2000 are not from a KMP meter read by this app: a clock or a file is wrong. */
export const EARLIEST_TIME = Date.UTC(2000, 0, 1);
/** Clocks drift and time zones confuse; more than a day ahead is a wrong clock, not a reading. */
export const FUTURE_SLACK_MS = 24 * 3_600_000;
const MAX_SERIAL = 0xffff_ffff;
const MAX_VALUES = 1024;
const MAX_IDS = 0x10000;

/** Text fields and how long they may sensibly be. */
const TEXT_LIMITS = { model: 64, typeHex: 32, softwareRevision: 32, label: 200, stoppedEarly: 500 } as const;

/**
 * The longest decimal text the codec can hand over: any finite double written out in full
 * (about 1.8e308: 309 digits, a sign and a point). Longer is not a meter's number.
 */
const MAX_DECIMAL_LENGTH = 320;

const at = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `t` is not a time we keep, or undefined. */
function timeProblem(path: string, t: unknown, now: number): string | undefined {
  if (typeof t !== 'number' || !Number.isFinite(t))
    return `${path} must be a time in milliseconds, not ${describeValue(t)}`;
  if (!Number.isInteger(t)) return `${path} ${t} is not whole milliseconds since 1970`;
  if (t < EARLIEST_TIME || t > now + FUTURE_SLACK_MS)
    return `${path} ${t} is not a time between 2000-01-01 and a day from now (${new Date(now + FUTURE_SLACK_MS).toISOString().slice(0, 10)})`;
  return undefined;
}

function textProblem(path: string, v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return `${path} must be text, not ${describeValue(v)}`;
  if (v.length > max) return `${path} is longer than ${max} characters`;
  return undefined;
}

function serialProblem(path: string, v: unknown): string | undefined {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_SERIAL
    ? undefined
    : `${path} ${describeValue(v)} is not a meter serial number (a whole number 0 to ${MAX_SERIAL})`;
}

function idsProblem(path: string, v: unknown): string | undefined {
  if (!Array.isArray(v)) return `${path} must be a list of register ids, not ${describeValue(v)}`;
  if (v.length > MAX_IDS) return `${path} has more than ${MAX_IDS} register ids`;
  const i = v.findIndex((id) => !Number.isInteger(id) || id < 0 || id > 0xffff);
  return i < 0 ? undefined : `${at(path, i)} ${describeValue(v[i])} is not a register id (0 to 65535)`;
}

/** Why one register value is not fit to keep, or undefined if it is. */
function valueProblem(path: string, item: unknown): string | undefined {
  if (!isGroup(item)) return `${path} must be a register value, not ${describeValue(item)}`;
  const v = item as Partial<Record<keyof RegisterValue, unknown>>;
  if (!Number.isInteger(v.id) || (v.id as number) < 0 || (v.id as number) > 0xffff)
    return `${at(path, 'id')} ${describeValue(v.id)} is not a register id (0 to 65535)`;
  if (!Number.isInteger(v.unitCode) || (v.unitCode as number) < 0 || (v.unitCode as number) > 255)
    return `${at(path, 'unitCode')} ${describeValue(v.unitCode)} is not a unit code (0 to 255)`;
  const unit = unitName(v.unitCode as number);
  if (v.unit !== unit)
    return `${at(path, 'unit')} ${typeof v.unit === 'string' ? `"${v.unit.slice(0, 20)}"` : describeValue(v.unit)} is not the unit of unit code ${String(v.unitCode)} (${unit || 'none'})`;
  if (typeof v.value !== 'number' || !Number.isFinite(v.value))
    return `${at(path, 'value')} must be a finite number, not ${describeValue(v.value)}`;
  if (typeof v.decimal !== 'string' || v.decimal.length > MAX_DECIMAL_LENGTH || !DECIMAL.test(v.decimal))
    return `${at(path, 'decimal')} ${describeValue(v.decimal)} is not a decimal number`;
  if (Number(v.decimal) !== v.value) return `${at(path, 'decimal')} "${v.decimal}" does not match the value ${v.value}`;
  return dateTimeProblem(path, v);
}

/** Unit 79 only: `dateTime` and `dstMinutes` must be what its decimal's seven bytes say; no other unit has them. */
function dateTimeProblem(path: string, v: Partial<Record<keyof RegisterValue, unknown>>): string | undefined {
  if (v.unitCode !== UNIT_DATE_TIME_DST)
    return v.dateTime === undefined && v.dstMinutes === undefined
      ? undefined
      : `${at(path, 'dateTime')} belongs to date-times (unit ${UNIT_DATE_TIME_DST}) only, not to unit code ${String(v.unitCode)}`;
  if (v.dateTime !== undefined && (typeof v.dateTime !== 'string' || !isIsoLocalDateTime(v.dateTime)))
    return `${at(path, 'dateTime')} ${describeValue(v.dateTime)} is not an ISO 8601 local date-time`;
  if (
    v.dstMinutes !== undefined &&
    (!Number.isInteger(v.dstMinutes) || (v.dstMinutes as number) < 0 || (v.dstMinutes as number) > MAX_DST_MINUTES)
  )
    return `${at(path, 'dstMinutes')} ${describeValue(v.dstMinutes)} is not 0 to ${MAX_DST_MINUTES} minutes`;
  let decoded;
  try {
    const bytes = dateTimeDstBytes(v.decimal as string);
    if (!bytes) return `${at(path, 'decimal')} "${String(v.decimal)}" is not the seven bytes of a date-time`;
    decoded = decodeDateTimeDst(bytes);
  } catch (e) {
    if (!(e instanceof KmpError)) throw e;
    return `${at(path, 'decimal')} "${String(v.decimal)}" is not a date-time: ${e.message}`;
  }
  if (decoded?.dateTime !== v.dateTime || decoded?.dstMinutes !== v.dstMinutes)
    return `${at(path, 'dateTime')} ${describeValue(v.dateTime)} is not the date-time its decimal "${String(v.decimal)}" holds`;
  return undefined;
}

function valuesProblem(path: string, values: unknown, allowEmpty: boolean): string | undefined {
  if (!Array.isArray(values)) return `${path} must be a list of register values, not ${describeValue(values)}`;
  if (!allowEmpty && values.length === 0) return `${path} is empty: a reading has at least one value`;
  if (values.length > MAX_VALUES) return `${path} has more than ${MAX_VALUES} values`;
  for (let i = 0; i < values.length; i++) {
    const p = valueProblem(at(path, i), values[i]);
    if (p) return p;
  }
  const ids = values.map((v) => (v as RegisterValue).id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  return twice === undefined ? undefined : `${path} has register ${twice} twice`;
}

/**
 * Why a reading may not be stored, or undefined if it may. `path` prefixes the field names
 * (`readings[3]`); `now` bounds how far in the future a time may be.
 */
export function readingProblem(r: unknown, now = Date.now(), path = ''): string | undefined {
  if (!isGroup(r)) return `${path || 'the reading'} must be a reading, not ${describeValue(r)}`;
  return (
    serialProblem(at(path, 'serial'), r.serial) ??
    timeProblem(at(path, 'takenAt'), r.takenAt, now) ??
    valuesProblem(at(path, 'values'), r.values, false)
  );
}

export function scanProblem(s: unknown, now = Date.now(), path = ''): string | undefined {
  if (!isGroup(s)) return `${path} must be a register scan, not ${describeValue(s)}`;
  return (
    timeProblem(at(path, 'at'), s.at, now) ??
    valuesProblem(at(path, 'supported'), s.supported, true) ??
    idsProblem(at(path, 'unsupported'), s.unsupported) ??
    (s.stoppedEarly === undefined
      ? undefined
      : textProblem(at(path, 'stoppedEarly'), s.stoppedEarly, TEXT_LIMITS.stoppedEarly))
  );
}

/** Why a meter record may not be stored, or undefined if it may. */
export function meterProblem(m: unknown, now = Date.now(), path = ''): string | undefined {
  if (!isGroup(m)) return `${path || 'the meter'} must be a meter record, not ${describeValue(m)}`;
  const x = m as Partial<Record<keyof MeterRecord, unknown>>;
  const found =
    serialProblem(at(path, 'serial'), x.serial) ??
    (['model', 'typeHex', 'softwareRevision', 'label'] as const)
      .map((k) => (x[k] === undefined ? undefined : textProblem(at(path, k), x[k], TEXT_LIMITS[k])))
      .find(Boolean) ??
    (['supportedRegisters', 'unsupportedRegisters'] as const)
      .map((k) => (x[k] === undefined ? undefined : idsProblem(at(path, k), x[k])))
      .find(Boolean) ??
    (x.lastSeen === undefined ? undefined : timeProblem(at(path, 'lastSeen'), x.lastSeen, now)) ??
    (x.lastScan === undefined ? undefined : scanProblem(x.lastScan, now, at(path, 'lastScan'))) ??
    (x.loggers === undefined ? undefined : loggerListProblem(x.loggers, now, at(path, 'loggers'))) ??
    (x.historyChanges === undefined
      ? undefined
      : historyChangesProblem(x.historyChanges, now, at(path, 'historyChanges'))) ??
    (x.replyRows === undefined ? undefined : replyRowsProblem(x.replyRows, at(path, 'replyRows'))) ??
    (x.lastReading === undefined ? undefined : readingProblem(x.lastReading, now, at(path, 'lastReading')));
  if (found) return found;
  if (x.lastReading !== undefined && (x.lastReading as Reading).serial !== x.serial)
    return `${at(path, 'lastReading.serial')} ${(x.lastReading as Reading).serial} is not the meter's serial ${String(x.serial)}`;
  return undefined;
}

const isByte = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xff;

const REPLY_ROWS_KEY = /^\d{1,3}:\d{1,5}(,\d{1,5}){0,15}$/;

/** Learned page sizes: a few, keyed logger:registers, each a whole number of rows 1 to 65535. */
function replyRowsProblem(r: unknown, path: string): string | undefined {
  if (!isGroup(r)) return `${path} must be page sizes by logger and registers, not ${describeValue(r)}`;
  const entries = Object.entries(r);
  if (entries.length > MAX_REPLY_ROWS_KEYS) return `${path} must hold at most ${MAX_REPLY_ROWS_KEYS} page sizes`;
  for (const [key, rows] of entries) {
    if (!REPLY_ROWS_KEY.test(key)) return `${at(path, key)} is not a logger and its registers ("4:1003,1002,60")`;
    if (!Number.isInteger(rows) || (rows as number) < 1 || (rows as number) > 0xffff)
      return `${at(path, key)} must be a whole number of rows from 1 to 65535, not ${describeValue(rows)}`;
  }
  return undefined;
}

function historyChangesProblem(l: unknown, now: number, path: string): string | undefined {
  if (!Array.isArray(l) || l.length > MAX_HISTORY_CHANGES)
    return `${path} must be a list of at most ${MAX_HISTORY_CHANGES} changed entries`;
  for (const [i, c] of l.entries()) {
    const p = at(path, i);
    if (!isGroup(c)) return `${p} must be a changed entry, not ${describeValue(c)}`;
    const y = c as Partial<Record<keyof HistoryChangeRecord, unknown>>;
    const found =
      timeProblem(at(p, 'at'), y.at, now) ??
      loggerEntryProblem(y.stored, now, at(p, 'stored')) ??
      loggerEntryProblem(y.again, now, at(p, 'again'));
    if (found) return found;
  }
  return undefined;
}

/** Why a stored list of logger configurations is not fit to keep, or undefined if it is. */
function loggerListProblem(l: unknown, now: number, path: string): string | undefined {
  if (!isGroup(l)) return `${path} must be a list of the meter's loggers, not ${describeValue(l)}`;
  const x = l as Partial<Record<keyof LoggerListRecord, unknown>>;
  const found = timeProblem(at(path, 'at'), x.at, now);
  if (found) return found;
  if (!Array.isArray(x.absent) || !x.absent.every(isByte))
    return `${at(path, 'absent')} must be a list of logger types`;
  if (!Array.isArray(x.configs) || x.configs.length > 16)
    return `${at(path, 'configs')} must be a list of at most 16 loggers`;
  for (const [i, c] of x.configs.entries()) {
    const p = at(at(path, 'configs'), i);
    if (!isGroup(c)) return `${p} must be a logger configuration, not ${describeValue(c)}`;
    const y = c as Partial<Record<keyof StoredLoggerConfig, unknown>>;
    if (!isByte(y.logger)) return `${at(p, 'logger')} ${describeValue(y.logger)} is not a logger type (0 to 255)`;
    if (!Number.isInteger(y.depth) || (y.depth as number) < 0 || (y.depth as number) > 0xffff)
      return `${at(p, 'depth')} ${describeValue(y.depth)} is not a logger depth (0 to 65535)`;
    const ids = idsProblem(at(p, 'registers'), y.registers);
    if (ids) return ids;
    if (!Array.isArray(y.header) || y.header.length > 16 || !y.header.every(isByte))
      return `${at(p, 'header')} must be at most 16 bytes`;
  }
  return undefined;
}

/** A checked value with only the fields we know: nothing unchecked rides along into the database. */
export function cleanValue(v: RegisterValue): RegisterValue {
  const out: RegisterValue = { id: v.id, unitCode: v.unitCode, unit: v.unit, value: v.value, decimal: v.decimal };
  if (v.dateTime !== undefined) out.dateTime = v.dateTime;
  if (v.dstMinutes !== undefined) out.dstMinutes = v.dstMinutes;
  return out;
}

/** The largest entry id the protocol carries. */
const MAX_ENTRY_ID = 0xffff_ffff;

/**
 * The loggers that keep entries (src/kmp/logger.ts LOGGER_TYPE): info, year, month, day, hour and
 * the 603's two minute loggers. Type 0 is the configuration and 8 and 9 are firmware logs: no
 * download of this app stores their entries, and the Meter history page never shows or deletes
 * them, so an entry of any other type would sit in the database out of reach.
 */
const ENTRY_LOGGERS: ReadonlyMap<number, string> = new Map(
  (['info', 'year', 'month', 'day', 'hour', 'minute1', 'minute2'] as const).map((k) => [LOGGER_TYPE[k], k]),
);
const ENTRY_LOGGER_LIST = [...ENTRY_LOGGERS].map(([t, k]) => `${t} ${k}`).join(', ');

/**
 * The years an entry's time may fall in: the meters' date registers (1003, and 348's year byte)
 * carry two digits, read as 2000 to 2099 (src/kmp/logger-time.ts, src/kmp/date-time-dst.ts).
 */
const FIRST_ENTRY_YEAR = 2000;
const LAST_ENTRY_YEAR = 2099;

/**
 * Why an entry's `time` is not the one its own values stamp it with, or undefined. The stamp is
 * loggerRowTime's (src/kmp/logger-time.ts), the very function the downloads (src/link/logger-reader.ts,
 * src/link/module-log-reader.ts) stamp entries with, so what the app stores always agrees. An
 * entry with no time register has nothing to agree with and only needs a time in the meters'
 * years; one with a stamp needs that stamp alone, which may be 2100-01-01 when 348's daylight
 * saving minutes carry the last night of 2099 past midnight.
 */
function entryTimeProblem(path: string, time: string, values: readonly RegisterValue[]): string | undefined {
  const stamp = loggerRowTime(values);
  if (time === stamp) return undefined;
  const year = Number(time.slice(0, 4));
  if (year < FIRST_ENTRY_YEAR || year > LAST_ENTRY_YEAR)
    return `${path} ${describeValue(time)} is not between ${FIRST_ENTRY_YEAR}-01-01 and ${LAST_ENTRY_YEAR}-12-31, the years a meter's date registers hold`;
  if (stamp === undefined) return undefined;
  const by348 = loggerRowTime(values.filter((v) => v.id === REG_DATE_TIME_DST)) !== undefined;
  return `${path} ${describeValue(time)} is not the time its ${by348 ? 'register 348 holds' : 'registers 1003 and 1002 hold'} (${stamp})`;
}

/** Why a logger entry may not be stored, or undefined if it may. */
export function loggerEntryProblem(e: unknown, now = Date.now(), path = ''): string | undefined {
  if (!isGroup(e)) return `${path || 'the logger entry'} must be a logger entry, not ${describeValue(e)}`;
  const x = e as Partial<Record<keyof StoredLoggerEntry, unknown>>;
  if (!ENTRY_LOGGERS.has(x.logger as number))
    return `${at(path, 'logger')} ${describeValue(x.logger)} is not a logger type whose entries are kept (${ENTRY_LOGGER_LIST})`;
  if (!Number.isInteger(x.id) || (x.id as number) < 1 || (x.id as number) > MAX_ENTRY_ID)
    return `${at(path, 'id')} ${describeValue(x.id)} is not a logger entry id (1 to ${MAX_ENTRY_ID})`;
  if (typeof x.time !== 'string' || !isIsoLocalDateTime(x.time))
    return `${at(path, 'time')} ${describeValue(x.time)} is not an ISO 8601 local date-time like 2026-04-01T00:00:00`;
  const found =
    serialProblem(at(path, 'serial'), x.serial) ??
    timeProblem(at(path, 'readAt'), x.readAt, now) ??
    valuesProblem(at(path, 'values'), x.values, false);
  if (found) return found;
  const values = x.values as RegisterValue[];
  // Readings keep such a value, flagged on the Meter page and left out of charts and MQTT; an
  // entry's values feed the history bars and CSV directly, so one that no meter can hold is refused.
  for (const [i, v] of values.entries()) {
    const reason = implausibleReason(v);
    if (reason) return `${at(at(path, 'values'), i)} is not a value a meter can hold (${reason})`;
  }
  return entryTimeProblem(at(path, 'time'), x.time, values);
}

export function cleanLoggerEntry(e: StoredLoggerEntry): StoredLoggerEntry {
  return {
    serial: e.serial,
    logger: e.logger,
    id: e.id,
    time: e.time,
    values: e.values.map(cleanValue),
    readAt: e.readAt,
  };
}

export function cleanReading(r: Reading): Reading {
  return { serial: r.serial, takenAt: r.takenAt, values: r.values.map(cleanValue) };
}

export function cleanMeter(m: MeterRecord): MeterRecord {
  const out: MeterRecord = { serial: m.serial };
  if (m.model !== undefined) out.model = m.model;
  if (m.typeHex !== undefined) out.typeHex = m.typeHex;
  if (m.softwareRevision !== undefined) out.softwareRevision = m.softwareRevision;
  if (m.label !== undefined) out.label = m.label;
  if (m.supportedRegisters !== undefined) out.supportedRegisters = [...m.supportedRegisters];
  if (m.unsupportedRegisters !== undefined) out.unsupportedRegisters = [...m.unsupportedRegisters];
  if (m.lastSeen !== undefined) out.lastSeen = m.lastSeen;
  if (m.lastReading !== undefined) out.lastReading = cleanReading(m.lastReading);
  if (m.lastScan !== undefined) out.lastScan = cleanScan(m.lastScan);
  if (m.replyRows !== undefined) out.replyRows = { ...m.replyRows };
  if (m.historyChanges !== undefined)
    out.historyChanges = m.historyChanges.map((c) => ({
      at: c.at,
      stored: cleanLoggerEntry(c.stored),
      again: cleanLoggerEntry(c.again),
    }));
  if (m.loggers !== undefined)
    out.loggers = {
      at: m.loggers.at,
      absent: [...m.loggers.absent],
      configs: m.loggers.configs.map((c) => ({
        logger: c.logger,
        depth: c.depth,
        registers: [...c.registers],
        header: [...c.header],
      })),
    };
  return out;
}

function cleanScan(s: ScanRecord): ScanRecord {
  return {
    at: s.at,
    supported: s.supported.map(cleanValue),
    unsupported: [...s.unsupported],
    ...(s.stoppedEarly !== undefined ? { stoppedEarly: s.stoppedEarly } : {}),
  };
}
