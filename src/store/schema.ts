import type { DBSchema } from 'idb';
import type { Reading, RegisterValue } from '../kmp/index.ts';
import type { OutboxItem } from './outbox-types.ts';

/** One logger's configuration as the meter sent it (src/kmp/logger.ts LoggerConfig). */
export interface StoredLoggerConfig {
  logger: number;
  depth: number;
  registers: number[];
  header: number[];
}

export interface LoggerListRecord {
  at: number;
  configs: StoredLoggerConfig[];
  /** Types the meter did not answer for. */
  absent: number[];
}

/** Changed entries kept with a meter: at most this many, the newest. */
export const MAX_HISTORY_CHANGES = 20;

/** Register sets a meter record keeps a learned page size for (each logger choice is one). */
export const MAX_REPLY_ROWS_KEYS = 32;

/** The key of a learned page size: the logger type, then the registers asked, in order ("4:1003,1002,60"). */
export function replyRowsKey(logger: number, registers: readonly number[]): string {
  return `${logger}:${registers.join(',')}`;
}

export interface HistoryChangeRecord {
  at: number;
  /** The entry as stored, and as the meter gave it again. */
  stored: StoredLoggerEntry;
  again: StoredLoggerEntry;
}

/** What we remember about a meter, keyed by its serial number. */
export interface MeterRecord {
  serial: number;
  model?: string;
  typeHex?: string;
  softwareRevision?: string;
  /**
   * Ids found by a register scan, as stored before lastScan kept the whole scan: still valid in
   * older data and exports; new scans write lastScan only.
   */
  supportedRegisters?: number[];
  unsupportedRegisters?: number[];
  /** The last register scan in full (units and values too), to show again and to share. */
  lastScan?: ScanRecord;
  /** The meter's loggers as it described them (0xB8 sub 05), read once and kept. */
  loggers?: LoggerListRecord;
  /** Entries the meter later gave otherwise than when they were downloaded (src/app/history-check.ts), newest last. */
  historyChanges?: HistoryChangeRecord[];
  /**
   * Rows one logger reply of this meter held, where it held fewer than asked, by logger and
   * register set (replyRowsKey): the next download pages by it from the first request.
   */
  replyRows?: Record<string, number>;
  lastReading?: Reading;
  lastSeen?: number;
  label?: string;
}

export interface ScanRecord {
  /** When the scan finished, ms since the epoch. */
  at: number;
  /** What answered, with the unit and value the meter sent. */
  supported: RegisterValue[];
  /** Asked for and left out of the reply: not on this meter. */
  unsupported: number[];
  /** Why the scan ended before its candidate list did, if it did. */
  stoppedEarly?: string;
}

/** A reading as the store gives it back. */
export type StoredReading = Reading;

/** One reading inside its hour's record: the meter's serial and the hour are the record's. */
export interface HourReading {
  takenAt: number;
  values: RegisterValue[];
}

/**
 * One meter's readings of one hour, oldest first, each time once (see reading-hours.ts): the
 * record the store keeps readings in, keyed [serial, hour].
 */
export interface ReadingHour {
  serial: number;
  /** Start of the hour, ms since the epoch. */
  hour: number;
  readings: HourReading[];
}

export interface StoredFrame {
  id?: number;
  at: number;
  dir: 'tx' | 'rx';
  kind: string;
  hex: string;
  crcOk?: boolean;
  decoded: string;
  /** Milliseconds from our request to the end of this reply. */
  replyMs?: number;
}

/**
 * One hour of one meter's readings, boiled down to each register's minimum and maximum per
 * unit: the history chart draws long ranges from these instead of walking every reading.
 */
export interface HourRollup {
  serial: number;
  /** Start of the hour, ms since the epoch. */
  hour: number;
  /** Readings in the hour, and the first and last of their times. */
  n: number;
  first: number;
  last: number;
  /** Keyed `${id}/${unitCode}`: a register reported in two units in one hour has two entries. */
  values: Record<string, RollupValue>;
}

export interface RollupValue {
  id: number;
  unitCode: number;
  unit: string;
  min: number;
  max: number;
}

/**
 * One entry of a meter's own logger (CID 0xB8), kept apart from the readings this app takes:
 * keyed by meter, logger and entry id, so a repeated download adds only what is new.
 */
export interface StoredLoggerEntry {
  serial: number;
  /** Logger type: 1 info, 2 year, 3 month, 4 day, 5 hour (kmp LOGGER_TYPE). */
  logger: number;
  /** The meter's entry id: from 1 upwards, newest highest. */
  id: number;
  /** ISO 8601 local date-time as the meter shows it ("2026-04-01T00:00:00"): the meter keeps no time zone. */
  time: string;
  values: RegisterValue[];
  /** When it was downloaded, ms since the epoch. */
  readAt: number;
}

export const DB_VERSION = 6;

/**
 * Version history, never edited once shipped:
 * 1: meters, readings (by-meter-time), settings. Register values carried no unit text.
 * 2: frames and outbox stores, readings by-time, and every stored value gains its unit text.
 * 3: hourly min/max rollups per meter, built from the readings already stored.
 * 4: rollups keyed by register and unit (rebuilt); readings unique per meter and time (repeats
 *    removed, keeping the first stored), so no restore, however started, can store one twice;
 *    the unused by-time index dropped (it cost every write).
 * 5: loggerEntries, the meter's own logger entries, keyed [serial, logger, id], by time per logger.
 * 6: readings kept per meter and hour (readingHours, keyed [serial, hour]) instead of one record
 *    each: every reading moved over unchanged, the rollups rebuilt beside them, `readings` dropped.
 */
export interface KmpDb extends DBSchema {
  meters: { key: number; value: MeterRecord };
  readingHours: { key: [number, number]; value: ReadingHour };
  settings: { key: string; value: unknown };
  frames: { key: number; value: StoredFrame };
  outbox: { key: number; value: OutboxItem };
  hourly: { key: [number, number]; value: HourRollup };
  loggerEntries: {
    key: [number, number, number];
    value: StoredLoggerEntry;
    indexes: { 'by-logger-time': [number, number, string] };
  };
}
