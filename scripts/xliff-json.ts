/**
 * Moves translations between a language's XLIFF catalogue (src/ui/i18n/xliff/<code>.xlf) and
 * plain JSON, for translating outside an XLIFF editor:
 *
 *   node --import tsx scripts/xliff-json.ts export de todo.json   # messages without a translation
 *   node --import tsx scripts/xliff-json.ts merge de done.json    # writes their <target>s
 *
 * In the JSON a placeholder (a parameter, or markup inside a sentence) is `{0}`, `{1}`… as
 * numbered in the catalogue, and `placeholders` says what each stands for. A translation that
 * drops or invents a placeholder is refused, with its id.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const xliffPath = (lang: string) => fileURLToPath(new URL(`../src/ui/i18n/xliff/${lang}.xlf`, import.meta.url));

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unescapeXml = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

interface Todo {
  id: string;
  en: string;
  placeholders?: Record<string, string>;
}

const UNIT = /<trans-unit id="([^"]+)"([^>]*)>([\s\S]*?)<\/trans-unit>/g;

function placeholdersOf(source: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of source.matchAll(/<x\s+id="([^"]*)"[^>]*\/>/g)) map.set(m[1]!, m[0]);
  return map;
}

export function exportTodo(xml: string): Todo[] {
  const todo: Todo[] = [];
  for (const m of xml.matchAll(UNIT)) {
    const body = m[3]!;
    if (/<target>/.test(body)) continue;
    const source = /<source>([\s\S]*?)<\/source>/.exec(body)![1]!;
    const placeholders: Record<string, string> = {};
    const en = source.replace(
      /<x\s+id="([^"]*)"(?:\s+equiv-text="([^"]*)")?\s*\/>/g,
      (_, id: string, equiv?: string) => {
        placeholders[id] = unescapeXml(equiv ?? '');
        return `{${id}}`;
      },
    );
    todo.push({ id: m[1]!, en: unescapeXml(en), ...(Object.keys(placeholders).length ? { placeholders } : {}) });
  }
  return todo;
}

export function mergeDone(xml: string, done: Record<string, string>): { xml: string; refused: string[] } {
  const refused: string[] = [];
  const out = xml.replace(UNIT, (whole, id: string, attrs: string, body: string) => {
    const target = done[id];
    if (target === undefined) return whole;
    const source = /<source>([\s\S]*?)<\/source>/.exec(body)![1]!;
    const ph = placeholdersOf(source);
    const used = [...target.matchAll(/\{(\d+)\}/g)].map((m) => m[1]!);
    if ([...used].sort().join() !== [...ph.keys()].sort().join()) {
      refused.push(
        `${id}: placeholders ${[...ph.keys()].join(',')} in the English, ${used.join(',')} in the translation`,
      );
      return whole;
    }
    // Escape the text, then put each placeholder's element back as the catalogue has it.
    const xmlTarget = escapeXml(target).replace(/\{(\d+)\}/g, (_, n: string) => ph.get(n)!);
    const kept = body.replace(/\s*<target>[\s\S]*?<\/target>/, '');
    return `<trans-unit id="${id}"${attrs}>${kept.replace(/(<\/source>)/, `$1\n  <target>${xmlTarget}</target>`)}</trans-unit>`;
  });
  return { xml: out, refused };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [command, lang, file] = process.argv.slice(2);
  if (!lang || !file || (command !== 'export' && command !== 'merge')) {
    console.error('usage: xliff-json.ts export|merge <lang> <file.json>');
    process.exit(2);
  }
  const xml = readFileSync(xliffPath(lang), 'utf8');
  if (command === 'export') writeFileSync(file, JSON.stringify(exportTodo(xml), null, 1));
  else {
    const { xml: merged, refused } = mergeDone(xml, JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>);
    writeFileSync(xliffPath(lang), merged);
    for (const r of refused) console.error(`refused ${r}`);
    if (refused.length) process.exitCode = 1;
  }
}
