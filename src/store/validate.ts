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
import { fill, isWords, words, type Sentences, type Words, type WordsParam } from '../kmp/words.ts';
import { describeValueWords } from './describe-value.ts';

/**
 * Field-by-field checks of what is stored, whether the app measured it or a file brought it.
 * Each problem names the field's path and the reason, e.g.
 * `values[1].unit "MWh" is not the unit of unit code 37 (°C)`. Nothing invalid is ever saved:
 * a wrong type shows as "[object Object]", a time beyond the Date range as "Invalid Date", and
 * a unit text that contradicts its code would label a temperature as energy.
 *
 * The reasons are words (src/kmp/words.ts): clauses without a full stop, which the sentence that
 * refuses the record or the file nests (`The reading was refused: {reason}.`). The field's path
 * (`readings[3].values[1].unit`) and the file's values stay as they are; a wrongly typed value is
 * named by describe-value.ts, nested.
 */
export const CHECK_SENTENCES = {
  'store.check.time.type': '{path} must be a time in milliseconds, not {value}',
  'store.check.time.whole': '{path} {time} is not whole milliseconds since 1970',
  'store.check.time.range': '{path} {time} is not a time between 2000-01-01 and a day from now ({latest})',
  'store.check.text.type': '{path} must be text, not {value}',
  'store.check.text.long': '{path} is longer than {max} characters',
  'store.check.serial': '{path} {value} is not a meter serial number (a whole number 0 to {max})',
  'store.check.ids.type': '{path} must be a list of register ids, not {value}',
  'store.check.ids.many': '{path} has more than {max} register ids',
  'store.check.register-id': '{path} {value} is not a register id (0 to 65535)',
  'store.check.value.type': '{path} must be a register value, not {value}',
  'store.check.unit-code': '{path} {value} is not a unit code (0 to 255)',
  'store.check.unit': '{path} {value} is not the unit of unit code {code} ({unit})',
  'store.check.unit.none': '{path} {value} is not the unit of unit code {code} (none)',
  'store.check.value.number': '{path} must be a finite number, not {value}',
  'store.check.decimal': '{path} {value} is not a decimal number',
  'store.check.decimal.mismatch': '{path} "{decimal}" does not match the value {value}',
  'store.check.date-time.unit': '{path} belongs to date-times (unit {dateUnit}) only, not to unit code {code}',
  'store.check.date-time.iso': '{path} {value} is not an ISO 8601 local date-time',
  'store.check.dst': '{path} {value} is not 0 to {max} minutes',
  'store.check.date-time.bytes': '{path} "{decimal}" is not the seven bytes of a date-time',
  // `reason` is the codec's own account of the bytes.
  'store.check.date-time.decode': '{path} "{decimal}" is not a date-time: {reason}',
  'store.check.date-time.mismatch': '{path} {value} is not the date-time its decimal "{decimal}" holds',
  'store.check.values.type': '{path} must be a list of register values, not {value}',
  'store.check.values.empty': '{path} is empty: a reading has at least one value',
  'store.check.values.many': '{path} has more than {max} values',
  'store.check.values.twice': '{path} has register {id} twice',
  'store.check.reading.type': '{path} must be a reading, not {value}',
  // The same for a record checked on its own, without a path to name it by.
  'store.check.reading.type.whole': 'the reading must be a reading, not {value}',
  'store.check.scan.type': '{path} must be a register scan, not {value}',
  'store.check.meter.type': '{path} must be a meter record, not {value}',
  'store.check.meter.type.whole': 'the meter must be a meter record, not {value}',
  'store.check.last-reading.serial': "{path} {serial} is not the meter's serial {meterSerial}",
  'store.check.reply-rows.type': '{path} must be page sizes by logger and registers, not {value}',
  'store.check.reply-rows.many': '{path} must hold at most {max} page sizes',
  'store.check.reply-rows.key': '{path} is not a logger and its registers ("4:1003,1002,60")',
  'store.check.reply-rows.rows': '{path} must be a whole number of rows from 1 to 65535, not {value}',
  'store.check.history-changes.type': '{path} must be a list of at most {max} changed entries',
  'store.check.history-change.type': '{path} must be a changed entry, not {value}',
  'store.check.loggers.type': "{path} must be a list of the meter's loggers, not {value}",
  'store.check.loggers.absent': '{path} must be a list of logger types',
  'store.check.loggers.configs': '{path} must be a list of at most 16 loggers',
  'store.check.logger-config.type': '{path} must be a logger configuration, not {value}',
  'store.check.logger-config.logger': '{path} {value} is not a logger type (0 to 255)',
  'store.check.logger-config.depth': '{path} {value} is not a logger depth (0 to 65535)',
  'store.check.logger-config.header': '{path} must be at most 16 bytes',
  // `from` and `to` are dates (2000-01-01, 2099-12-31).
  'store.check.entry-time.years':
    "{path} {value} is not between {from} and {to}, the years a meter's date registers hold",
  'store.check.entry-time.348': '{path} {value} is not the time its register 348 holds ({stamp})',
  'store.check.entry-time.1003': '{path} {value} is not the time its registers 1003 and 1002 hold ({stamp})',
  'store.check.entry.type': '{path} must be a logger entry, not {value}',
  'store.check.entry.type.whole': 'the logger entry must be a logger entry, not {value}',
  // `loggers` lists the types and their names: "1 info, 2 year, …".
  'store.check.entry.logger': '{path} {value} is not a logger type whose entries are kept ({loggers})',
  'store.check.entry.id': '{path} {value} is not a logger entry id (1 to {max})',
  'store.check.entry.time': '{path} {value} is not an ISO 8601 local date-time like 2026-04-01T00:00:00',
  // `reason` is the plausibility check's account of the value (src/kmp/plausibility.ts).
  'store.check.entry.implausible': '{path} is not a value a meter can hold ({reason})',
} as const satisfies Sentences;

