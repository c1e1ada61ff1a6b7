/**
 * The lint set-up itself: `npm run lint` must refuse what it is there to refuse. Each case
 * writes a small file inside the type-checked project, lints it the way the script does, and
 * removes it again.
 */
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const probe = join(root, 'test/tooling/lint-probe.generated.ts');

afterEach(() => rmSync(probe, { force: true }));

/** lit-analyzer on the probe alone, with the project's rules (tsconfig.json); its exit code and output. */
async function analyzeTemplates(code: string): Promise<{ code: number; output: string }> {
  writeFileSync(probe, code);
  const cli = join(root, 'node_modules/lit-analyzer/cli.js');
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [cli, '--maxWarnings', '0', probe], { cwd: root });
    return { code: 0, output: stdout };
  } catch (err) {
    const { code, stdout } = err as { code: number; stdout: string };
    return { code, output: stdout };
  }
}

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

  const inputOfType = (type: string): string =>
    `import { html } from 'lit';\nexport const field = (type: ${type}) => html\`<input type=\${type} />\`;\n`;

  it('refuses a plain string bound to an attribute that takes one of a few words', { timeout: 60_000 }, async () => {
    const { code, output } = await analyzeTemplates(inputOfType('string'));
    expect(code).not.toBe(0);
    expect(output).toMatch(/no-incompatible-type-binding/);
  });

  it('accepts the binding once its type names the allowed words', { timeout: 60_000 }, async () => {
    expect(await analyzeTemplates(inputOfType("'text' | 'number'"))).toMatchObject({ code: 0 });
  });
});
