import type { Reading } from '../kmp/index.ts';
import type { MeterRecord, StoredLoggerEntry } from './schema.ts';

export const EXPORT_FORMAT = 'kmp-web-export';
export const EXPORT_SCHEMA_VERSION = 1;

/** A versioned envelope: what a restore needs, and nothing that depends on this browser. */
export interface ExportFile {
  format: typeof EXPORT_FORMAT;
  schemaVersion: typeof EXPORT_SCHEMA_VERSION;
  exportedAt: string;
  appVersion?: string;
  meters: MeterRecord[];
  readings: Reading[];
  /** The meters' own logger entries; absent in files of versions before loggers (still schema 1: an addition). */
  loggerEntries?: StoredLoggerEntry[];
}

export function buildExport(
  meters: MeterRecord[],
  readings: Reading[],
  appVersion?: string,
  loggerEntries?: readonly StoredLoggerEntry[],
): ExportFile {
  return {
    format: EXPORT_FORMAT,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: new Date().toISOString(),
    ...(appVersion ? { appVersion } : {}),
    meters,
    readings: readings.map((r) => ({ serial: r.serial, takenAt: r.takenAt, values: r.values })),
    ...(loggerEntries?.length
      ? {
          loggerEntries: loggerEntries.map((e) => ({
            serial: e.serial,
            logger: e.logger,
            id: e.id,
            time: e.time,
            values: e.values,
            readAt: e.readAt,
          })),
        }
      : {}),
  };
}
