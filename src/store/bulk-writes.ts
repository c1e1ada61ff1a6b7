/**
 * KmpStore's writes over many rows: an import, deleting a time range, forgetting a meter.
 * Loaded when the History or Settings page (or an import) first asks for one, rather than with
 * the first screen, which writes one reading at a time.
 */
import type { Reading } from '../kmp/index.ts';
import { hourOf, HOUR_MS, mergeRollups, rollupsOf } from './rollup.ts';
import type { MeterRecord } from './schema.ts';
import { StoreError, storeWords } from './store-error.ts';
import type { Write } from './transaction.ts';
import { meterProblemWords, readingProblemWords } from './validate.ts';

/** See KmpStore.importAll. */
export async function importAll(
  write: Write,
  meters: readonly MeterRecord[],
  readings: readonly Reading[],
): Promise<void> {
  for (const m of meters) {
    const reason = meterProblemWords(m);
    if (reason) throw new StoreError('invalid', storeWords('store.refused.meter', { reason }));
  }
  for (const r of readings) {
    const reason = readingProblemWords(r);
    if (reason) throw new StoreError('invalid', storeWords('store.refused.reading', { reason }));
  }
  await write(['meters', 'readings', 'hourly'], async (tx) => {
    const m = tx.objectStore('meters');
    for (const meter of meters) await m.put({ ...(await m.get(meter.serial)), ...meter });
    const store = tx.objectStore('readings');
    for (const r of readings) await store.add({ serial: r.serial, takenAt: r.takenAt, values: r.values });
    const hourly = tx.objectStore('hourly');
    for (const roll of rollupsOf(readings).values()) {
      const have = await hourly.get([roll.serial, roll.hour]);
      await hourly.put(have ? mergeRollups(have, roll) : roll);
    }
  });
}

/** See KmpStore.deleteReadings. */
export function deleteReadings(write: Write, serial: number, from: number, to: number): Promise<number> {
  return write(['readings', 'hourly'], async (tx) => {
    let n = 0;
    const byTime = tx.objectStore('readings').index('by-meter-time');
    for (let c = await byTime.openCursor(IDBKeyRange.bound([serial, from], [serial, to])); c; c = await c.continue()) {
      await c.delete();
      n++;
    }
    // Hours wholly inside the range go; the (at most two) hours cut by its edges are rebuilt.
    const hourly = tx.objectStore('hourly');
    await hourly.delete(IDBKeyRange.bound([serial, hourOf(from)], [serial, to]));
    for (const hour of new Set([hourOf(from), hourOf(Math.min(to, Number.MAX_SAFE_INTEGER - HOUR_MS))])) {
      const left = await byTime.getAll(IDBKeyRange.bound([serial, hour], [serial, hour + HOUR_MS - 1]));
      for (const roll of rollupsOf(left).values()) await hourly.put(roll);
    }
    return n;
  });
}

/** See KmpStore.clearMeter. */
export async function clearMeter(write: Write, serial: number): Promise<void> {
  await write(['readings', 'hourly', 'meters', 'outbox', 'loggerEntries'], async (tx) => {
    await tx
      .objectStore('loggerEntries')
      .delete(IDBKeyRange.bound([serial, -Infinity, -Infinity], [serial, Infinity, Infinity]));
    const everything = IDBKeyRange.bound([serial, -Infinity], [serial, Infinity]);
    const byTime = tx.objectStore('readings').index('by-meter-time');
    for (let c = await byTime.openKeyCursor(everything); c; c = await c.continue())
      await tx.objectStore('readings').delete(c.primaryKey);
    await tx.objectStore('hourly').delete(everything);
    await tx.objectStore('meters').delete(serial);
    for (let c = await tx.objectStore('outbox').openCursor(); c; c = await c.continue())
      if (c.value.reading.serial === serial) await c.delete();
  });
}
