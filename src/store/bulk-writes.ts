/**
 * KmpStore's writes over many rows: an import, deleting a time range, forgetting a meter.
 * Loaded when the History or Settings page (or an import) first asks for one, rather than with
 * the first screen, which writes one reading at a time.
 */
import type { Reading } from '../kmp/index.ts';
import { addToHour, byHour, hoursRange, readingsOf } from './reading-hours.ts';
import { mergeRollups, rollupsOf } from './rollup.ts';
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
  // Sorted by meter and time (stable: of two at one time the first given comes first), so each
  // hour record is read and written once.
  const sorted = [...readings].sort((a, b) => a.serial - b.serial || a.takenAt - b.takenAt);
  await write(['meters', 'readingHours', 'hourly'], async (tx) => {
    const m = tx.objectStore('meters');
    for (const meter of meters) await m.put({ ...(await m.get(meter.serial)), ...meter });
    const hours = tx.objectStore('readingHours');
    const hourly = tx.objectStore('hourly');
    for (const part of byHour(sorted)) {
      const { hour, added } = addToHour(
        await hours.get([part.serial, part.hour]),
        part.serial,
        part.hour,
        part.readings,
      );
      // All or nothing, as one record a reading was: a time already stored (or given twice) refuses the call.
      if (added.length < part.readings.length) throw new StoreError('invalid', storeWords('store.duplicate-reading'));
      await hours.put(hour);
      const roll = rollupsOf(added).values().next().value!;
      const have = await hourly.get([part.serial, part.hour]);
      await hourly.put(have ? mergeRollups(have, roll) : roll);
    }
  });
}

/** See KmpStore.deleteReadings. */
export function deleteReadings(write: Write, serial: number, from: number, to: number): Promise<number> {
  if (from > to) return Promise.resolve(0);
  return write(['readingHours', 'hourly'], async (tx) => {
    let n = 0;
    const hours = tx.objectStore('readingHours');
    const hourly = tx.objectStore('hourly');
    // Hours wholly inside the range go with their rollups; the (at most two) hours cut by its
    // edges keep the rest of their readings, and their rollups are rebuilt from those.
    for (let c = await hours.openCursor(hoursRange(serial, from, to)); c; c = await c.continue()) {
      const hour = c.value;
      const gone = readingsOf(hour, from, to).length;
      if (!gone) continue;
      n += gone;
      const kept = hour.readings.filter((r) => r.takenAt < from || r.takenAt > to);
      if (!kept.length) {
        await c.delete();
        await hourly.delete([serial, hour.hour]);
        continue;
      }
      const left = { ...hour, readings: kept };
      await c.update(left);
      await hourly.put(rollupsOf(readingsOf(left)).values().next().value!);
    }
    return n;
  });
}

/** See KmpStore.clearMeter. */
export async function clearMeter(write: Write, serial: number): Promise<void> {
  await write(['readingHours', 'hourly', 'meters', 'outbox', 'loggerEntries'], async (tx) => {
    await tx
      .objectStore('loggerEntries')
      .delete(IDBKeyRange.bound([serial, -Infinity, -Infinity], [serial, Infinity, Infinity]));
    const everything = IDBKeyRange.bound([serial, -Infinity], [serial, Infinity]);
    await tx.objectStore('readingHours').delete(everything);
    await tx.objectStore('hourly').delete(everything);
    await tx.objectStore('meters').delete(serial);
    for (let c = await tx.objectStore('outbox').openCursor(); c; c = await c.continue())
      if (c.value.reading.serial === serial) await c.delete();
  });
}
