import { words, type Sentences, type WordsParam } from '../kmp/words.ts';
import { EXPORT_FORMAT, EXPORT_SCHEMA_VERSION, type ExportFile } from './export-json.ts';
import type { KmpStore } from './kmp-store.ts';
import type { RestoreOptions, RestoreResult } from './restore.ts';
import { StoreError } from './store-error.ts';
import {
  cleanLoggerEntry,
  cleanMeter,
  cleanReading,
  loggerEntryProblemWords,
  meterProblemWords,
  readingProblemWords,
} from './validate.ts';

/**
 * Why an export file is refused, by id (src/kmp/words.ts); StoreError 'invalid' says each after
 * "The data was refused.". A record's own reason (validate.ts) is a clause: `store.restore.record`
 * makes it a sentence of its own.
 */
export const RESTORE_SENTENCES = {
  // `error` is the JSON parser's own account, in the browser's words.
  'store.restore.not-json': 'The file is not JSON: {error}.',
  'store.restore.not-export': 'The file is not a kmp-web export (its "format" is missing or different).',
  'store.restore.schema': 'The export has schema version {version}; this app reads version {ours}.',
  'store.restore.no-lists': 'The export has no "meters" and "readings" lists.',
  'store.restore.exported-at': 'exportedAt must be text.',
  'store.restore.app-version': 'appVersion must be text of at most 64 characters.',
  'store.restore.logger-entries': '"loggerEntries" must be a list.',
  'store.restore.record': '{reason}.',
} as const satisfies Sentences;

const refused = (id: keyof typeof RESTORE_SENTENCES, params?: Readonly<Record<string, WordsParam>>) =>
  new StoreError('invalid', words(RESTORE_SENTENCES, id, params));

/** Checks a whole export file; throws StoreError 'invalid' naming the first problem and where it is. */
export function parseExport(text: string): ExportFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw refused('store.restore.not-json', { error: e instanceof Error ? e.message : String(e) });
  }
  const f = data as Partial<ExportFile>;
  if (typeof f !== 'object' || f === null || f.format !== EXPORT_FORMAT) throw refused('store.restore.not-export');
  if (f.schemaVersion !== EXPORT_SCHEMA_VERSION)
    throw refused('store.restore.schema', { version: String(f.schemaVersion), ours: EXPORT_SCHEMA_VERSION });
  if (!Array.isArray(f.meters) || !Array.isArray(f.readings)) throw refused('store.restore.no-lists');
  if (f.exportedAt !== undefined && typeof f.exportedAt !== 'string') throw refused('store.restore.exported-at');
  if (f.appVersion !== undefined && (typeof f.appVersion !== 'string' || f.appVersion.length > 64))
    throw refused('store.restore.app-version');
  // One clock for the whole file, so a reading is not accepted or refused by when it was checked.
  const now = Date.now();
  f.meters.forEach((m, i) => {
    const reason = meterProblemWords(m, now, `meters[${i}]`);
    if (reason) throw refused('store.restore.record', { reason });
  });
  f.readings.forEach((r, i) => {
    const reason = readingProblemWords(r, now, `readings[${i}]`);
    if (reason) throw refused('store.restore.record', { reason });
  });
  if (f.loggerEntries !== undefined && !Array.isArray(f.loggerEntries)) throw refused('store.restore.logger-entries');
  f.loggerEntries?.forEach((e, i) => {
    const reason = loggerEntryProblemWords(e, now, `loggerEntries[${i}]`);
    if (reason) throw refused('store.restore.record', { reason });
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
