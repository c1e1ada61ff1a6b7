import { words, type Sentences, type Words } from './words.ts';

/**
 * Lists of phrases (flag names, info-code meanings) as words: each item is a whole phrase of its
 * own, and the list is built from them with one sentence per separator, so a language can write
 * its own punctuation around the items without the items being cut apart.
 */
export const LIST_SENTENCES = {
  'kmp.list.comma': '{first}, {rest}',
  'kmp.list.semicolon': '{first}; {rest}',
} as const satisfies Sentences;

/** The items one after another, joined by `separator`: `a, b, c` (at least one item). */
export function listWords(items: readonly [Words, ...Words[]], separator: 'comma' | 'semicolon'): Words {
  const id = separator === 'comma' ? 'kmp.list.comma' : 'kmp.list.semicolon';
  return items.reduceRight((rest, first) => words(LIST_SENTENCES, id, { first, rest }));
}
