/**
 * What the browser loads, gzipped. Builds the app with Vite's manifest and measures:
 * - the first screen: the entry script and everything it preloads, what must arrive before
 *   the shell (header and tabs) draws, against its goal;
 * - the Meter page ready to connect: the first screen with the app layer and the Meter page's
 *   module, which main.ts loads side by side at once;
 * - each other page: what opening its tab adds to that, against the page goal (its heavy parts,
 *   the chart and the YAML parser, load at their first use, not with the page);
 * then every chunk that loads only when used.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const FIRST_SCREEN_GOAL_KB = 30;
const PAGE_GOAL_KB = 20;
const root = new URL('../../', import.meta.url).pathname;
const dist = join(root, 'dist');

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  dynamicImports?: string[];
}
type Manifest = Record<string, ManifestChunk>;

const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length / 1024;
const kb = (files: Iterable<string>) => [...files].reduce((n, f) => n + gz(f), 0);

/** The files a chunk needs before it runs: itself and its static imports, transitively. */
function closure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const k of chunk.imports ?? []) closure(manifest, k, into);
  return into;
}

const minus = (a: Set<string>, b: Set<string>) => new Set([...a].filter((f) => !b.has(f)));
const verdict = (n: number, goal: number) =>
  `${n.toFixed(1)} KB gzip (goal ≤ ${goal} KB): ${n <= goal ? 'met' : 'NOT MET'}`;

export async function benchBundleSize(): Promise<string[]> {
  execFileSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error', '--manifest'],
    { cwd: root, env: { ...process.env, NODE_ENV: 'production' } },
  );
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Manifest;
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const first = new Set(
    [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.\/([^"]+\.js)"/g)].map(
      (m) => m[1]!,
    ),
  );
  // The pages are the dynamic imports under src/ui/pages (their table: src/ui/pages/index.ts).
  const pageKeys = [...new Set(Object.values(manifest).flatMap((c) => c.dynamicImports ?? []))].filter((k) =>
    k.startsWith('src/ui/pages/'),
  );
  const meterKey = pageKeys.find((k) => k.endsWith('/meter/meter-page.ts'));
  const ready = new Set(first);
  for (const key of ['src/ui/services/start-services.ts', meterKey ?? '']) closure(manifest, key, ready);
  const lines = [
    `first screen (the shell, before it draws): ${first.size} script(s), ${verdict(kb(first), FIRST_SCREEN_GOAL_KB)}`,
    ...[...first].map((f) => `  ${f.padEnd(48)} ${gz(f).toFixed(1).padStart(6)} KB`),
    `the Meter page ready to connect (first screen + app layer + Meter page, loaded at start): ${ready.size} script(s), ${kb(ready).toFixed(1)} KB gzip`,
    ...[...ready].filter((f) => !first.has(f)).map((f) => `  ${f.padEnd(48)} ${gz(f).toFixed(1).padStart(6)} KB`),
    'each other page (and lazy part of a page), what loading it adds:',
  ];
  for (const key of pageKeys.filter((k) => k !== meterKey)) {
    const adds = minus(closure(manifest, key), ready);
    lines.push(`  ${key.replace('src/ui/pages/', '').padEnd(48)} ${verdict(kb(adds), PAGE_GOAL_KB)}`);
  }
  const all = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js'));
  lines.push(
    'every chunk loaded only when used:',
    ...all
      .filter((f) => !first.has(`assets/${f}`))
      .map((f) => `  assets/${f.padEnd(41)} ${gz(`assets/${f}`).toFixed(1).padStart(6)} KB`),
  );
  return lines;
}

if (import.meta.url === `file://${process.argv[1]}`) console.log((await benchBundleSize()).join('\n'));
