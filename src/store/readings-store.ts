/**
 * The readings, kept per meter and hour (reading-hours.ts), with the hourly rollups and the
 * meter's last reading that each new reading updates in the same transaction.
 */
import type { IDBPDatabase } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { checks } from './on-demand.ts';
import type { OutboxItem } from './outbox-types.ts';
import { addToHour, hourKey, hoursRange, readingsOf } from './reading-hours.ts';
import { addToRollup, hourOf, HOUR_MS } from './rollup.ts';
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
export async function saveReading(write: Write, reading: Reading, outbox: boolean): Promise<{ seq?: number }> {
  const { readingProblemWords, cleanReading } = await checks();
  const reason = readingProblemWords(reading);
  if (reason) throw new StoreError('invalid', storeWords('store.refused.reading', { reason }));
  const clean = cleanReading(reading);
  return write(['readingHours', 'meters', 'outbox', 'hourly'], async (tx) => {
    const hours = tx.objectStore('readingHours');
    const key = hourKey(clean.serial, clean.takenAt);
    const { hour, added } = addToHour(await hours.get(key), key[0], key[1], [clean]);
    // Each meter and time once: a second reading of the same time is refused, and nothing of it stored.
    if (!added.length) throw new StoreError('invalid', storeWords('store.duplicate-reading'));
    await hours.put(hour);
    const hourly = tx.objectStore('hourly');
    await hourly.put(addToRollup(await hourly.get([clean.serial, hourOf(clean.takenAt)]), clean));
    const meters = tx.objectStore('meters');
    const meter = (await meters.get(clean.serial)) ?? { serial: clean.serial };
    if (!meter.lastReading || meter.lastReading.takenAt <= clean.takenAt)
      await meters.put({ ...meter, lastReading: clean, lastSeen: clean.takenAt });
    const seq = outbox
      ? await tx.objectStore('outbox').add({ reading: clean, queuedAt: Date.now(), attempts: 0 } as OutboxItem)
      : undefined;
    return seq !== undefined ? { seq } : {};
  });
}

/**
 * See KmpStore.readings. Walks the hours of the range one record at a time (oldest or newest
 * first), so a limit stops the walk rather than cutting a whole year read into memory.
 */
export async function readings(db: IDBPDatabase<KmpDb>, serial: number, q: ReadingQuery): Promise<StoredReading[]> {
  const from = q.from ?? 0;
  const to = q.to ?? Number.MAX_SAFE_INTEGER;
  const limit = q.limit ?? Infinity;
  const out: StoredReading[] = [];
  if (from > to || limit <= 0) return out;
  const range = hoursRange(serial, from, to);
  const store = db.transaction('readingHours').store;
  for (let c = await store.openCursor(range, q.newestFirst ? 'prev' : 'next'); c; c = await c.continue()) {
    const inRange = readingsOf(c.value, from, to);
    if (q.newestFirst) inRange.reverse();
    for (const r of inRange) {
      out.push(r);
      if (out.length >= limit) return out;
    }
  }
  return out;
}

/**
 * See KmpStore.countReadings. The hours wholly inside the range are counted from their rollups
 * (each counts its hour's readings, written in the same transactions); only the two hours cut by
 * the range's edges are read, so a year is counted from 8,760 small records, not 525,600 readings.
 */
export async function countReadings(
  db: IDBPDatabase<KmpDb>,
  serial: number,
  from: number,
  to: number,
): Promise<number> {
  if (from > to) return 0;
  const tx = db.transaction(['readingHours', 'hourly']);
  const first = hourOf(from);
  const last = hourOf(to);
  let n = 0;
  for (const hour of new Set([first, last])) {
    const record = await tx.objectStore('readingHours').get([serial, hour]);
    if (record) n += readingsOf(record, from, to).length;
  }
  // The hours strictly between the first and the last.
  if (last - first > HOUR_MS) {
    const inner = IDBKeyRange.bound([serial, first], [serial, last], true, true);
    for (const roll of await tx.objectStore('hourly').getAll(inner)) n += roll.n;
  }
  return n;
}
