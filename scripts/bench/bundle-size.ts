/**
 * First-screen weight: builds the app and measures, gzipped, the JavaScript the first screen
 * loads (the entry script and everything it preloads) against the 40 KB budget, and lists
 * the chunks that load only when used (demo meter, MQTT, charts).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 40;
const root = new URL('../../', import.meta.url).pathname;
const dist = join(root, 'dist');

const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;

export async function benchBundleSize(): Promise<string[]> {
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const first = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.\/([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  const firstKb = first.reduce((n, f) => n + gz(f), 0);
  const lazy = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !first.includes(`assets/${f}`));
  return [
    `first screen: ${first.length} script(s), ${firstKb.toFixed(1)} KB gzip (budget ${BUDGET_KB} KB): ${firstKb <= BUDGET_KB ? 'within budget' : 'OVER BUDGET'}`,
    ...first.map((f) => `  ${f.padEnd(48)} ${gz(f).toFixed(1).padStart(6)} KB`),
    'loaded only when used:',
    ...lazy.map((f) => `  assets/${f.padEnd(41)} ${gz(`assets/${f}`).toFixed(1).padStart(6)} KB`),
  ];
}
