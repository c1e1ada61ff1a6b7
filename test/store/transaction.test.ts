import 'fake-indexeddb/auto';
import { unwrap } from 'idb';
import { describe, expect, it } from 'vitest';
import { openKmpDb, StoreError } from '../../src/store/index.ts';
import { transact, writer } from '../../src/store/transaction.ts';
import { freshName } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1);
// An hour record of readings: adding one whose key is there already is refused (ConstraintError).
const row = (hour: number) => ({
  serial: 5,
  hour,
  readings: [{ takenAt: hour, values: [{ id: 60, unitCode: 8, unit: 'GJ', value: 1, decimal: '1' }] }],
});

describe('the transaction runner', () => {
  it('keeps nothing of a write that fails part-way, and says why in the store’s words', async () => {
    const db = await openKmpDb({ name: freshName() });
    const write = writer(db);
    const twice = write(['readingHours', 'meters'], async (tx) => {
      await tx.objectStore('meters').put({ serial: 5 });
      await tx.objectStore('readingHours').add(row(T0));
      await tx.objectStore('readingHours').add(row(T0));
    });
    await expect(twice).rejects.toBeInstanceOf(StoreError);
    await expect(twice).rejects.toMatchObject({ kind: 'invalid' });
    await expect(twice).rejects.toThrow(/already stored/);
    expect(await db.count('readingHours')).toBe(0);
    expect(await db.get('meters', 5)).toBeUndefined();
    db.close();
  });

  it('undoes the transaction when the work itself throws', async () => {
    const db = await openKmpDb({ name: freshName() });
    const failing = writer(db)(['meters'], async (tx) => {
      await tx.objectStore('meters').put({ serial: 5 });
      throw new Error('the work gave up');
    });
    await expect(failing).rejects.toMatchObject({ name: 'StoreError', detail: 'the work gave up' });
    expect(await db.get('meters', 5)).toBeUndefined();
    db.close();
  });

  it('reports the request that failed, not the abort it caused in the requests after it', async () => {
    const db = await openKmpDb({ name: freshName() });
    await writer(db)(['readingHours'], async (tx) => void (await tx.objectStore('readingHours').add(row(T0))));
    const refused = transact(db, ['readingHours'], 'readwrite', async (tx) => {
      // Queued without awaiting, as a restore does: the refusal aborts the transaction, and
      // the request awaited next fails with an AbortError.
      unwrap(tx.objectStore('readingHours')).add(row(T0));
      await tx.objectStore('readingHours').count();
    });
    await expect(refused).rejects.toMatchObject({ name: 'ConstraintError' });
    expect(await db.count('readingHours')).toBe(1);
    db.close();
  });

  it('turns a transaction that cannot even start into a StoreError', async () => {
    const db = await openKmpDb({ name: freshName() });
    db.close();
    await expect(writer(db)(['meters'], async () => undefined)).rejects.toMatchObject({
      name: 'StoreError',
      kind: 'unavailable',
    });
  });
});
