/**
 * A year of one-minute readings (525,600) in Chromium's real IndexedDB: insert rate, a 30-day
 * query, the decimated chart series for 30 days and for the whole year, and restoring a JSON
 * export of a year (into an empty database, then the same file again). Run twice, each round in
 * fresh pages, with the goals beside the figures: timings on a shared machine vary.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

interface RestoreFigures {
  n: number;
  megabytes: number;
  restoreMs: number;
  stored: number;
  progressCalls: number;
  againMs: number;
  skipped: number;
  count: number;
}

interface StoreFigures {
  n: number;
  insertMs: number;
  queryMs: number;
  count30: number;
  latest: number;
  chart30Ms: number;
  points30: number;
  chartYearMs: number;
  pointsYear: number;
}

/** The goals the store is held to (reported, never asserted). */
const INSERT_GOAL_PER_S = 20_000;
const RESTORE_GOAL_S = 15;
const ROUNDS = 2;

export async function benchStore(): Promise<string[]> {
  const code = (
    await build({
      entryPoints: [join(import.meta.dirname, 'store-entry.ts')],
      bundle: true,
      format: 'iife',
      write: false,
      target: 'es2022',
    })
  ).outputFiles[0]!.text;
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const address = server.httpServer.address();
  const url = `http://127.0.0.1:${address && typeof address !== 'string' ? address.port : 0}/`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const lines: string[] = [];
  try {
    for (let round = 1; round <= ROUNDS; round++) lines.push(`round ${round} of ${ROUNDS}:`, ...(await measure()));
    return lines;
  } finally {
    await browser.close();
    await server.close();
  }

  async function measure(): Promise<string[]> {
    const page = await browser.newPage();
    await page.goto(url);
    // Evaluated through the DevTools protocol: the app's CSP rightly refuses inline scripts.
    await page.evaluate(code);
    const r = await page.evaluate(
      (n) => (window as unknown as { __benchStore: (n: number) => Promise<StoreFigures> }).__benchStore(n),
      525_600,
    );
    // A fresh page, so the year inserted above does not share the heap with the export's text.
    const restorePage = await browser.newPage();
    await restorePage.goto(url);
    await restorePage.evaluate(code);
    const x = await restorePage.evaluate(
      (n) => (window as unknown as { __benchRestore: (n: number) => Promise<RestoreFigures> }).__benchRestore(n),
      525_600,
    );
    await page.close();
    await restorePage.close();
    const perS = Math.round(r.n / (r.insertMs / 1000));
    const restoreS = x.restoreMs / 1000;
    return [
      `insert ${r.n} readings (6 values each): ${(r.insertMs / 1000).toFixed(1)} s, ${perS} readings/s (goal ≥ ${INSERT_GOAL_PER_S}: ${perS >= INSERT_GOAL_PER_S ? 'met' : 'NOT MET'})`,
      `30-day query (count ${r.count30} + latest ${r.latest} rows): ${r.queryMs.toFixed(0)} ms`,
      `chart series, 30 days (${r.count30} readings → ${r.points30} points): ${r.chart30Ms.toFixed(0)} ms`,
      `chart series, whole year (${r.n} readings → ${r.pointsYear} points): ${r.chartYearMs.toFixed(0)} ms`,
      `restore a JSON export of ${x.n} readings (${x.megabytes.toFixed(0)} MB) into an empty database: ${restoreS.toFixed(1)} s (goal ≤ ${RESTORE_GOAL_S} s: ${restoreS <= RESTORE_GOAL_S ? 'met' : 'NOT MET'}), ${x.stored} stored, ${x.progressCalls} progress reports`,
      `the same file again (all ${x.skipped} already there): ${(x.againMs / 1000).toFixed(1)} s; ${x.count} readings in the database`,
    ];
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await benchStore()).join('\n'));
