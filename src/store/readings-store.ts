/**
 * The readings object store, with the hourly rollups and the meter's last reading that each
 * new reading updates in the same transaction.
 */
import type { IDBPDatabase } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { newestFirst } from './newest-first.ts';
import { checks } from './on-demand.ts';
import type { OutboxItem } from './outbox-types.ts';
import { addToRollup, hourOf } from './rollup.ts';
import type { KmpDb, StoredReading } from './schema.ts';
import { StoreError, storeWords } from './store-error.ts';
import type { Write } from './transaction.ts';

/** Which readings of one meter: a time range (ms since the epoch, inclusive), oldest first unless `newestFirst`. */
export interface ReadingQuery {
  from?: number;
  to?: number;
  limit?: number;
  newestFirst?: boolean;
}

/** See KmpStore.saveReading. */
export async function saveReading(
  write: Write,
  reading: Reading,
  outbox: boolean,
): Promise<{ id: number; seq?: number }> {
  const { readingProblemWords, cleanReading } = await checks();
  const reason = readingProblemWords(reading);
  if (reason) throw new StoreError('invalid', storeWords('store.refused.reading', { reason }));
  const clean = cleanReading(reading);
  return write(['readings', 'meters', 'outbox', 'hourly'], async (tx) => {
    const id = await tx
      .objectStore('readings')
      .add({ serial: clean.serial, takenAt: clean.takenAt, values: clean.values });
    const hourly = tx.objectStore('hourly');
    await hourly.put(addToRollup(await hourly.get([clean.serial, hourOf(clean.takenAt)]), clean));
    const meters = tx.objectStore('meters');
    const meter = (await meters.get(clean.serial)) ?? { serial: clean.serial };
    if (!meter.lastReading || meter.lastReading.takenAt <= clean.takenAt)
      await meters.put({ ...meter, lastReading: clean, lastSeen: clean.takenAt });
    const seq = outbox
      ? await tx.objectStore('outbox').add({ reading: clean, queuedAt: Date.now(), attempts: 0 } as OutboxItem)
      : undefined;
    return { id, ...(seq !== undefined ? { seq } : {}) };
  });
}

/** See KmpStore.readings. */
export async function readings(db: IDBPDatabase<KmpDb>, serial: number, q: ReadingQuery): Promise<StoredReading[]> {
  const range = IDBKeyRange.bound([serial, q.from ?? 0], [serial, q.to ?? Number.MAX_SAFE_INTEGER]);
  if (!q.newestFirst) return db.getAllFromIndex('readings', 'by-meter-time', range, q.limit);
  return newestFirst(db.transaction('readings').store.index('by-meter-time').openCursor(range, 'prev'), q.limit);
}

/** See KmpStore.countReadings. */
export function countReadings(db: IDBPDatabase<KmpDb>, serial: number, from: number, to: number): Promise<number> {
  return db.countFromIndex('readings', 'by-meter-time', IDBKeyRange.bound([serial, from], [serial, to]));
}
