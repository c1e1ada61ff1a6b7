import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
// Straight from the module: the store's index imports the checks statically.
import { KmpStore } from '../../src/store/kmp-store.ts';

// The field checks load with the first write, the series code with the first chart, the logger
// entries' code with the Meter history page, the bulk writes with History or Settings, the
// restore with the first file restored; here their files never arrive (offline before the app
// was fully installed, or an update half-way).
vi.mock('../../src/store/validate.ts', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});
vi.mock('../../src/store/series-read.ts', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});
vi.mock('../../src/store/logger-store.ts', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});
vi.mock('../../src/store/bulk-writes.ts', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});
vi.mock('../../src/store/restore.ts', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

const T0 = Date.UTC(2026, 0, 1);
const reading = {
  serial: 7,
  takenAt: T0,
  values: [{ id: 60, unitCode: 8, unit: 'GJ', value: 55.006, decimal: '55.006' }],
};

describe('KmpStore when a part it loads on demand does not arrive', () => {
  it('refuses a write, saying why, and writes nothing', async () => {
    const store = await KmpStore.open({ name: `kmp-lazy-checks-${process.pid}` });
    const refused = store.saveReading(reading, { outbox: true });
    await expect(refused).rejects.toMatchObject({ name: 'StoreError', kind: 'not-loaded' });
    await expect(refused).rejects.toThrow(/Part of the app did not load .* so nothing was read or saved/);
    await expect(store.putMeter({ serial: 7 })).rejects.toMatchObject({ kind: 'not-loaded' });
    await expect(store.clearMeter(7)).rejects.toMatchObject({ kind: 'not-loaded' });
    expect(await store.countReadings(7)).toBe(0);
    expect(await store.outboxCount()).toBe(0);
    expect(await store.getMeter(7)).toBeUndefined();
    // Reading what is stored needs no checks; a chart and a meter's logs need their code.
    expect(await store.readings(7)).toEqual([]);
    await expect(store.series(7, [60], 0, T0)).rejects.toMatchObject({ kind: 'not-loaded' });
    await expect(store.loggerSummary(7)).rejects.toMatchObject({ kind: 'not-loaded' });
    store.close();
  });

  it('refuses a restore, saying why, and lets the next one try again', async () => {
    const store = await KmpStore.open({ name: `kmp-lazy-restore-${process.pid}` });
    const refused = store.restore([{ serial: 7 }], [reading]);
    await expect(refused).rejects.toMatchObject({ name: 'StoreError', kind: 'not-loaded' });
    await expect(refused).rejects.toThrow(/Part of the app did not load .* so nothing was read or saved/);
    expect(store.restoring).toBe(false);
    await expect(store.restore([], [])).rejects.toMatchObject({ kind: 'not-loaded' });
    expect(await store.countReadings(7)).toBe(0);
    expect(await store.getMeter(7)).toBeUndefined();
    store.close();
  });
});