type Why = Words | undefined;
const why = (id: keyof typeof CHECK_SENTENCES, params: Readonly<Record<string, WordsParam>>): Words =>
  words(CHECK_SENTENCES, id, params);
/** A reason in English, as the string-returning checks give it. */
const english = (w: Why): string | undefined => (w ? fill(w) : undefined);
const shown = describeValueWords;

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
function timeProblem(path: string, t: unknown, now: number): Why {
  if (typeof t !== 'number' || !Number.isFinite(t)) return why('store.check.time.type', { path, value: shown(t) });
  if (!Number.isInteger(t)) return why('store.check.time.whole', { path, time: String(t) });
  if (t < EARLIEST_TIME || t > now + FUTURE_SLACK_MS)
    return why('store.check.time.range', {
      path,
      time: String(t),
      latest: new Date(now + FUTURE_SLACK_MS).toISOString().slice(0, 10),
    });
  return undefined;
}

function textProblem(path: string, v: unknown, max: number): Why {
  if (typeof v !== 'string') return why('store.check.text.type', { path, value: shown(v) });
  if (v.length > max) return why('store.check.text.long', { path, max });
  return undefined;
}

function serialProblem(path: string, v: unknown): Why {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_SERIAL
    ? undefined
    : why('store.check.serial', { path, value: shown(v), max: MAX_SERIAL });
}

function idsProblem(path: string, v: unknown): Why {
  if (!Array.isArray(v)) return why('store.check.ids.type', { path, value: shown(v) });
  if (v.length > MAX_IDS) return why('store.check.ids.many', { path, max: MAX_IDS });
  const i = v.findIndex((id) => !Number.isInteger(id) || id < 0 || id > 0xffff);
  return i < 0 ? undefined : why('store.check.register-id', { path: at(path, i), value: shown(v[i]) });
}

