/**
 * The one way the store runs an IndexedDB transaction, so every part of it (the object stores'
 * modules, the bulk writes, a restore) undoes a failed transaction alike and reports the same
 * StoreError for the same failure.
 */
import { unwrap, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { KmpDb } from './schema.ts';
import { toStoreError } from './store-error.ts';

/** The object stores one transaction spans. */
export type Stores = StoreNames<KmpDb>[];

/** What runs inside a transaction: it resolves with the caller's result once its requests are made. */
export type Work<N extends Stores, M extends IDBTransactionMode, T> = (tx: IDBPTransaction<KmpDb, N, M>) => Promise<T>;

/**
 * Runs a read-write transaction over `stores`: everything `work` writes is stored, or on any
 * failure none of it, and the failure comes out as a StoreError.
 */
export type Write = <N extends Stores, T>(stores: N, work: Work<N, 'readwrite', T>) => Promise<T>;

/**
 * Runs `work` in one transaction and resolves once the transaction has committed. On any failure
 * the transaction is undone and the failure is thrown as IndexedDB reported it: the transaction's
 * own error (a refused add, a full disk) rather than the abort it caused in a later request. For
 * a caller that tells such failures apart (a restore retries a batch the unique index refused)
 * before mapping them with toStoreError; every other caller wants writer().
 */
export async function transact<N extends Stores, M extends IDBTransactionMode, T>(
  db: IDBPDatabase<KmpDb>,
  stores: N,
  mode: M,
  work: Work<N, M, T>,
  options?: IDBTransactionOptions,
): Promise<T> {
  const tx = db.transaction(stores, mode, options);
  // Awaited below; marked handled now, because work may fail before it gets there.
  tx.done.catch(() => undefined);
  try {
    const result = await work(tx);
    await tx.done;
    return result;
  } catch (e) {
    // Read before aborting: an abort of our own leaves the transaction without an error.
    const cause = unwrap(tx).error ?? e;
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    await tx.done.catch(() => undefined);
    throw cause;
  }
}

/** The read-write transactions of `db`, with every failure (opening one included) as a StoreError. */
export function writer(db: IDBPDatabase<KmpDb>): Write {
  return async (stores, work) => {
    try {
      return await transact(db, stores, 'readwrite', work);
    } catch (e) {
      throw toStoreError(e);
    }
  };
}
