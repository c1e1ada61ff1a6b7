import type { ImportNote } from './settings-import-types.ts';
import { importNote, importWords } from './settings-import-words.ts';

/**
 * The notes of a part of the file that will not be saved because one of its fields is wrong:
 * what would have been saved says it is not, so the preview never shows as "mapped" a value
 * Apply then leaves out. Errors and ignored fields stay as they are.
 */
export function skipPart(notes: readonly ImportNote[], prefix: string, refused = new Set<string>()): ImportNote[] {
  return notes.flatMap((n): ImportNote[] => {
    if (!n.field.startsWith(prefix) || n.level === 'error' || n.level === 'ignored') return [n];
    // A field with its own error is named by that error; a second line for it would only repeat it.
    if (refused.has(n.field)) return [];
    return [importNote(n.field, 'skipped', importWords('store.import.skipped', { note: n.words }))];
  });
}