/** Why one register value is not fit to keep, or undefined if it is. */
function valueProblem(path: string, item: unknown): Why {
  if (!isGroup(item)) return why('store.check.value.type', { path, value: shown(item) });
  const v = item as Partial<Record<keyof RegisterValue, unknown>>;
  if (!Number.isInteger(v.id) || (v.id as number) < 0 || (v.id as number) > 0xffff)
    return why('store.check.register-id', { path: at(path, 'id'), value: shown(v.id) });
  if (!Number.isInteger(v.unitCode) || (v.unitCode as number) < 0 || (v.unitCode as number) > 255)
    return why('store.check.unit-code', { path: at(path, 'unitCode'), value: shown(v.unitCode) });
  const unit = unitName(v.unitCode as number);
  if (v.unit !== unit) {
    const params = {
      path: at(path, 'unit'),
      value: typeof v.unit === 'string' ? `"${v.unit.slice(0, 20)}"` : shown(v.unit),
      code: String(v.unitCode),
    };
    return unit ? why('store.check.unit', { ...params, unit }) : why('store.check.unit.none', params);
  }
  if (typeof v.value !== 'number' || !Number.isFinite(v.value))
    return why('store.check.value.number', { path: at(path, 'value'), value: shown(v.value) });
  if (typeof v.decimal !== 'string' || v.decimal.length > MAX_DECIMAL_LENGTH || !DECIMAL.test(v.decimal))
    return why('store.check.decimal', { path: at(path, 'decimal'), value: shown(v.decimal) });
  if (Number(v.decimal) !== v.value)
    return why('store.check.decimal.mismatch', {
      path: at(path, 'decimal'),
      decimal: v.decimal,
      value: String(v.value),
    });
  return dateTimeProblem(path, v);
}

/** Unit 79 only: `dateTime` and `dstMinutes` must be what its decimal's seven bytes say; no other unit has them. */
function dateTimeProblem(path: string, v: Partial<Record<keyof RegisterValue, unknown>>): Why {
  if (v.unitCode !== UNIT_DATE_TIME_DST)
    return v.dateTime === undefined && v.dstMinutes === undefined
      ? undefined
      : why('store.check.date-time.unit', {
          path: at(path, 'dateTime'),
          dateUnit: UNIT_DATE_TIME_DST,
          code: String(v.unitCode),
        });
  if (v.dateTime !== undefined && (typeof v.dateTime !== 'string' || !isIsoLocalDateTime(v.dateTime)))
    return why('store.check.date-time.iso', { path: at(path, 'dateTime'), value: shown(v.dateTime) });
  if (
    v.dstMinutes !== undefined &&
    (!Number.isInteger(v.dstMinutes) || (v.dstMinutes as number) < 0 || (v.dstMinutes as number) > MAX_DST_MINUTES)
  )
    return why('store.check.dst', { path: at(path, 'dstMinutes'), value: shown(v.dstMinutes), max: MAX_DST_MINUTES });
  let decoded;
  const decimal = String(v.decimal);
  try {
    const bytes = dateTimeDstBytes(v.decimal as string);
    if (!bytes) return why('store.check.date-time.bytes', { path: at(path, 'decimal'), decimal });
    decoded = decodeDateTimeDst(bytes);
  } catch (e) {
    if (!(e instanceof KmpError)) throw e;
    // The codec's words where it has them, else its English account.
    const own = (e as { words?: unknown }).words;
    return why('store.check.date-time.decode', {
      path: at(path, 'decimal'),
      decimal,
      reason: isWords(own) ? own : e.message,
    });
  }
  if (decoded?.dateTime !== v.dateTime || decoded?.dstMinutes !== v.dstMinutes)
    return why('store.check.date-time.mismatch', { path: at(path, 'dateTime'), value: shown(v.dateTime), decimal });
  return undefined;
}

function valuesProblem(path: string, values: unknown, allowEmpty: boolean): Why {
  if (!Array.isArray(values)) return why('store.check.values.type', { path, value: shown(values) });
  if (!allowEmpty && values.length === 0) return why('store.check.values.empty', { path });
  if (values.length > MAX_VALUES) return why('store.check.values.many', { path, max: MAX_VALUES });
  for (let i = 0; i < values.length; i++) {
    const p = valueProblem(at(path, i), values[i]);
    if (p) return p;
  }
  const ids = values.map((v) => (v as RegisterValue).id);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  return twice === undefined ? undefined : why('store.check.values.twice', { path, id: twice });
}

/**
 * Why a reading may not be stored, as words, or undefined if it may. `path` prefixes the field
 * names (`readings[3]`); `now` bounds how far in the future a time may be.
 */
