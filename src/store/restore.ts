import { unwrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { addToHour, byHour, hoursRange } from './reading-hours.ts';
import { mergeRollups, rollupsOf } from './rollup.ts';
import type { KmpDb, MeterRecord } from './schema.ts';
import { StoreError, storeWords, toStoreError } from './store-error.ts';
import { transact } from './transaction.ts';

export interface RestoreProgress {
  /** Readings of the file dealt with so far (stored or found already there). */
  done: number;
  /** Readings in the file, each meter and time counted once. */
  total: number;
}

export interface RestoreOptions {
  onProgress?: (p: RestoreProgress) => void;
  /** Readings per transaction. Large, because IndexedDB's cost is per transaction, not per row. */
  batchSize?: number;
}

export interface RestoreResult {
  meters: number;
  /** Readings stored. */
  readings: number;
  /** Readings the database already had (same meter and time). */
  skipped: number;
  /** Readings the file itself had more than once; the first of each was taken. */
  duplicates: number;
}

export const RESTORE_BATCH = 10_000;

/**
 * Writes checked readings and meters, each meter and time once: repeats inside the file are
 * dropped; each batch reads the hour records its range already has, in the transaction that
 * writes it (one request per meter, never one per reading or hour), and adds only the times
 * they lack, so a reading another tab stored meanwhile is found, not written twice. A failure
 * part-way leaves whole batches stored; running the same restore again adds only the rest.
 */
export async function restoreInto(
  db: IDBPDatabase<KmpDb>,
  meters: readonly MeterRecord[],
  readings: readonly Reading[],
  options: RestoreOptions = {},
): Promise<RestoreResult> {
  const batchSize = Math.max(1, options.batchSize ?? RESTORE_BATCH);
  // Stable sort: of two readings with the same meter and time, the first in the file stays first.
  const sorted = [...readings].sort((a, b) => a.serial - b.serial || a.takenAt - b.takenAt);
  const unique = sorted.filter(
    (r, i) => i === 0 || r.serial !== sorted[i - 1]!.serial || r.takenAt !== sorted[i - 1]!.takenAt,
  );
  const total = unique.length;
  let done = 0;
  let stored = 0;
  const newest = new Map<number, Reading>();
  options.onProgress?.({ done, total });
  try {
    const batches: Reading[][] = [];
    for (let i = 0; i < unique.length; i += batchSize) batches.push(unique.slice(i, i + batchSize));
    // Two batches in flight: while the database commits one, the next is already being handed over.
    const inFlight: Array<Promise<{ batch: Reading[]; fresh: Reading[] }>> = [];
    const settle = async () => {
      const { batch, fresh } = await inFlight.shift()!;
      for (const r of fresh) if ((newest.get(r.serial)?.takenAt ?? -Infinity) < r.takenAt) newest.set(r.serial, r);
      stored += fresh.length;
      done += batch.length;
      options.onProgress?.({ done, total });
    };
    for (const batch of batches) {
      const writing = writeBatch(db, batch).then((fresh) => ({ batch, fresh }));
      // Awaited in settle(); marked handled now so a failure while the batch before it settles is not reported twice.
      writing.catch(() => undefined);
      inFlight.push(writing);
      if (inFlight.length >= 2) await settle();
    }
    // Handled in order, so progress and the count of stored readings stay true.
    while (inFlight.length) await settle();
    await writeMeters(db, meters, newest);
  } catch (e) {
    const err = toStoreError(e);
    if (!stored) throw err;
    // What failed, as its own words where it has them (a reason, or the whole sentence), else the browser's.
    const problem = err.detailWords ?? err.detail ?? err.words;
    throw new StoreError(err.kind, storeWords('store.restore.partly', { problem, stored, total }));
  }
  return { meters: meters.length, readings: stored, skipped: total - stored, duplicates: readings.length - total };
}

/**
 * Stores the readings of a sorted batch that the database does not have yet, and returns those:
 * the batch's hour records and rollups are read (one range a meter), merged with it, and written
 * back whole, in one transaction.
 */
function writeBatch(db: IDBPDatabase<KmpDb>, batch: readonly Reading[]): Promise<Reading[]> {
  // Relaxed: a restore cut short by a crash is simply run again; each batch need not wait for the disk.
  const relaxed = { durability: 'relaxed' } as const;
  const work = async (tx: IDBPTransaction<KmpDb, ['readingHours', 'hourly'], 'readwrite'>) => {
    const hours = tx.objectStore('readingHours');
    const hourly = tx.objectStore('hourly');
    const fresh: Reading[] = [];
    const records = [];
    const rollups = [];
    for (const group of bySerial(batch)) {
      const serial = group[0]!.serial;
      const range = hoursRange(serial, group[0]!.takenAt, group[group.length - 1]!.takenAt);
      const [storedHours, storedRollups] = await Promise.all([hours.getAll(range), hourly.getAll(range)]);
      const haveHour = new Map(storedHours.map((h) => [h.hour, h]));
      const haveRollup = new Map(storedRollups.map((h) => [h.hour, h]));
      for (const part of byHour(group)) {
        const { hour, added } = addToHour(haveHour.get(part.hour), serial, part.hour, part.readings);
        if (!added.length) continue;
        fresh.push(...added);
        records.push(hour);
        const roll = rollupsOf(added).values().next().value!;
        const have = haveRollup.get(part.hour);
        rollups.push(have ? mergeRollups(have, roll) : roll);
      }
    }
    // Plain requests queued without a promise each: IndexedDB runs them in order, and any failure
    // aborts the transaction, which tx.done then reports.
    for (const record of records) unwrap(hours).put(record);
    for (const roll of rollups) unwrap(hourly).put(roll);
    // Nothing more to ask: commit now rather than when the last request's result comes back.
    unwrap(tx).commit();
    return fresh;
  };
  return transact(db, ['readingHours', 'hourly'], 'readwrite', work, relaxed);
}

/** Meter records from the file merged over what is stored, keeping whichever last reading is newer. */
async function writeMeters(
  db: IDBPDatabase<KmpDb>,
  meters: readonly MeterRecord[],
  newest: ReadonlyMap<number, Reading>,
): Promise<void> {
  const fromFile = new Map(meters.map((m) => [m.serial, m]));
  await transact(db, ['meters'], 'readwrite', async (tx) => {
    const store = tx.objectStore('meters');
    for (const serial of new Set([...fromFile.keys(), ...newest.keys()])) {
      const stored = await store.get(serial);
      const merged: MeterRecord = { ...stored, ...fromFile.get(serial), serial };
      const latest = [stored?.lastReading, fromFile.get(serial)?.lastReading, newest.get(serial)]
        .filter((r): r is Reading => r !== undefined)
        .reduce<Reading | undefined>((a, b) => (!a || b.takenAt > a.takenAt ? b : a), undefined);
      if (latest) merged.lastReading = latest;
      const seen = Math.max(
        stored?.lastSeen ?? -Infinity,
        fromFile.get(serial)?.lastSeen ?? -Infinity,
        latest?.takenAt ?? -Infinity,
      );
      if (Number.isFinite(seen)) merged.lastSeen = seen;
      await store.put(merged);
    }
  });
}

function* bySerial(sorted: readonly Reading[]): Generator<Reading[]> {
  let start = 0;
  for (let i = 1; i <= sorted.length; i++)
    if (i === sorted.length || sorted[i]!.serial !== sorted[start]!.serial) {
      if (i > start) yield sorted.slice(start, i);
      start = i;
    }
}
