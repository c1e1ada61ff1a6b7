/**
 * Enforces the one direction of imports from ../shared/DESIGN.md:
 * ui → mqtt, store, link → kmp; sim → kmp; nothing imports ui but main.ts.
 * And keeps src/kmp pure: no DOM, no I/O, no timers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

const allowed: Record<string, readonly string[]> = {
  kmp: ['kmp'],
  link: ['kmp', 'link'],
  sim: ['kmp', 'sim'],
  store: ['kmp', 'store'],
  mqtt: ['kmp', 'store', 'mqtt'],
  ui: ['kmp', 'link', 'sim', 'store', 'mqtt', 'ui'],
  '.': ['kmp', 'link', 'sim', 'store', 'mqtt', 'ui', '.'],
};
const impureInKmp = /\b(window|document|navigator|setTimeout|setInterval|fetch|localStorage|indexedDB|process)\b/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : /\.ts$/.test(name) ? [p] : [];
  });
}

function layerOf(file: string): string {
  const rel = relative(src, file).split(sep);
  return rel.length === 1 ? '.' : rel[0]!;
}

const problems: string[] = [];
for (const file of files(src)) {
  const layer = layerOf(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(
    /(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g,
  )) {
    const spec = (m[1] ?? m[2])!;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src)) continue;
    const targetLayer = layerOf(target);
    if (!(allowed[layer] ?? []).includes(targetLayer)) {
      problems.push(`${relative(root, file)}: the ${layer} layer may not import from ${targetLayer} ('${spec}')`);
    }
  }
  if (layer === 'kmp') {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const hit = impureInKmp.exec(code);
    if (hit) problems.push(`${relative(root, file)}: src/kmp must stay pure, but uses '${hit[1]}'`);
  }
}

if (problems.length) {
  console.error(`Layering check failed (see ../shared/DESIGN.md):\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layering: ok');
