/**
 * The lint set-up itself: `npm run lint` must refuse what it is there to refuse. Each case
 * writes a small file inside the type-checked project, lints it the way the script does, and
 * removes it again.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const probe = join(root, 'test/tooling/lint-probe.generated.ts');

afterEach(() => rmSync(probe, { force: true }));

async function lint(code: string): Promise<string[]> {
  writeFileSync(probe, code);
  const [result] = await new ESLint({ cwd: root }).lintFiles([probe]);
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe('npm run lint', () => {
  it('refuses a floating promise', { timeout: 60_000 }, async () => {
    const rules = await lint(
      'async function save(): Promise<void> {}\nexport function onClick(): void {\n  save();\n}\n',
    );
    expect(rules).toContain('@typescript-eslint/no-floating-promises');
  });

  it('accepts the same code once the promise is handled', { timeout: 60_000 }, async () => {
    const rules = await lint(
      'async function save(): Promise<void> {}\nexport function onClick(): void {\n  void save();\n}\n',
    );
    expect(rules).toEqual([]);
  });

  it('refuses an async listener where a void one is expected', { timeout: 60_000 }, async () => {
    const rules = await lint(
      "export function wire(el: HTMLElement): void {\n  el.addEventListener('click', async () => {\n    await Promise.resolve();\n  });\n}\n",
    );
    expect(rules).toContain('@typescript-eslint/no-misused-promises');
  });

  it('refuses a file Prettier would format differently', async () => {
    const options = { ...(await prettier.resolveConfig(probe)), filepath: probe };
    expect(await prettier.check('export const a = { b:1 }\n', options)).toBe(false);
    expect(await prettier.check('export const a = { b: 1 };\n', options)).toBe(true);
  });
});
