import { fill, words, type Sentences, type Words } from '../kmp/words.ts';

/**
 * How a value of the wrong type is named inside a sentence about a file someone else wrote: noun
 * phrases, nested as words in those sentences (src/kmp/words.ts). A number or true/false is the
 * file's own value and is shown as it is.
 */
export const VALUE_SENTENCES = {
  'store.value.empty': 'empty',
  'store.value.missing': 'missing',
  'store.value.list': 'a list',
  'store.value.text': 'the text "{text}"',
  'store.value.group': 'a group of fields',
} as const satisfies Sentences;

/**
 * A value of the wrong type as words for a sentence: "true", "a list", "the text "5"". Never
 * "[object Object]", and a long text is cut.
 */
export function describeValueWords(v: unknown): string | Words {
  if (v === null) return words(VALUE_SENTENCES, 'store.value.empty');
  if (v === undefined) return words(VALUE_SENTENCES, 'store.value.missing');
  if (Array.isArray(v)) return words(VALUE_SENTENCES, 'store.value.list');
  if (typeof v === 'string')
    return words(VALUE_SENTENCES, 'store.value.text', { text: v.length > 40 ? `${v.slice(0, 40)}…` : v });
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return words(VALUE_SENTENCES, 'store.value.group');
}

/** describeValueWords in English: "true", "a list", "the text "5"". */
export function describeValue(v: unknown): string {
  const w = describeValueWords(v);
  return typeof w === 'string' ? w : fill(w);
}
