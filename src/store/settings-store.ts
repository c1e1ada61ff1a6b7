/** The settings object store: one value per key, whatever its shape (the caller knows it). */
import type { IDBPDatabase } from 'idb';
import type { KmpDb } from './schema.ts';
import type { Write } from './transaction.ts';

/** See KmpStore.getSetting. */
export async function getSetting<T>(db: IDBPDatabase<KmpDb>, key: string): Promise<T | undefined> {
  return (await db.get('settings', key)) as T | undefined;
}

/** See KmpStore.putSetting. */
export function putSetting(write: Write, key: string, value: unknown): Promise<void> {
  return write(['settings'], async (tx) => void (await tx.objectStore('settings').put(value, key)));
}

/** See KmpStore.putSettingIfAbsent. */
export function putSettingIfAbsent(write: Write, key: string, value: unknown): Promise<unknown> {
  return write(['settings'], async (tx) => {
    const store = tx.objectStore('settings');
    const present: unknown = await store.get(key);
    if (present !== undefined) return present;
    await store.put(value, key);
    return value;
  });
}
