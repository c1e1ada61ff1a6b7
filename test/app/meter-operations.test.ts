/**
 * Scans and logger downloads are kept from the app layer, with no page and no DOM event
 * between the meter and the store.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { LOGGER_TYPE, SCAN_CANDIDATES } from '../../src/kmp/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { freshName } from '../store/helpers.ts';
import { closeApps, english, startApp } from './helpers.ts';

afterEach(closeApps);

async function connectedApp(model: '403' | '603' = '603') {
  const app = startApp(freshName());
  await app.ready;
  const meter = createVirtualMeter({ frozen: true, model });
  await app.session.connect(meter.port, { label: 'virtual', demo: true });
  const identity = await app.session.identify();
  return { app, meter, serial: identity.serial, db: (await app.store)! };
}

describe('MeterApp.scan', () => {
  it('keeps the result as the meter’s last scan, next to what it knows of the meter', async () => {
    const { app, serial, db } = await connectedApp('403');
    const { serial: of, record } = await app.scan(SCAN_CANDIDATES, 16);
    expect(of).toBe(serial);
    expect(record.supported.length + record.unsupported.length).toBeGreaterThan(0);
    const stored = await db.getMeter(serial);
    expect(stored?.lastScan).toEqual(record);
    expect(stored?.model).toBe(app.session.identity?.model);
  });

  it('reports a result it could not store, and still hands it back', async () => {
    const { app, db } = await connectedApp('403');
    const notices: string[] = [];
    app.notices.subscribe((said) => notices.push(english(said)!));
    db.putMeter = () => Promise.reject(new Error('disk gone'));
    const { record } = await app.scan(SCAN_CANDIDATES, 8);
    expect(record.supported.length).toBeGreaterThan(0);
    expect(notices).toEqual(['disk gone']);
  });
});

describe('MeterApp.downloadLogger', () => {
  it('stores the entries, and a second download asks only for what is new', async () => {
    const { app, serial, db } = await connectedApp();
    const progress: number[] = [];
    const first = await app.downloadLogger(LOGGER_TYPE.month, [60], { onProgress: (p) => progress.push(p.done) });
    expect(first.complete).toBe(true);
    expect(first.entries).toHaveLength(36);
    expect(progress.at(-1)).toBe(36);
    const stored = await db.loggerEntries(serial, LOGGER_TYPE.month);
    expect(stored.map((e) => e.id).sort((a, b) => a - b)).toEqual(first.entries.map((e) => e.id).sort((a, b) => a - b));

    const again = await app.downloadLogger(LOGGER_TYPE.month, [60]);
    expect(again.entries).toEqual([]);
    expect(await db.loggerEntries(serial, LOGGER_TYPE.month)).toHaveLength(36);
  });

  it('keeps what was read before a cancel, and goes on from there', async () => {
    const { app, serial, db } = await connectedApp();
    const abort = new AbortController();
    const cut = await app.downloadLogger(LOGGER_TYPE.month, [60], {
      signal: abort.signal,
      onProgress: (p) => {
        if (p.done > 0) abort.abort();
      },
    });
    expect(cut.complete).toBe(false);
    const kept = (await db.loggerEntries(serial, LOGGER_TYPE.month)).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(36);
    const rest = await app.downloadLogger(LOGGER_TYPE.month, [60]);
    expect(rest.entries).toHaveLength(36 - kept);
    expect(await db.loggerEntries(serial, LOGGER_TYPE.month)).toHaveLength(36);
  });

  it('refuses to download for a meter it cannot key the entries to', async () => {
    const app = startApp(freshName());
    await app.ready;
    const meter = createVirtualMeter({ frozen: true, model: '603' });
    await app.session.connect(meter.port, { label: 'virtual', demo: true });
    await expect(app.downloadLogger(LOGGER_TYPE.month, [60])).rejects.toThrow(/not been identified/);
    expect(meter.received).toEqual([]);
  });
});
