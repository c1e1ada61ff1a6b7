/** The outbox object store: readings waiting to be published, in `seq` order. */
import type { IDBPDatabase } from 'idb';
import type { OutboxItem } from './outbox-types.ts';
import type { KmpDb } from './schema.ts';
import type { Write } from './transaction.ts';

/** See OutboxSource.outboxPeek. */
export function outboxPeek(db: IDBPDatabase<KmpDb>, limit: number): Promise<OutboxItem[]> {
  return db.getAll('outbox', undefined, limit);
}

/** See OutboxSource.outboxAck. */
export function outboxAck(write: Write, seqs: readonly number[]): Promise<void> {
  return write(['outbox'], async (tx) => {
    const store = tx.objectStore('outbox');
    await Promise.all(seqs.map((seq) => store.delete(seq)));
  });
}

/** See OutboxSource.outboxFailed. */
export function outboxFailed(write: Write, seq: number): Promise<void> {
  return write(['outbox'], async (tx) => {
    const store = tx.objectStore('outbox');
    const item = await store.get(seq);
    if (item) await store.put({ ...item, attempts: item.attempts + 1 });
  });
}

/** See OutboxSource.outboxCount. */
export function outboxCount(db: IDBPDatabase<KmpDb>): Promise<number> {
  return db.count('outbox');
}

/** See KmpStore.outboxClear. */
export function outboxClear(write: Write): Promise<void> {
  return write(['outbox'], async (tx) => void (await tx.objectStore('outbox').clear()));
}
