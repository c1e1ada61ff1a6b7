/** Runs inside Chromium for the store benchmark: real IndexedDB, not a Node imitation. */
import type { Reading } from '../../src/kmp/index.ts';
import { buildExport } from '../../src/store/export-json.ts';
import { importExport } from '../../src/store/import-json.ts';
import { KmpStore } from '../../src/store/kmp-store.ts';

const MINUTE = 60_000;

function reading(serial: number, takenAt: number, i: number): Reading {
  const t1 = (65 + 3 * Math.sin(i / 500)).toFixed(2);
  const t2 = (40 + 2 * Math.sin(i / 700)).toFixed(2);
  const energy = (100 + i * 0.001).toFixed(3);
  const flow = String(400 + (i % 97));
  const v = (id: number, unitCode: number, unit: string, decimal: string) => ({
    id,
    unitCode,
    unit,
    value: Number(decimal),
    decimal,
  });
  return {
    serial,
    takenAt,
    values: [
      v(60, 8, 'GJ', energy),
      v(86, 37, '°C', t1),
      v(87, 37, '°C', t2),
      v(74, 41, 'l/h', flow),
      v(80, 22, 'kW', '12.3'),
      v(68, 40, 'm³', (1000 + i * 0.007).toFixed(2)),
    ],
  };
}

async function run(n: number) {
  const store = await KmpStore.open({ name: `bench-${Date.now()}` });
  const serial = 71234567;
  const start = Date.UTC(2025, 0, 1);
  const batch = 5000;
  const t0 = performance.now();
  for (let i = 0; i < n; i += batch) {
    const rows: Reading[] = [];
    for (let j = i; j < Math.min(n, i + batch); j++) rows.push(reading(serial, start + j * MINUTE, j));
    await store.importAll([], rows);
  }
  const insertMs = performance.now() - t0;
  const end = start + n * MINUTE;
  const q0 = performance.now();
  const latest = await store.readings(serial, {
    from: end - 30 * 1440 * MINUTE,
    to: end,
    newestFirst: true,
    limit: 50,
  });
  const count30 = await store.countReadings(serial, end - 30 * 1440 * MINUTE, end);
  const queryMs = performance.now() - q0;
  const c0 = performance.now();
  const month = await store.series(serial, [86, 87], end - 30 * 1440 * MINUTE, end, 2000);
  const chart30Ms = performance.now() - c0;
  const y0 = performance.now();
  const year = await store.series(serial, [86, 87], start, end, 2000);
  const chartYearMs = performance.now() - y0;
  store.close();
  return {
    n,
    insertMs,
    queryMs,
    count30,
    latest: latest.length,
    chart30Ms,
    points30: month.times.length,
    chartYearMs,
    pointsYear: year.times.length,
  };
}

/**
 * Restoring a JSON export of `n` one-minute readings into an empty database (checking the file
 * included), then the same file again (everything already there), with the progress calls counted.
 */
async function restore(n: number) {
  const serial = 71234567;
  const start = Date.UTC(2025, 0, 1);
  const rows: Reading[] = [];
  for (let j = 0; j < n; j++) rows.push(reading(serial, start + j * MINUTE, j));
  const text = JSON.stringify(buildExport([{ serial, model: 'MULTICAL 603' }], rows));
  rows.length = 0;
  const store = await KmpStore.open({ name: `bench-restore-${Date.now()}` });
  let progressCalls = 0;
  const t0 = performance.now();
  const first = await importExport(store, text, { onProgress: () => progressCalls++ });
  const restoreMs = performance.now() - t0;
  const a0 = performance.now();
  const again = await importExport(store, text);
  const againMs = performance.now() - a0;
  const count = await store.countReadings(serial);
  store.close();
  return {
    n,
    megabytes: text.length / 1e6,
    restoreMs,
    stored: first.readings,
    progressCalls,
    againMs,
    skipped: again.skipped,
    count,
  };
}

(window as unknown as { __benchStore: typeof run }).__benchStore = run;
(window as unknown as { __benchRestore: typeof restore }).__benchRestore = restore;
