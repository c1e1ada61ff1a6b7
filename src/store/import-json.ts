import { EXPORT_FORMAT, EXPORT_SCHEMA_VERSION, type ExportFile } from './export-json.ts';
import type { KmpStore } from './kmp-store.ts';
import type { RestoreOptions, RestoreResult } from './restore.ts';
import { StoreError } from './store-error.ts';
import {
  cleanLoggerEntry,
  cleanMeter,
  cleanReading,
  loggerEntryProblem,
  meterProblem,
  readingProblem,
} from './validate.ts';

/** Checks a whole export file; throws StoreError 'invalid' naming the first problem and where it is. */
export function parseExport(text: string): ExportFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new StoreError('invalid', `The file is not JSON: ${e instanceof Error ? e.message : String(e)}.`);
  }
  const f = data as Partial<ExportFile>;
  if (typeof f !== 'object' || f === null || f.format !== EXPORT_FORMAT)
    throw new StoreError('invalid', 'The file is not a kmp-web export (its "format" is missing or different).');
  if (f.schemaVersion !== EXPORT_SCHEMA_VERSION)
    throw new StoreError(
      'invalid',
      `The export has schema version ${String(f.schemaVersion)}; this app reads version ${EXPORT_SCHEMA_VERSION}.`,
    );
  if (!Array.isArray(f.meters) || !Array.isArray(f.readings))
    throw new StoreError('invalid', 'The export has no "meters" and "readings" lists.');
  if (f.exportedAt !== undefined && typeof f.exportedAt !== 'string')
    throw new StoreError('invalid', 'exportedAt must be text.');
  if (f.appVersion !== undefined && (typeof f.appVersion !== 'string' || f.appVersion.length > 64))
    throw new StoreError('invalid', 'appVersion must be text of at most 64 characters.');
  // One clock for the whole file, so a reading is not accepted or refused by when it was checked.
  const now = Date.now();
  f.meters.forEach((m, i) => {
    const p = meterProblem(m, now, `meters[${i}]`);
    if (p) throw new StoreError('invalid', `${p}.`);
  });
  f.readings.forEach((r, i) => {
    const p = readingProblem(r, now, `readings[${i}]`);
    if (p) throw new StoreError('invalid', `${p}.`);
  });
  if (f.loggerEntries !== undefined && !Array.isArray(f.loggerEntries))
    throw new StoreError('invalid', '"loggerEntries" must be a list.');
  f.loggerEntries?.forEach((e, i) => {
    const p = loggerEntryProblem(e, now, `loggerEntries[${i}]`);
    if (p) throw new StoreError('invalid', `${p}.`);
  });
  return {
    ...(f as ExportFile),
    meters: f.meters.map(cleanMeter),
    readings: f.readings.map(cleanReading),
    ...(f.loggerEntries ? { loggerEntries: f.loggerEntries.map(cleanLoggerEntry) } : {}),
  };
}

/** A restore's result; for a file with logger entries, those it stored and those the database already had. */
export type ImportResult = RestoreResult & { loggerEntries?: number; loggerEntriesSkipped?: number };

/**
 * Restores an export: checked whole first, so a bad file changes nothing; then each meter and
 * time is stored once (see KmpStore.restore), with progress. While a restore runs in this tab,
 * another is refused with StoreError 'busy' before its file is even read.
 */
export async function importExport(store: KmpStore, text: string, options: RestoreOptions = {}): Promise<ImportResult> {
  if (store.restoring) throw new StoreError('busy');
  const file = parseExport(text);
  const result = await store.restore(file.meters, file.readings, options);
  if (!file.loggerEntries) return result;
  // Keyed by meter, logger and id: entries already stored stay as they are.
  const logged = await store.restoreLoggerEntries(file.loggerEntries);
  return { ...result, loggerEntries: logged.added, loggerEntriesSkipped: logged.skipped };
}
