import { fill, type Words } from '../../src/kmp/words.ts';

/** The English of what the app hands the UI: words filled in, a string as it is. */
export function english(said: string | Words | undefined): string | undefined {
  return said === undefined || typeof said === 'string' ? said : fill(said);
}
