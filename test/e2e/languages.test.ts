/**
 * Every page in each language the app speaks, as a person in that country sees it: a browser set
 * to the language, light and dark, a 390 px phone and a 1280 px desktop, before and after a demo
 * reading and after each fault the demo meter can make (a damaged reply, a sleeping optical port,
 * an info code, a pulled cable). On every one: no English sentence left, nothing wider than the
 * screen, and axe-core finds no violation. The page is driven by the names a person there reads
 * (test/support/catalogue.ts), so an untranslated button fails here too.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { TARGET_LANGUAGES, readCatalogue, translator } from '../support/catalogue.ts';
import { openApp, useAppServer } from './harness.ts';
import { axeViolations, overflow } from './page-checks.ts';

const env = useAppServer();

const PAGES = ['Meter', 'Alignment', 'Scan', 'Frame log', 'History', 'Meter history', 'Publish', 'Settings'];
const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

/**
 * Words that mark a line as English: common in English prose, absent from Danish, German, Dutch
 * and Swedish prose (so "was", "will", "in", "is", "meter", "register" are not here: they are
 * words of those languages too).
 */
const ENGLISH_MARKERS = [
  'the',
  'and',
  'with',
  'your',
  'this',
  'from',
  'which',
  'that',
  'not',
  'are',
  'been',
  'when',
  'what',
  'have',
  'has',
  'there',
  'they',
  'would',
  'could',
  'should',
  'into',
  'only',
  'than',
  'then',
  'before',
  'after',
  'please',
  'choose',
  'reading',
  'readings',
  'every',
  'each',
  'without',
  'about',
  'again',
];

/**
 * Text that is English in every language, and why: what the meter or the app's data says, not the app.
 * Kept short; each entry is matched against a whole line.
 */
const SAME_IN_EVERY_LANGUAGE: RegExp[] = [
  // The virtual meter's name and model line, as a real meter identifies itself.
  /^MULTICAL® ?\d+/,
];

interface Shown {
  text: string;
  where: string;
}

/** Every line of text a person sees (and the labels a screen reader says), looking through shadow roots. */
async function shownText(page: Page): Promise<Shown[]> {
  return page.evaluate(() => {
    const out: { text: string; where: string }[] = [];
    const skip = (el: Element) =>
      el.closest('code, pre, kbd, samp, [translate="no"]') !== null ||
      (el.getAttribute('lang') !== null && el.getAttribute('lang') !== document.documentElement.lang);
    const visit = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) visit(el.shadowRoot);
        if (skip(el) || el.tagName === 'STYLE' || el.tagName === 'SCRIPT') continue;
        const visible = el.tagName === 'OPTION' || el.checkVisibility?.({ checkVisibilityCSS: true }) !== false;
        if (!visible) continue;
        const own = [...el.childNodes]
          .filter((n) => n.nodeType === Node.TEXT_NODE)
          .map((n) => n.textContent ?? '')
          .join('')
          .replace(/\s+/g, ' ')
          .trim();
        const where = el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '');
        if (own) out.push({ text: own, where });
        for (const attr of ['aria-label', 'title', 'placeholder', 'alt']) {
          const v = el.getAttribute(attr);
          if (v?.trim()) out.push({ text: v.trim(), where: `${where}[${attr}]` });
        }
      }
    };
    visit(document);
    return out;
  });
}

/** The English messages whose translation differs: any of them on the page is text left untranslated. */
function untranslatedSources(lang: string): { exact: Set<string>; patterns: RegExp[] } {
  const exact = new Set<string>();
  const patterns: RegExp[] = [];
  for (const e of readCatalogue(lang)) {
    if (e.target === undefined || e.target === e.source) continue;
    const plain = e.source
      .replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    if (e.sourcePlaceholders.length === 0) exact.add(plain);
    else {
      const parts = plain.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      // Only sentences with enough fixed words to be recognised without their parameters.
      if (parts.join('').replace(/\W/g, '').length >= 12) patterns.push(new RegExp(`^${parts.join('.*')}$`));
    }
  }
  return { exact, patterns };
}