export function readingProblemWords(r: unknown, now = Date.now(), path = ''): Why {
  if (!isGroup(r))
    return path
      ? why('store.check.reading.type', { path, value: shown(r) })
      : why('store.check.reading.type.whole', { value: shown(r) });
  return (
    serialProblem(at(path, 'serial'), r.serial) ??
    timeProblem(at(path, 'takenAt'), r.takenAt, now) ??
    valuesProblem(at(path, 'values'), r.values, false)
  );
}

/** readingProblemWords in English. */
export function readingProblem(r: unknown, now = Date.now(), path = ''): string | undefined {
  return english(readingProblemWords(r, now, path));
}

function scanProblemWords(s: unknown, now: number, path: string): Why {
  if (!isGroup(s)) return why('store.check.scan.type', { path, value: shown(s) });
  return (
    timeProblem(at(path, 'at'), s.at, now) ??
    valuesProblem(at(path, 'supported'), s.supported, true) ??
    idsProblem(at(path, 'unsupported'), s.unsupported) ??
    (s.stoppedEarly === undefined
      ? undefined
      : textProblem(at(path, 'stoppedEarly'), s.stoppedEarly, TEXT_LIMITS.stoppedEarly))
  );
}

export function scanProblem(s: unknown, now = Date.now(), path = ''): string | undefined {
  return english(scanProblemWords(s, now, path));
}

/** Why a meter record may not be stored, as words, or undefined if it may. */
export function meterProblemWords(m: unknown, now = Date.now(), path = ''): Why {
  if (!isGroup(m))
    return path
      ? why('store.check.meter.type', { path, value: shown(m) })
      : why('store.check.meter.type.whole', { value: shown(m) });
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
    (x.lastScan === undefined ? undefined : scanProblemWords(x.lastScan, now, at(path, 'lastScan'))) ??
    (x.loggers === undefined ? undefined : loggerListProblem(x.loggers, now, at(path, 'loggers'))) ??
    (x.historyChanges === undefined
      ? undefined
      : historyChangesProblem(x.historyChanges, now, at(path, 'historyChanges'))) ??
    (x.replyRows === undefined ? undefined : replyRowsProblem(x.replyRows, at(path, 'replyRows'))) ??
    (x.lastReading === undefined ? undefined : readingProblemWords(x.lastReading, now, at(path, 'lastReading')));
  if (found) return found;
  if (x.lastReading !== undefined && (x.lastReading as Reading).serial !== x.serial)
    return why('store.check.last-reading.serial', {
      path: at(path, 'lastReading.serial'),
      serial: String((x.lastReading as Reading).serial),
      meterSerial: String(x.serial),
    });
  return undefined;
}

/** meterProblemWords in English. */
export function meterProblem(m: unknown, now = Date.now(), path = ''): string | undefined {
  return english(meterProblemWords(m, now, path));
}

const isByte = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 0xff;

const REPLY_ROWS_KEY = /^\d{1,3}:\d{1,5}(,\d{1,5}){0,15}$/;

/** Learned page sizes: a few, keyed logger:registers, each a whole number of rows 1 to 65535. */
function replyRowsProblem(r: unknown, path: string): Why {
  if (!isGroup(r)) return why('store.check.reply-rows.type', { path, value: shown(r) });
  const entries = Object.entries(r);
  if (entries.length > MAX_REPLY_ROWS_KEYS)
    return why('store.check.reply-rows.many', { path, max: MAX_REPLY_ROWS_KEYS });
  for (const [key, rows] of entries) {
    if (!REPLY_ROWS_KEY.test(key)) return why('store.check.reply-rows.key', { path: at(path, key) });
    if (!Number.isInteger(rows) || (rows as number) < 1 || (rows as number) > 0xffff)
      return why('store.check.reply-rows.rows', { path: at(path, key), value: shown(rows) });
  }
  return undefined;
}

function historyChangesProblem(l: unknown, now: number, path: string): Why {
  if (!Array.isArray(l) || l.length > MAX_HISTORY_CHANGES)
    return why('store.check.history-changes.type', { path, max: MAX_HISTORY_CHANGES });
  for (const [i, c] of l.entries()) {
    const p = at(path, i);
    if (!isGroup(c)) return why('store.check.history-change.type', { path: p, value: shown(c) });
    const y = c as Partial<Record<keyof HistoryChangeRecord, unknown>>;
    const found =
      timeProblem(at(p, 'at'), y.at, now) ??
      loggerEntryProblemWords(y.stored, now, at(p, 'stored')) ??
      loggerEntryProblemWords(y.again, now, at(p, 'again'));
    if (found) return found;
  }
  return undefined;
}

