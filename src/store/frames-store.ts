/** The frames object store: the wire log kept across reloads, capped. */
import type { IDBPDatabase } from 'idb';
import type { KmpDb, StoredFrame } from './schema.ts';
import type { Write } from './transaction.ts';

/** The frame log keeps this many entries; the oldest go first. */
export const FRAME_LOG_CAP = 5000;

/** The fields of a frame the log keeps, and only those: a caller may pass a richer entry. */
function storedFrame(e: StoredFrame): StoredFrame {
  return {
    at: e.at,
    dir: e.dir,
    kind: e.kind,
    hex: e.hex,
    decoded: e.decoded,
    ...(e.crcOk !== undefined ? { crcOk: e.crcOk } : {}),
    ...(e.replyMs !== undefined ? { replyMs: e.replyMs } : {}),
  };
}

/** See KmpStore.appendFrames. */
export function appendFrames(write: Write, entries: readonly StoredFrame[]): Promise<void> {
  return write(['frames'], async (tx) => {
    const store = tx.objectStore('frames');
    for (const e of entries) await store.add(storedFrame(e));
    let excess = (await store.count()) - FRAME_LOG_CAP;
    for (let c = await store.openCursor(); c && excess > 0; c = await c.continue(), excess--) await c.delete();
  });
}

/** See KmpStore.listFrames. */
export async function listFrames(db: IDBPDatabase<KmpDb>, limit: number): Promise<StoredFrame[]> {
  const all = await db.getAll('frames');
  return all.slice(-limit);
}
