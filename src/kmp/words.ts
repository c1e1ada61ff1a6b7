/**
 * A sentence for the person, named by an id, with its parameters and its English. The layers
 * below the UI say what they have to say this way, so that the UI can word it in the reader's
 * language (src/ui/i18n/problem-text.ts) while logs, tests and the English page use `en` as it is.
 *
 * Placeholders in `en` are `{name}`; a parameter is a number, a technical string that needs no
 * translation (a serial number, a port name, bytes in hex, the browser's own words) or, when it is
 * itself words for the person (a logger's name), another Words.
 */
export interface Words {
  readonly id: string;
  readonly en: string;
  readonly params?: Readonly<Record<string, WordsParam>>;
}

export type WordsParam = string | number | Words;

/** A layer's sentences: id → English with `{name}` placeholders. */
export type Sentences = Readonly<Record<string, string>>;

/** The words `id` of `sentences`, with its parameters. */
export function words<S extends Sentences>(
  sentences: S,
  id: keyof S & string,
  params?: Readonly<Record<string, WordsParam>>,
): Words {
  const en = sentences[id];
  if (en === undefined) throw new Error(`No sentence ${id}`);
  return params ? { id, en, params } : { id, en };
}

/** The placeholder names of an English template, in order of appearance, each once. */
export function placeholders(en: string): string[] {
  return [...new Set([...en.matchAll(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g)].map((m) => m[1]!))];
}

/**
 * Words filled in: each `{name}` replaced by its parameter, nested words worded by `word`
 * (English by default). A placeholder without a parameter stays as it is, visible, never blank.
 */
export function fill(w: Words, template: string = w.en, word: (nested: Words) => string = (n) => fill(n)): string {
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (whole, name: string) => {
    const p = w.params?.[name];
    if (p === undefined) return whole;
    return typeof p === 'object' ? word(p) : String(p);
  });
}

/** Whether a value is Words (as a Problem's optional `words` are). */
export function isWords(v: unknown): v is Words {
  return (
    typeof v === 'object' && v !== null && typeof (v as Words).id === 'string' && typeof (v as Words).en === 'string'
  );
}
