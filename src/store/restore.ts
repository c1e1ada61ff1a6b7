import type { IDBPDatabase } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { hourOf, mergeRollups, rollupsOf } from './rollup.ts';
import type { KmpDb, MeterRecord } from './schema.ts';
import { StoreError, toStoreError } from './store-error.ts';

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
 * dropped, and every batch looks up in its own transaction what its time range already holds
 * (one key walk per meter, not one lookup per reading), so a restore in another tab cannot slip
 * in between the look-up and the write. A failure part-way leaves whole batches stored; running
 * the same restore again adds only the rest.
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
    for (let i = 0; i < unique.length; i += batchSize) {
      const batch = unique.slice(i, i + batchSize);
      const fresh = await writeBatch(db, batch);
      for (const r of fresh) if ((newest.get(r.serial)?.takenAt ?? -Infinity) < r.takenAt) newest.set(r.serial, r);
      stored += fresh.length;
      done += batch.length;
      options.onProgress?.({ done, total });
    }
    await writeMeters(db, meters, newest);
  } catch (e) {
    const err = toStoreError(e);
    if (!stored) throw err;
    throw new StoreError(
      err.kind,
      `${err.detail ?? err.message} ${stored} of ${total} readings were stored before this; restoring the same file again adds only the rest.`,
    );
  }
  return { meters: meters.length, readings: stored, skipped: total - stored, duplicates: readings.length - total };
}

/** Stores the readings of a sorted batch that the database does not have yet; returns those. */
async function writeBatch(db: IDBPDatabase<KmpDb>, batch: readonly Reading[]): Promise<Reading[]> {
  const tx = db.transaction(['readings', 'hourly'], 'readwrite');
  const byTime = tx.objectStore('readings').index('by-meter-time');
  const fresh: Reading[] = [];
  for (const group of bySerial(batch)) {
    const serial = group[0]!.serial;
    const range = IDBKeyRange.bound([serial, group[0]!.takenAt], [serial, group[group.length - 1]!.takenAt]);
    // Most restores go into an empty range: one count instead of a walk.
    const have = new Set<number>();
    if ((await byTime.count(range)) > 0)
      for (let c = await byTime.openKeyCursor(range); c; c = await c.continue()) have.add(c.key[1]);
    for (const r of group) if (!have.has(r.takenAt)) fresh.push(r);
  }
  // Queued without waiting for each: IndexedDB runs them in order within the transaction.
  const writes: Promise<unknown>[] = fresh.map((r) =>
    tx.objectStore('readings').add({ serial: r.serial, takenAt: r.takenAt, values: r.values }),
  );
  const hourly = tx.objectStore('hourly');
  for (const group of bySerial(fresh)) {
    const serial = group[0]!.serial;
    const range = IDBKeyRange.bound([serial, hourOf(group[0]!.takenAt)], [serial, group[group.length - 1]!.takenAt]);
    const existing = new Map((await hourly.getAll(range)).map((h) => [h.hour, h]));
    for (const roll of rollupsOf(group).values()) {
      const have = existing.get(roll.hour);
      writes.push(hourly.put(have ? mergeRollups(have, roll) : roll));
    }
  }
  await Promise.all([...writes, tx.done]);
  return fresh;
}

/** Meter records from the file merged over what is stored, keeping whichever last reading is newer. */
async function writeMeters(
  db: IDBPDatabase<KmpDb>,
  meters: readonly MeterRecord[],
  newest: ReadonlyMap<number, Reading>,
): Promise<void> {
  const tx = db.transaction('meters', 'readwrite');
  const fromFile = new Map(meters.map((m) => [m.serial, m]));
  for (const serial of new Set([...fromFile.keys(), ...newest.keys()])) {
    const stored = await tx.store.get(serial);
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
    await tx.store.put(merged);
  }
  await tx.done;
}

function* bySerial(sorted: readonly Reading[]): Generator<Reading[]> {
  let start = 0;
  for (let i = 1; i <= sorted.length; i++)
    if (i === sorted.length || sorted[i]!.serial !== sorted[start]!.serial) {
      if (i > start) yield sorted.slice(start, i);
      start = i;
    }
}
