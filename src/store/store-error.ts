import type { Problem } from '../kmp/errors.ts';
import { fill, isWords, words, type Sentences, type Words, type WordsParam } from '../kmp/words.ts';

/** Why storage failed, in words a person can act on. Nothing is half-written when one is thrown. */
export type StoreErrorKind = 'unavailable' | 'quota' | 'blocked' | 'invalid' | 'not-found' | 'busy' | 'not-loaded';

/**
 * What the store says to the person, by id (src/kmp/words.ts): each kind's sentence, and the
 * sentences a refusal or a failure is worded with. The reasons a record or a file is refused are
 * in validate.ts, import-json.ts and describe-value.ts.
 */
export const STORE_SENTENCES = {
  'store.unavailable':
    'The browser’s storage (IndexedDB) is not available: a private window, a blocked site setting or a browser without it. Readings are shown but not kept.',
  'store.quota': 'Storage is full: export and delete old readings, or free disk space. Nothing was saved.',
  'store.blocked':
    'Another kmp-web tab or window uses an older version of the stored data. Close the other kmp-web tabs, then reload.',
  'store.invalid': 'The data was refused.',
  'store.not-found': 'Not found.',
  'store.busy':
    'This tab is already restoring a file: wait until it has finished (its progress is shown), then choose the file again if anything is missing. Nothing more was changed.',
  'store.not-loaded':
    'Part of the app did not load (offline before the app was fully installed, or an update half-way), so nothing was read or saved. Reload when online.',
  // 'invalid' with its reason: the reason is a whole sentence of its own, nested.
  'store.invalid.because': 'The data was refused. {reason}',
  // Any other kind with what the browser said (or a phrase of ours) in brackets after its sentence.
  'store.with-detail': '{sentence} ({detail})',
  'store.no-indexeddb': 'this browser has no IndexedDB',
  'store.duplicate-reading': 'A reading of this meter at this time is already stored.',
  // A record refused on its way in; the reason (validate.ts) is a clause, nested.
  'store.refused.reading': 'The reading was refused: {reason}.',
  'store.refused.meter': 'The meter was refused: {reason}.',
  'store.refused.logger-entry': 'The logger entry was refused: {reason}.',
  // A restore that failed part-way: what failed (a sentence, or the browser's words), then how far it got.
  'store.restore.partly':
    '{problem} {stored} of {total} readings were stored before this; restoring the same file again adds only the rest.',
} as const satisfies Sentences;

export type StoreSentence = keyof typeof STORE_SENTENCES;

/** The store's words `id`, with its parameters. */
export const storeWords = (id: StoreSentence, params?: Readonly<Record<string, WordsParam>>): Words =>
  words(STORE_SENTENCES, id, params);

/**
 * A storage failure in the shape of every Problem: a kind, the sentence to show, the browser's
 * words. `words` always fill to `message` exactly: the detail is inside them (the reason an
 * 'invalid' gives, or the bracketed detail of the other kinds).
 */
export class StoreError extends Error implements Problem {
  override readonly name = 'StoreError';
  /** The detail in English: the browser's words, or the reason of an 'invalid'. */
  readonly detail?: string;
  /** The detail as words, when it is ours (a reason, a phrase) rather than the browser's. */
  readonly detailWords?: Words;
  readonly words: Words;
  constructor(
    readonly kind: StoreErrorKind,
    /** The browser's words (a string, shown as it is) or ours (words, translated). */
    detail?: string | Words,
  ) {
    const sentence = storeWords(`store.${kind}`);
    const w =
      kind === 'invalid' && detail
        ? storeWords('store.invalid.because', { reason: detail })
        : detail && kind !== 'quota'
          ? storeWords('store.with-detail', { sentence, detail })
          : sentence;
    super(fill(w));
    this.words = w;
    if (detail !== undefined) this.detail = isWords(detail) ? fill(detail) : detail;
    if (isWords(detail)) this.detailWords = detail;
  }
}

/** Maps what IndexedDB throws to a StoreError; a StoreError passes through. */
export function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const name = e instanceof Error || e instanceof DOMException ? e.name : '';
  const message = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  // Readings are unique per meter and time (by-meter-time is a unique index).
  if (name === 'ConstraintError') return new StoreError('invalid', storeWords('store.duplicate-reading'));
  // Chrome reports a full disk as QuotaExceededError on writes, sometimes as an AbortError of the transaction.
  if (name === 'QuotaExceededError' || (name === 'AbortError' && /quota|space|disk/i.test(message)))
    return new StoreError('quota', message);
  return new StoreError('unavailable', message || name);
}
