/**
 * Finds import circles among our own modules. Every kind of import counts: a type-only one
 * (a circle of types still ties two modules into one unit that can only be understood, moved
 * or tested together), a dynamic `import()`, a side-effect `import './x.ts'` and a re-export.
 */
import { dirname, resolve } from 'node:path';

/**
 * Every relative module specifier in a file's text: `import … from`, `export … from`,
 * `import './x.ts'`, `import('./x.ts')` (and so `typeof import('./x.ts')`), type-only or not.
 * Each match carries the whole statement in `statement` so a caller can see whether it is type-only.
 */
export function relativeImports(text: string): { spec: string; statement: string }[] {
  const pattern =
    /(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)|import\s+['"](\.[^'"]+)['"]/g;
  return [...text.matchAll(pattern)].map((m) => ({ spec: (m[1] ?? m[2] ?? m[3])!, statement: m[0] }));
}

/** The import graph of the given files (absolute path → text): each file to the files it imports among them. */
export function importGraph(sources: ReadonlyMap<string, string>): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [file, text] of sources) {
    const targets = relativeImports(text)
      .map(({ spec }) => resolve(dirname(file), spec))
      .filter((target) => sources.has(target));
    graph.set(file, [...new Set(targets)].sort());
  }
  return graph;
}

/**
 * Every elementary circle of the graph, each once, as the list of its files starting from its
 * smallest (by name) and ending where it started: `[a, b, a]`. Sorted, so the output is stable.
 */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const circles: string[][] = [];
  const nodes = [...graph.keys()].sort();
  const component = stronglyConnected(graph);
  for (const start of nodes) {
    // A circle is listed from its smallest file, so from `start` only larger files in its component are walked.
    const inReach = (n: string): boolean => n > start && component.get(n) === component.get(start);
    const path = [start];
    const onPath = new Set(path);
    const walk = (node: string): void => {
      for (const next of graph.get(node) ?? []) {
        if (next === start) circles.push([...path, start]);
        else if (inReach(next) && !onPath.has(next)) {
          path.push(next);
          onPath.add(next);
          walk(next);
          onPath.delete(next);
          path.pop();
        }
      }
    };
    walk(start);
  }
  return circles.sort((a, b) => a.join('\0').localeCompare(b.join('\0')));
}

/** A circle as people read it: `src/a.ts → src/b.ts → src/a.ts`, each file through `name`. */
export function circleText(circle: readonly string[], name: (file: string) => string = (f) => f): string {
  return circle.map(name).join(' → ');
}

/**
 * Tarjan's strongly connected components: which files can reach each other. A circle never
 * leaves its component, so the search for circles stays inside one.
 */
function stronglyConnected(graph: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const component = new Map<string, number>();
  const stack: string[] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node)!, low.get(next)!));
      } else if (!component.has(next)) {
        low.set(node, Math.min(low.get(node)!, index.get(next)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      let member: string;
      do {
        member = stack.pop()!;
        component.set(member, index.get(node)!);
      } while (member !== node);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return component;
}
