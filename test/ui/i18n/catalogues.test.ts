/**
 * The catalogues are whole and current: every message of the code is in each language's XLIFF
 * with a translation that keeps its placeholders, and the files made from them (the layers'
 * msg() calls, the locale modules) are what `npm run i18n` would write now.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { GENERATED_PATH, generateLayerWords } from '../../../scripts/i18n-words.ts';
import { LANGUAGE_CHOICES } from '../../../src/store/settings-import-types.ts';
import { allLocales, targetLocales } from '../../../src/ui/i18n/locale-codes.ts';
import { TARGET_LANGUAGES, readCatalogue } from '../../support/catalogue.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('catalogues', () => {
  it('the languages of settings, lit-localize and the tests are the same five', () => {
    expect([...LANGUAGE_CHOICES].filter((c) => c !== 'auto').sort()).toEqual([...allLocales].sort());
    expect([...targetLocales].sort()).toEqual([...TARGET_LANGUAGES]);
  });

  for (const lang of TARGET_LANGUAGES)
    it(`${lang}: every message translated, placeholders kept, none left in English by mistake`, () => {
      const entries = readCatalogue(lang);
      expect(entries.length).toBeGreaterThan(400);
      expect(entries.filter((e) => e.target === undefined || e.target.trim() === '').map((e) => e.id)).toEqual([]);
      const dropped = entries.filter(
        (e) => [...e.sourcePlaceholders].sort().join() !== [...e.targetPlaceholders].sort().join(),
      );
      expect(dropped.map((e) => `${e.id}: ${e.source} → ${e.target}`)).toEqual([]);
      // A translation the same as its English is fine for a name or a unit, not for a sentence.
      const same = entries.filter((e) => e.target === e.source && /[a-z]{3,} [a-z]{3,} [a-z]{3,}/.test(e.source));
      expect(same.map((e) => `${e.id}: ${e.source}`)).toEqual([]);
    });

  it('the layers’ words are generated from their sentence tables as they are now', async () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(await generateLayerWords());
  });

  it('the catalogues hold exactly the messages of the code, and the locale modules are built from them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kmp-i18n-'));
    const config = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8')) as {
      interchange: { xliffDir: string };
      output: { outputDir: string; localeCodesModule: string };
    };
    // Extract into a copy of the catalogues (extraction keeps their translations) and build from it.
    const xliffDir = join(dir, 'xliff');
    execFileSync('mkdir', ['-p', xliffDir]);
    for (const f of readdirSync(join(root, config.interchange.xliffDir)))
      writeFileSync(join(xliffDir, f), readFileSync(join(root, config.interchange.xliffDir, f)));
    config.interchange.xliffDir = xliffDir;
    config.output.outputDir = join(dir, 'locales');
    config.output.localeCodesModule = join(dir, 'locale-codes.ts');
    const configPath = join(root, `.lit-localize-check-${process.pid}.json`);
    writeFileSync(configPath, JSON.stringify(config));
    try {
      const cli = join(root, 'node_modules/@lit/localize-tools/bin/lit-localize.js');
      execFileSync(process.execPath, [cli, 'extract', '--config', configPath], { cwd: root, stdio: 'pipe' });
      execFileSync(process.execPath, [cli, 'build', '--config', configPath], { cwd: root, stdio: 'pipe' });
    } finally {
      execFileSync('rm', ['-f', configPath]);
    }
    for (const lang of TARGET_LANGUAGES) {
      expect(readFileSync(join(xliffDir, `${lang}.xlf`), 'utf8'), `${lang}.xlf is out of date: npm run i18n`).toBe(
        readFileSync(join(root, 'src/ui/i18n/xliff', `${lang}.xlf`), 'utf8'),
      );
      const prettier = join(root, 'node_modules/prettier/bin/prettier.cjs');
      const built = execFileSync(process.execPath, [prettier, '--stdin-filepath', `src/ui/i18n/locales/${lang}.ts`], {
        cwd: root,
        input: readFileSync(join(dir, 'locales', `${lang}.ts`)),
      }).toString();
      expect(built, `locales/${lang}.ts is out of date: npm run i18n`).toBe(
        readFileSync(join(root, 'src/ui/i18n/locales', `${lang}.ts`), 'utf8'),
      );
    }
  }, 60_000);
});
