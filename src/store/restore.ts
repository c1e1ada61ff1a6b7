import { unwrap, type IDBPDatabase, type IDBPTransaction } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { hourOf, mergeRollups, rollupsOf } from './rollup.ts';
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
 * dropped; a batch whose time range already holds readings looks them up in the transaction
 * that writes it (one key walk, never one look-up per reading); for the others the unique
 * meter-and-time index is the guard, and a batch it refuses (another tab got there first) is
 * looked up and written again. A failure part-way leaves whole batches stored; running the
 * same restore again adds only the rest.
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
    const occupied = await occupiedBatches(db, batches);
    // Two batches in flight: while the database commits one, the next is already being handed over.
    const inFlight: Array<Promise<{ batch: Reading[]; fresh: Reading[] }>> = [];
    const settle = async () => {
      const { batch, fresh } = await inFlight.shift()!;
      for (const r of fresh) if ((newest.get(r.serial)?.takenAt ?? -Infinity) < r.takenAt) newest.set(r.serial, r);
      stored += fresh.length;
      done += batch.length;
      options.onProgress?.({ done, total });
    };
    for (const [i, batch] of batches.entries()) {
      const checked = occupied.has(i);
      const writing = writeBatch(db, batch, checked)
        // Another tab stored some of these meanwhile: the unique index refused the batch whole; look up and retry.
        .catch((e: unknown) => {
          if (checked || !isConstraintError(e)) throw e;
          return writeBatch(db, batch, true);
        })
        .then((fresh) => ({ batch, fresh }));
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

/** Which batches' time ranges already hold readings: those need a look-up before writing; the rest do not. */
async function occupiedBatches(db: IDBPDatabase<KmpDb>, batches: readonly Reading[][]): Promise<Set<number>> {
  const counts = await transact(db, ['readings'], 'readonly', (tx) => {
    const index = tx.objectStore('readings').index('by-meter-time');
    return Promise.all(
      batches.map(async (batch) => {
        let n = 0;
        for (const group of bySerial(batch)) n += await index.count(rangeOf(group));
        return n;
      }),
    );
  });
  return new Set(counts.flatMap((n, i) => (n > 0 ? [i] : [])));
}

const rangeOf = (group: readonly Reading[]) =>
  IDBKeyRange.bound([group[0]!.serial, group[0]!.takenAt], [group[0]!.serial, group[group.length - 1]!.takenAt]);

const isConstraintError = (e: unknown) =>
  (e instanceof Error || e instanceof DOMException) && e.name === 'ConstraintError';

/**
 * Stores the readings of a sorted batch that the database does not have yet, and returns those.
 * `checked`: look up the batch's range first, in this transaction. Unchecked, a reading already
 * there makes the unique index refuse the whole batch (ConstraintError), and nothing of it is kept.
 */
function writeBatch(db: IDBPDatabase<KmpDb>, batch: readonly Reading[], checked: boolean): Promise<Reading[]> {
  // Relaxed: a restore cut short by a crash is simply run again; each batch need not wait for the disk.
  const relaxed = { durability: 'relaxed' } as const;
  const work = async (tx: IDBPTransaction<KmpDb, ['readings', 'hourly'], 'readwrite'>) => {
    let fresh: readonly Reading[] = batch;
    if (checked) {
      const byTime = tx.objectStore('readings').index('by-meter-time');
      const have = new Set<string>();
      for (const group of bySerial(batch))
        for (let c = await byTime.openKeyCursor(rangeOf(group)); c; c = await c.continue())
          have.add(`${c.key[0]}|${c.key[1]}`);
      fresh = batch.filter((r) => !have.has(`${r.serial}|${r.takenAt}`));
    }
    // Plain requests queued without a promise each (half the time of awaiting every one): IndexedDB
    // runs them in order, and any failure aborts the transaction, which tx.done then reports.
    const readings = unwrap(tx.objectStore('readings'));
    for (const r of fresh) readings.add({ serial: r.serial, takenAt: r.takenAt, values: r.values });
    const hourly = tx.objectStore('hourly');
    const rollups = [];
    for (const group of bySerial(fresh)) {
      const serial = group[0]!.serial;
      const range = IDBKeyRange.bound([serial, hourOf(group[0]!.takenAt)], [serial, group[group.length - 1]!.takenAt]);
      const existing = new Map((await hourly.getAll(range)).map((h) => [h.hour, h]));
      for (const roll of rollupsOf(group).values()) {
        const have = existing.get(roll.hour);
        rollups.push(have ? mergeRollups(have, roll) : roll);
      }
    }
    for (const roll of rollups) unwrap(hourly).put(roll);
    // Nothing more to ask: commit now rather than when the last request's result comes back.
    unwrap(tx).commit();
    return [...fresh];
  };
  return transact(db, ['readings', 'hourly'], 'readwrite', work, relaxed);
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
