import { openDB, unwrap, type IDBPDatabase, type IDBPIndex, type IDBPTransaction, type StoreNames } from 'idb';
import { unitName, type Reading } from '../kmp/index.ts';
import { hourKey } from './reading-hours.ts';
import { rollupsOf } from './rollup.ts';
import { DB_VERSION, type KmpDb, type HourRollup, type ReadingHour } from './schema.ts';
import { StoreError, storeWords, toStoreError } from './store-error.ts';

export const DEFAULT_DB_NAME = 'kmp-web';

/** The schema of versions 1 to 5 as the steps up to 6 see it: one record per reading. */
interface KmpDbV5 extends KmpDb {
  readings: { key: number; value: Reading & { id?: number }; indexes: { 'by-meter-time': [number, number] } };
}

type UpgradeTx = IDBPTransaction<KmpDbV5, StoreNames<KmpDbV5>[], 'versionchange'>;
type ByMeterTime = IDBPIndex<KmpDbV5, StoreNames<KmpDbV5>[], 'readings', 'by-meter-time', 'versionchange'>;

/** Runs every migration step above `oldVersion`, in order, inside the upgrade transaction. */
async function migrate(db: IDBPDatabase<KmpDbV5>, oldVersion: number, tx: UpgradeTx): Promise<void> {
  // The meter-and-time index made by step 4 in this same upgrade, if it ran: step 6 walks it.
  let remade: ByMeterTime | undefined;
  if (oldVersion < 1) {
    db.createObjectStore('meters', { keyPath: 'serial' });
    const readings = db.createObjectStore('readings', { keyPath: 'id', autoIncrement: true });
    readings.createIndex('by-meter-time', ['serial', 'takenAt']);
    db.createObjectStore('settings');
  }
  if (oldVersion < 2) {
    db.createObjectStore('frames', { keyPath: 'id', autoIncrement: true });
    db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true });
    const readings = tx.objectStore('readings');
    // An index of versions 2 and 3 only (step 4 drops it), so no longer in the typed schema.
    unwrap(readings).createIndex('by-time', 'takenAt');
    // Version 1 kept only unit codes; every value now carries its unit text too.
    for (let cursor = await readings.openCursor(); cursor; cursor = await cursor.continue()) {
      const r = cursor.value;
      await cursor.update({ ...r, values: r.values.map((v) => ({ ...v, unit: v.unit ?? unitName(v.unitCode) })) });
    }
  }
  if (oldVersion < 3) {
    // Filled by step 4, which builds the rollups in their current shape.
    db.createObjectStore('hourly', { keyPath: ['serial', 'hour'] });
  }
  if (oldVersion < 4) {
    // Restores could store a reading twice; keep the first stored of each meter and time, and
    // make the index unique so nothing can again. One pass, which also rebuilds the rollups
    // per register and unit (a year of one-minute readings is under 9,000 hours a meter).
    const readings = tx.objectStore('readings');
    const hourly = tx.objectStore('hourly');
    await hourly.clear();
    const rollups = new Map<string, HourRollup>();
    let previous: [number, number] | undefined;
    for (let c = await readings.index('by-meter-time').openCursor(); c; c = await c.continue()) {
      const [serial, takenAt] = c.key;
      if (previous && previous[0] === serial && previous[1] === takenAt) await c.delete();
      else rollupsOf([c.value], rollups);
      previous = [serial, takenAt];
    }
    readings.deleteIndex('by-meter-time');
    remade = readings.createIndex('by-meter-time', ['serial', 'takenAt'], { unique: true });
    // Nothing ever queried by time alone; the index cost every write (a restore of a year: ~525,600 entries).
    readings.deleteIndex('by-time');
    for (const r of rollups.values()) await hourly.put(r);
  }
  if (oldVersion < 5) {
    // Logger entries stay apart from readings: other times (the meter's local clock), other keys.
    const entries = db.createObjectStore('loggerEntries', { keyPath: ['serial', 'logger', 'id'] });
    entries.createIndex('by-logger-time', ['serial', 'logger', 'time']);
  }
  // Asked of the store again, fake-indexeddb (the unit tests' IndexedDB) hands back the index
  // step 4 deleted; a browser hands back the new one either way.
  if (oldVersion < 6) await readingsIntoHours(db, tx, remade ?? tx.objectStore('readings').index('by-meter-time'));
}

/**
 * Step 6: every reading moves, as it was stored, into its meter's hour record (reading-hours.ts),
 * in one walk of the meter-and-time index (so each hour's readings arrive in order and each
 * hour is written once); the rollups are rebuilt from the same walk, so they count exactly the
 * readings moved. Then the one-record-a-reading store goes.
 */
async function readingsIntoHours(db: IDBPDatabase<KmpDbV5>, tx: UpgradeTx, byMeterTime: ByMeterTime): Promise<void> {
  const hours = unwrap(db.createObjectStore('readingHours', { keyPath: ['serial', 'hour'] }));
  const hourly = tx.objectStore('hourly');
  await hourly.clear();
  const rollups = new Map<string, HourRollup>();
  let current: ReadingHour | undefined;
  for (let c = await byMeterTime.openCursor(); c; c = await c.continue()) {
    const { serial, takenAt, values } = c.value;
    const [, hour] = hourKey(serial, takenAt);
    if (current?.serial !== serial || current.hour !== hour) {
      // Queued without a promise each: a failed put aborts the upgrade, which reports it.
      if (current) hours.put(current);
      current = { serial, hour, readings: [] };
    }
    current.readings.push({ takenAt, values });
    rollupsOf([{ serial, takenAt, values }], rollups);
  }
  if (current) hours.put(current);
  for (const r of rollups.values()) await hourly.put(r);
  db.deleteObjectStore('readings');
}

export interface OpenOptions {
  name?: string;
  /** Another tab wants a newer version: we closed our connection; the UI should ask for a reload. */
  onVersionChange?: () => void;
}

export async function openKmpDb(options: OpenOptions = {}): Promise<IDBPDatabase<KmpDb>> {
  if (typeof indexedDB === 'undefined') throw new StoreError('unavailable', storeWords('store.no-indexeddb'));
  let reportBlocked: (e: StoreError) => void = () => undefined;
  const blocked = new Promise<never>((_, reject) => (reportBlocked = reject));
  let gaveUp = false;
  const opening = openDB<KmpDb>(options.name ?? DEFAULT_DB_NAME, DB_VERSION, {
    // A failed migration aborts the upgrade: the database stays at its old version, untouched.
    upgrade: (db, oldVersion, _newVersion, tx) =>
      void migrate(db as unknown as IDBPDatabase<KmpDbV5>, oldVersion, tx as unknown as UpgradeTx).catch(() =>
        tx.abort(),
      ),
    // Another tab holds an older version open: say so instead of waiting silently.
    blocked: () => reportBlocked(new StoreError('blocked')),
    blocking: () => {
      // Let the other tab upgrade instead of leaving it stuck: close, and tell the person.
      void opening.then((db) => db.close());
      options.onVersionChange?.();
    },
  });
  // If we gave up because of a block, close the connection should it open later.
  void opening.then(
    (db) => gaveUp && db.close(),
    () => undefined,
  );
  try {
    return await Promise.race([opening, blocked]);
  } catch (e) {
    gaveUp = true;
    throw toStoreError(e);
  }
}
