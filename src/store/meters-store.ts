/** The meters object store: what is known of each meter, keyed by its serial number. */
import type { IDBPDatabase } from 'idb';
import { checks } from './on-demand.ts';
import type { KmpDb, MeterRecord } from './schema.ts';
import { StoreError, storeWords } from './store-error.ts';
import type { Write } from './transaction.ts';

/** See KmpStore.putMeter. */
export async function putMeter(write: Write, meter: MeterRecord): Promise<void> {
  const { meterProblemWords, cleanMeter } = await checks();
  const reason = meterProblemWords(meter);
  if (reason) throw new StoreError('invalid', storeWords('store.refused.meter', { reason }));
  return write(['meters'], async (tx) => {
    const store = tx.objectStore('meters');
    await store.put({ ...(await store.get(meter.serial)), ...cleanMeter(meter) });
  });
}

/** See KmpStore.getMeter. */
export function getMeter(db: IDBPDatabase<KmpDb>, serial: number): Promise<MeterRecord | undefined> {
  return db.get('meters', serial);
}

/** See KmpStore.listMeters. */
export function listMeters(db: IDBPDatabase<KmpDb>): Promise<MeterRecord[]> {
  return db.getAll('meters');
}
