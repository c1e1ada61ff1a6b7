/**
 * The XLIFF catalogues (src/ui/i18n/xliff/<code>.xlf) as the tests read them: each message's id,
 * its English source and its translation, placeholders (`<x id="0" equiv-text="…"/>`) as
 * `{0}`, `{1}`… so that a test can compare them and look a translation up by its English.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const TARGET_LANGUAGES = ['da', 'de', 'nl', 'sv'] as const;
export type TargetLanguage = (typeof TARGET_LANGUAGES)[number];

export interface CatalogueEntry {
  id: string;
  source: string;
  target: string | undefined;
  /** Placeholder ids in the source and in the target, as they appear. */
  sourcePlaceholders: string[];
  targetPlaceholders: string[];
}

export const xliffPath = (lang: string): string =>
  fileURLToPath(new URL(`../../src/ui/i18n/xliff/${lang}.xlf`, import.meta.url));

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** An XLIFF segment as text: placeholders as {id}, entities decoded. */
function segmentText(xml: string): { text: string; placeholders: string[] } {
  const placeholders: string[] = [];
  const text = xml.replace(/<x\s+id="([^"]*)"[^>]*\/>/g, (_, id: string) => {
    placeholders.push(id);
    return `{${id}}`;
  });
  return { text: unescape(text), placeholders };
}

export function readCatalogue(lang: string, xml: string = readFileSync(xliffPath(lang), 'utf8')): CatalogueEntry[] {
  const entries: CatalogueEntry[] = [];
  for (const m of xml.matchAll(/<trans-unit id="([^"]+)"[^>]*>([\s\S]*?)<\/trans-unit>/g)) {
    const body = m[2]!;
    const source = /<source>([\s\S]*?)<\/source>/.exec(body)?.[1] ?? '';
    const target = /<target>([\s\S]*?)<\/target>/.exec(body)?.[1];
    const s = segmentText(source);
    const t = target === undefined ? undefined : segmentText(target);
    entries.push({
      id: m[1]!,
      source: s.text,
      target: t?.text,
      sourcePlaceholders: s.placeholders,
      targetPlaceholders: t?.placeholders ?? [],
    });
  }
  return entries;
}

/**
 * The translation of an English message without placeholders (a button, a tab), for tests that
 * drive the page in another language by the names a person there sees.
 */
export function translator(lang: string): (english: string) => string {
  const byEnglish = new Map<string, string>();
  for (const e of readCatalogue(lang))
    if (e.target !== undefined && e.sourcePlaceholders.length === 0) byEnglish.set(e.source, e.target);
  return (english) => {
    if (lang === 'en') return english;
    const t = byEnglish.get(english);
    if (t === undefined) throw new Error(`No ${lang} translation of "${english}"`);
    return t;
  };
}
