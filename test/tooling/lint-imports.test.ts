/**
 * The layering check: which layer may import which (usb takes only the port type from link, and
 * only as `import type`), and no import circle among our modules.
 */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { circleText, importCircles } from '../../scripts/import-circles.ts';
import { circleProblems, importProblems } from '../../scripts/lint-imports.ts';

const src = resolve(import.meta.dirname, '../../src');
const usbFile = join(src, 'usb', 'probe.ts');

describe('lint-imports for src/usb', () => {
  it('allows `import type` of link/serial-port-like.ts', () => {
    expect(importProblems(usbFile, "import type { SerialPortLike } from '../link/serial-port-like.ts';\n")).toEqual([]);
  });

  it('refuses a value import from link, even of the same file', () => {
    expect(
      importProblems(usbFile, "import { isTransientReadError } from '../link/serial-port-like.ts';\n"),
    ).toHaveLength(1);
    expect(
      importProblems(usbFile, "import { type SerialPortLike } from '../link/serial-port-like.ts';\n"),
    ).toHaveLength(1);
    expect(importProblems(usbFile, "import { KmpClient } from '../link/kmp-client.ts';\n")[0]).toMatch(
      /only `import type`/,
    );
  });

  it('refuses a type import of anything else in link, and any other layer', () => {
    expect(importProblems(usbFile, "import type { KmpClient } from '../link/kmp-client.ts';\n")).toHaveLength(1);
    expect(importProblems(usbFile, "import { encodeFrame } from '../kmp/index.ts';\n")[0]).toMatch(
      /may not import from kmp/,
    );
  });

  it('lets ui load usb (dynamically) and keeps link from importing usb', () => {
    expect(importProblems(join(src, 'ui', 'probe.ts'), "const m = await import('../usb/index.ts');\n")).toEqual([]);
    expect(
      importProblems(join(src, 'link', 'probe.ts'), "import { UsbSerialPort } from '../usb/index.ts';\n"),
    ).toHaveLength(1);
  });
});

describe('lint-imports for src/app', () => {
  const appFile = join(src, 'app', 'probe.ts');

  it('lets app use the layers below it, and be used by ui and main.ts', () => {
    for (const spec of ['../kmp/index.ts', '../link/index.ts', '../store/kmp-store.ts', '../mqtt/index.ts', './x.ts'])
      expect(importProblems(appFile, `import { x } from '${spec}';\n`)).toEqual([]);
    expect(importProblems(join(src, 'ui', 'probe.ts'), "import { x } from '../app/meter-app.ts';\n")).toEqual([]);
    expect(importProblems(join(src, 'main.ts'), "import { MeterApp } from './app/meter-app.ts';\n")).toEqual([]);
  });

  it('keeps the pages, the demo meter and the USB drivers out of app, types included', () => {
    for (const layer of ['ui', 'sim', 'usb'])
      expect(importProblems(appFile, `import type { X } from '../${layer}/index.ts';\n`)[0]).toMatch(
        new RegExp(`the app layer may not import from ${layer}`),
      );
  });

  it('keeps the layers below app from importing it', () => {
    for (const layer of ['kmp', 'link', 'store', 'mqtt', 'sim', 'usb'])
      expect(
        importProblems(join(src, layer, 'probe.ts'), "import { MeterApp } from '../app/meter-app.ts';\n"),
      ).toHaveLength(1);
  });
});

describe('lint-imports: import circles', () => {
  const file = (name: string): string => join(src, 'store', name);
  const sources = (texts: Record<string, string>): Map<string, string> =>
    new Map(Object.entries(texts).map(([name, text]) => [file(name), text]));

  it('finds a circle and names it as a readable path from its smallest file', () => {
    const problems = circleProblems(
      sources({
        'b.ts': "import { c } from './c.ts';\n",
        'a.ts': "import { b } from './b.ts';\n",
        'c.ts': "import { a } from './a.ts';\n",
      }),
    );
    expect(problems).toEqual(['import circle: src/store/a.ts → src/store/b.ts → src/store/c.ts → src/store/a.ts']);
  });

  it('finds a circle made of type-only imports', () => {
    expect(
      circleProblems(
        sources({
          'a.ts': "import type { B } from './b.ts';\n",
          'b.ts': "import type { A } from './a.ts';\n",
        }),
      ),
    ).toEqual(['import circle: src/store/a.ts → src/store/b.ts → src/store/a.ts']);
  });

  it('counts a dynamic import(), a side-effect import and a re-export as edges', () => {
    const circles = (a: string): string[] =>
      circleProblems(sources({ 'a.ts': a, 'b.ts': "export { a } from './a.ts';\n" }));
    expect(circles("const m = await import('./b.ts');\n")).toHaveLength(1);
    expect(circles("type M = typeof import('./b.ts');\n")).toHaveLength(1);
    expect(circles("import './b.ts';\n")).toHaveLength(1);
    expect(circles("export * from './b.ts';\n")).toHaveLength(1);
  });

  it('finds no circle in a diamond (a → b, a → c, b → d, c → d)', () => {
    expect(
      circleProblems(
        sources({
          'a.ts': "import { b } from './b.ts';\nimport { c } from './c.ts';\n",
          'b.ts': "import { d } from './d.ts';\n",
          'c.ts': "import type { D } from './d.ts';\n",
          'd.ts': 'export const d = 1;\n',
        }),
      ),
    ).toEqual([]);
  });

  it('lists each elementary circle of a knot once, and a file importing itself', () => {
    const graph = new Map([
      ['a', ['b', 'c']],
      ['b', ['a', 'c']],
      ['c', ['a']],
      ['d', ['d']],
    ]);
    expect(importCircles(graph).map((c) => circleText(c))).toEqual([
      'a → b → a',
      'a → b → c → a',
      'a → c → a',
      'd → d',
    ]);
  });

  it('tolerates exactly the listed circles, and reports a listed one that is gone', () => {
    const knot = sources({ 'a.ts': "import { b } from './b.ts';\n", 'b.ts': "import { a } from './a.ts';\n" });
    const named = 'src/store/a.ts → src/store/b.ts → src/store/a.ts';
    expect(circleProblems(knot, [named])).toEqual([]);
    expect(circleProblems(sources({ 'a.ts': '', 'b.ts': '' }), [named])).toEqual([
      `tolerated import circle is gone, drop it: ${named}`,
    ]);
  });
});
