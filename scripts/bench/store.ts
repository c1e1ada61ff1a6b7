/**
 * A year of one-minute readings (525,600) in Chromium's real IndexedDB: insert rate, a 30-day
 * query, and the decimated chart series for 30 days and for the whole year.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

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
  try {
    const page = await browser.newPage();
    await page.goto(url);
    // Evaluated through the DevTools protocol: the app's CSP rightly refuses inline scripts.
    await page.evaluate(code);
    const r = await page.evaluate(
      (n) => (window as unknown as { __benchStore: (n: number) => Promise<StoreFigures> }).__benchStore(n),
      525_600,
    );
    return [
      `insert ${r.n} readings (6 values each): ${(r.insertMs / 1000).toFixed(1)} s, ${Math.round(r.n / (r.insertMs / 1000))} readings/s`,
      `30-day query (count ${r.count30} + latest ${r.latest} rows): ${r.queryMs.toFixed(0)} ms`,
      `chart series, 30 days (${r.count30} readings → ${r.points30} points): ${r.chart30Ms.toFixed(0)} ms`,
      `chart series, whole year (${r.n} readings → ${r.pointsYear} points): ${r.chartYearMs.toFixed(0)} ms`,
    ];
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await benchStore()).join('\n'));
