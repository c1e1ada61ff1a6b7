/** The layering check: usb may take only the port type from link, and only as `import type`. */
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importProblems } from '../../scripts/lint-imports.ts';

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