function englishLeft(shown: Shown[], lang: string): string[] {
  const { exact, patterns } = untranslatedSources(lang);
  const found: string[] = [];
  for (const { text, where } of shown) {
    if (SAME_IN_EVERY_LANGUAGE.some((r) => r.test(text))) continue;
    const words = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
    const markers = ENGLISH_MARKERS.filter((w) => words.has(w));
    if (exact.has(text) || patterns.some((p) => p.test(text)) || markers.length >= 2)
      found.push(`${where}: "${text.slice(0, 120)}"`);
  }
  return found;
}

async function check(page: Page, lang: string, label: string, width: number): Promise<string[]> {
  await page.waitForTimeout(150);
  const problems: string[] = [];
  const wider = await overflow(page, width);
  if (wider > 0) problems.push(`${label}: ${wider} px wider than the screen`);
  for (const e of englishLeft(await shownText(page), lang)) problems.push(`${label}: English left at ${e}`);
  for (const v of await axeViolations(page)) problems.push(`${label}: ${v}`);
  return problems;
}

async function everyPage(page: Page, lang: string, t: (en: string) => string, label: string, width: number) {
  const problems: string[] = [];
  for (const title of PAGES) {
    await page
      .getByRole('tab', { name: t(title), exact: true })
      .click()
      .catch(async (e: unknown) => {
        // Say what the page showed instead: which tabs, in which language.
        const tabs = await page.getByRole('tab').allInnerTexts();
        const shown = await page.evaluate(() => document.documentElement.lang);
        throw new Error(`${label}: no tab "${t(title)}"; the tabs were ${tabs.join(', ')} (lang ${shown})`, {
          cause: e,
        });
      });
    await page.waitForFunction(
      (loading) => !document.querySelector('kmp-app')?.shadowRoot?.textContent?.includes(loading),
      t('Loading…'),
    );
    problems.push(...(await check(page, lang, `${label} ${title}`, width)));
  }
  return problems;
}

describe('every page in every language', () => {
  for (const lang of TARGET_LANGUAGES)
    it(`${lang}: every page, light and dark, 390 and 1280 px, after a reading and each demo fault`, async () => {
      const t = translator(lang);
      const problems: string[] = [];
      for (const viewport of VIEWPORTS)
        for (const colorScheme of ['light', 'dark'] as const) {
          const label = `${lang} ${viewport.name} ${colorScheme}`;
          const context = await env.newContext({
            locale: lang,
            viewport: { width: viewport.width, height: viewport.height },
            colorScheme,
            isMobile: viewport.name === 'phone',
            hasTouch: viewport.name === 'phone',
          });
          const page = await openApp(context, env.url);
          await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
          problems.push(...(await everyPage(page, lang, t, `${label} empty`, viewport.width)));

          await page.getByRole('tab', { name: t('Meter'), exact: true }).click();
          await page.getByRole('button', { name: t('Demo meter') }).click();
          await page.getByTestId('readings').waitFor({ timeout: 20_000 });
          problems.push(...(await everyPage(page, lang, t, `${label} with data`, viewport.width)));

          // Each fault of the demo meter, then a read, on the Meter page where its words show.
          await page.getByRole('tab', { name: t('Meter'), exact: true }).click();
          await page.getByText(t('Demo meter controls')).click();
          const read = async () => {
            await page.getByRole('button', { name: t('Read now') }).click();
            await expect
              .poll(() => page.getByRole('button', { name: t('Read now') }).isEnabled(), { timeout: 30_000 })
              .toBe(true);
          };
          await page.getByRole('button', { name: t('Damage the next reply') }).click();
          await read();
          problems.push(...(await check(page, lang, `${label} damaged reply`, viewport.width)));
          await page.getByRole('combobox', { name: t('Give the meter an info code') }).selectOption('8');
          await read();
          problems.push(...(await check(page, lang, `${label} info code`, viewport.width)));
          await page.getByRole('button', { name: t('Let the optical port sleep') }).click();
          await read();
          await page.getByRole('alert').first().waitFor();
          problems.push(...(await check(page, lang, `${label} sleeping port`, viewport.width)));
          await page.getByRole('button', { name: t('Press a button on the meter') }).click();
          await page.getByRole('button', { name: t('Pull the cable') }).click();
          await page.getByRole('button', { name: t('Demo meter') }).waitFor({ timeout: 20_000 });
          problems.push(...(await check(page, lang, `${label} cable pulled`, viewport.width)));
          await context.close();
        }
      expect(problems).toEqual([]);
    }, 600_000);
});