/** Why a stored list of logger configurations is not fit to keep, or undefined if it is. */
function loggerListProblem(l: unknown, now: number, path: string): Why {
  if (!isGroup(l)) return why('store.check.loggers.type', { path, value: shown(l) });
  const x = l as Partial<Record<keyof LoggerListRecord, unknown>>;
  const found = timeProblem(at(path, 'at'), x.at, now);
  if (found) return found;
  if (!Array.isArray(x.absent) || !x.absent.every(isByte))
    return why('store.check.loggers.absent', { path: at(path, 'absent') });
  if (!Array.isArray(x.configs) || x.configs.length > 16)
    return why('store.check.loggers.configs', { path: at(path, 'configs') });
  for (const [i, c] of x.configs.entries()) {
    const p = at(at(path, 'configs'), i);
    if (!isGroup(c)) return why('store.check.logger-config.type', { path: p, value: shown(c) });
    const y = c as Partial<Record<keyof StoredLoggerConfig, unknown>>;
    if (!isByte(y.logger))
      return why('store.check.logger-config.logger', { path: at(p, 'logger'), value: shown(y.logger) });
    if (!Number.isInteger(y.depth) || (y.depth as number) < 0 || (y.depth as number) > 0xffff)
      return why('store.check.logger-config.depth', { path: at(p, 'depth'), value: shown(y.depth) });
    const ids = idsProblem(at(p, 'registers'), y.registers);
    if (ids) return ids;
    if (!Array.isArray(y.header) || y.header.length > 16 || !y.header.every(isByte))
      return why('store.check.logger-config.header', { path: at(p, 'header') });
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
function entryTimeProblem(path: string, time: string, values: readonly RegisterValue[]): Why {
  const stamp = loggerRowTime(values);
  if (time === stamp) return undefined;
  const year = Number(time.slice(0, 4));
  if (year < FIRST_ENTRY_YEAR || year > LAST_ENTRY_YEAR)
    return why('store.check.entry-time.years', {
      path,
      value: shown(time),
      from: `${FIRST_ENTRY_YEAR}-01-01`,
      to: `${LAST_ENTRY_YEAR}-12-31`,
    });
  if (stamp === undefined) return undefined;
  const by348 = loggerRowTime(values.filter((v) => v.id === REG_DATE_TIME_DST)) !== undefined;
  return why(by348 ? 'store.check.entry-time.348' : 'store.check.entry-time.1003', {
    path,
    value: shown(time),
    stamp,
  });
}

/** Why a logger entry may not be stored, as words, or undefined if it may. */
export function loggerEntryProblemWords(e: unknown, now = Date.now(), path = ''): Why {
  if (!isGroup(e))
    return path
      ? why('store.check.entry.type', { path, value: shown(e) })
      : why('store.check.entry.type.whole', { value: shown(e) });
  const x = e as Partial<Record<keyof StoredLoggerEntry, unknown>>;
  if (!ENTRY_LOGGERS.has(x.logger as number))
    return why('store.check.entry.logger', {
      path: at(path, 'logger'),
      value: shown(x.logger),
      loggers: ENTRY_LOGGER_LIST,
    });
  if (!Number.isInteger(x.id) || (x.id as number) < 1 || (x.id as number) > MAX_ENTRY_ID)
    return why('store.check.entry.id', { path: at(path, 'id'), value: shown(x.id), max: MAX_ENTRY_ID });
  if (typeof x.time !== 'string' || !isIsoLocalDateTime(x.time))
    return why('store.check.entry.time', { path: at(path, 'time'), value: shown(x.time) });
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
    if (reason) return why('store.check.entry.implausible', { path: at(at(path, 'values'), i), reason });
  }
  return entryTimeProblem(at(path, 'time'), x.time, values);
}

/** loggerEntryProblemWords in English. */
export function loggerEntryProblem(e: unknown, now = Date.now(), path = ''): string | undefined {
  return english(loggerEntryProblemWords(e, now, path));
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
