/**
 * Enforces the one direction of imports (docs/architecture.md#imports):
 * ui → app → mqtt, store, link → kmp; sim → kmp; usb → nothing of ours but the port type;
 * nothing imports ui but main.ts. And keeps src/kmp pure: no DOM, no I/O, no timers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { circleText, importCircles, importGraph, relativeImports } from './import-circles.ts';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');

const allowed: Record<string, readonly string[]> = {
  kmp: ['kmp'],
  link: ['kmp', 'link'],
  sim: ['kmp', 'sim'],
  store: ['kmp', 'store'],
  mqtt: ['kmp', 'store', 'mqtt'],
  ha: ['kmp', 'store', 'mqtt', 'ha'],
  // usb reaches into link for one thing only: `import type` of the port interface (see below).
  usb: ['usb', 'link'],
  // What happens to data, without the DOM: no pages, no demo meter, no USB drivers.
  app: ['kmp', 'link', 'store', 'mqtt', 'ha', 'app'],
  ui: ['kmp', 'link', 'sim', 'store', 'mqtt', 'ha', 'usb', 'app', 'ui'],
  '.': ['kmp', 'link', 'sim', 'store', 'mqtt', 'ha', 'usb', 'app', 'ui', '.'],
};

/**
 * The only import usb may make from link: a type-only one of the port interface, erased at build
 * time, so the drivers stay free of link's code (and link's of theirs). `import { type X }` is not
 * enough: under verbatimModuleSyntax it still loads the module.
 */
const USB_LINK_TYPE = join(src, 'link', 'serial-port-like.ts');

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

/** What is wrong with the imports of one file under src/ (an absolute path), given its text. */
export function importProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  const layer = layerOf(file);
  for (const { spec, statement } of relativeImports(text)) {
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(src)) continue;
    const targetLayer = layerOf(target);
    if (!(allowed[layer] ?? []).includes(targetLayer)) {
      problems.push(`${relative(root, file)}: the ${layer} layer may not import from ${targetLayer} ('${spec}')`);
    } else if (layer === 'usb' && targetLayer === 'link') {
      const typeOnly = /^import\s+type\s/.test(statement);
      if (!typeOnly || target !== USB_LINK_TYPE)
        problems.push(
          `${relative(root, file)}: the usb layer may only \`import type\` link/serial-port-like.ts ('${spec}')`,
        );
    }
  }
  if (layer === 'kmp') {
    const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    const hit = impureInKmp.exec(code);
    if (hit) problems.push(`${relative(root, file)}: src/kmp must stay pure, but uses '${hit[1]}'`);
  }
  return problems;
}

/**
 * The import circles among the given files (absolute path → text), each as one problem naming its
 * path, except those in `tolerated` (circle texts as this reports them); a tolerated circle that
 * is gone is a problem too, so the list only ever shrinks.
 */
export function circleProblems(sources: ReadonlyMap<string, string>, tolerated: readonly string[] = []): string[] {
  const found = importCircles(importGraph(sources)).map((c) => circleText(c, (f) => relative(root, f)));
  return [
    ...found.filter((c) => !tolerated.includes(c)).map((c) => `import circle: ${c}`),
    ...tolerated.filter((c) => !found.includes(c)).map((c) => `tolerated import circle is gone, drop it: ${c}`),
  ];
}

function main(): void {
  const sources = new Map(files(src).map((file) => [file, readFileSync(file, 'utf8')] as const));
  const problems = [...[...sources].flatMap(([file, text]) => importProblems(file, text)), ...circleProblems(sources)];
  if (problems.length) {
    console.error(`Layering check failed (see docs/architecture.md):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('layering: ok');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
