import type { Reading } from '../kmp/index.ts';
import type { MeterRecord } from './schema.ts';

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
}

export function buildExport(meters: MeterRecord[], readings: Reading[], appVersion?: string): ExportFile {
  return {
    format: EXPORT_FORMAT,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: new Date().toISOString(),
    ...(appVersion ? { appVersion } : {}),
    meters,
    readings: readings.map((r) => ({ serial: r.serial, takenAt: r.takenAt, values: r.values })),
  };
}
