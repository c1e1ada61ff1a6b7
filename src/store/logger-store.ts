/**
 * A meter's own logs as stored (the loggerEntries object store): KmpStore's logger-entry
 * methods, loaded with the Meter history page, an export or an import rather than with the
 * first screen, which shows none.
 */
import type { IDBPDatabase } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { newestFirst } from './newest-first.ts';
import type { KmpDb, StoredLoggerEntry } from './schema.ts';
import { StoreError, storeWords } from './store-error.ts';
import type { Write } from './transaction.ts';
import { cleanLoggerEntry, loggerEntryProblemWords } from './validate.ts';

/** A downloaded logger entry (link's LoggerEntry has this shape). */
export interface LoggerEntryInput {
  logger: number;
  id: number;
  time: string;
  values: Reading['values'];
}

/** Which entries of one logger: a time range (ISO local text, inclusive), newest first or oldest first. */
export interface LoggerEntryQuery {
  from?: string;
  to?: string;
  limit?: number;
  newestFirst?: boolean;
}

/** What is stored of one logger of a meter. */
export interface LoggerSummary {
  logger: number;
  count: number;
  oldestId: number;
  newestId: number;
  oldestTime: string;
  newestTime: string;
}

/** Sorts after any ISO local date-time text: the open end of a time range. */
const TIME_MAX = '\uffff';

/** See KmpStore.saveLoggerEntries. */
export function saveLoggerEntries(
  write: Write,
  serial: number,
  entries: readonly LoggerEntryInput[],
  readAt: number,
): Promise<{ added: number; skipped: number }> {
  const now = Date.now();
  const records = entries.map((e, i) => {
    const record: StoredLoggerEntry = { serial, logger: e.logger, id: e.id, time: e.time, values: e.values, readAt };
    const reason = loggerEntryProblemWords(record, now, `entries[${i}]`);
    if (reason) throw new StoreError('invalid', storeWords('store.refused.logger-entry', { reason }));
    return cleanLoggerEntry(record);
  });
  return putLoggerEntries(write, records);
}

/** See KmpStore.restoreLoggerEntries. */
export function restoreLoggerEntries(
  write: Write,
  entries: readonly StoredLoggerEntry[],
): Promise<{ added: number; skipped: number }> {
  const now = Date.now();
  entries.forEach((e, i) => {
    const reason = loggerEntryProblemWords(e, now, `loggerEntries[${i}]`);
    if (reason) throw new StoreError('invalid', storeWords('store.refused.logger-entry', { reason }));
  });
  return putLoggerEntries(write, entries.map(cleanLoggerEntry));
}

/** Writes checked entries, skipping keys already stored; one transaction. */
function putLoggerEntries(
  write: Write,
  records: readonly StoredLoggerEntry[],
): Promise<{ added: number; skipped: number }> {
  return write(['loggerEntries', 'meters'], async (tx) => {
    const store = tx.objectStore('loggerEntries');
    let added = 0;
    const seen = new Set<string>();
    for (const r of records) {
      const key: [number, number, number] = [r.serial, r.logger, r.id];
      if (seen.has(key.join()) || (await store.getKey(key)) !== undefined) continue;
      seen.add(key.join());
      await store.add(r);
      added++;
    }
    // A meter known only by its logger entries still appears in the meter list.
    const meters = tx.objectStore('meters');
    for (const serial of new Set(records.map((r) => r.serial)))
      if (!(await meters.get(serial))) await meters.put({ serial });
    return { added, skipped: records.length - added };
  });
}

/** See KmpStore.loggerEntries. */
export async function loggerEntries(
  db: IDBPDatabase<KmpDb>,
  serial: number,
  logger: number,
  q: LoggerEntryQuery,
): Promise<StoredLoggerEntry[]> {
  const range = IDBKeyRange.bound([serial, logger, q.from ?? ''], [serial, logger, q.to ?? TIME_MAX]);
  if (!q.newestFirst) return db.getAllFromIndex('loggerEntries', 'by-logger-time', range, q.limit);
  return newestFirst(db.transaction('loggerEntries').store.index('by-logger-time').openCursor(range, 'prev'), q.limit);
}

/** See KmpStore.loggerEntryIds. */
export async function loggerEntryIds(db: IDBPDatabase<KmpDb>, serial: number, logger: number): Promise<Set<number>> {
  const keys = await db.getAllKeys(
    'loggerEntries',
    IDBKeyRange.bound([serial, logger, 0], [serial, logger, Number.MAX_SAFE_INTEGER]),
  );
  return new Set(keys.map((k) => k[2]));
}

/** See KmpStore.loggerSummary. */
export async function loggerSummary(db: IDBPDatabase<KmpDb>, serial: number): Promise<LoggerSummary[]> {
  const all = await db.getAll(
    'loggerEntries',
    IDBKeyRange.bound([serial, -Infinity, -Infinity], [serial, Infinity, Infinity]),
  );
  const out = new Map<number, LoggerSummary>();
  for (const e of all) {
    const s = out.get(e.logger);
    if (!s) {
      out.set(e.logger, {
        logger: e.logger,
        count: 1,
        oldestId: e.id,
        newestId: e.id,
        oldestTime: e.time,
        newestTime: e.time,
      });
      continue;
    }
    s.count++;
    if (e.id < s.oldestId) [s.oldestId, s.oldestTime] = [e.id, e.time];
    if (e.id > s.newestId) [s.newestId, s.newestTime] = [e.id, e.time];
  }
  return [...out.values()];
}

/** See KmpStore.allLoggerEntries. */
export function allLoggerEntries(db: IDBPDatabase<KmpDb>, serial?: number): Promise<StoredLoggerEntry[]> {
  return db.getAll(
    'loggerEntries',
    serial === undefined ? undefined : IDBKeyRange.bound([serial, -Infinity, -Infinity], [serial, Infinity, Infinity]),
  );
}

/** See KmpStore.deleteLoggerEntries. */
export function deleteLoggerEntries(write: Write, serial: number, logger?: number): Promise<number> {
  const range =
    logger === undefined
      ? IDBKeyRange.bound([serial, -Infinity, -Infinity], [serial, Infinity, Infinity])
      : IDBKeyRange.bound([serial, logger, -Infinity], [serial, logger, Infinity]);
  return write(['loggerEntries'], async (tx) => {
    const n = await tx.objectStore('loggerEntries').count(range);
    await tx.objectStore('loggerEntries').delete(range);
    return n;
  });
}
