import type { Problem } from '../kmp/errors.ts';

/** Why storage failed, in words a person can act on. Nothing is half-written when one is thrown. */
export type StoreErrorKind = 'unavailable' | 'quota' | 'blocked' | 'invalid' | 'not-found' | 'busy' | 'not-loaded';

const TEXT: Record<StoreErrorKind, string> = {
  unavailable:
    'The browser’s storage (IndexedDB) is not available: a private window, a blocked site setting or a browser without it. Readings are shown but not kept.',
  quota: 'Storage is full: export and delete old readings, or free disk space. Nothing was saved.',
  blocked:
    'Another kmp-web tab or window uses an older version of the stored data. Close the other kmp-web tabs, then reload.',
  invalid: 'The data was refused.',
  'not-found': 'Not found.',
  busy: 'This tab is already restoring a file: wait until it has finished (its progress is shown), then choose the file again if anything is missing. Nothing more was changed.',
  'not-loaded':
    'Part of the app did not load (offline before the app was fully installed, or an update half-way), so nothing was read or saved. Reload when online.',
};

/** A storage failure in the shape of every Problem: a kind, the sentence to show, the browser's words. */
export class StoreError extends Error implements Problem {
  override readonly name = 'StoreError';
  constructor(
    readonly kind: StoreErrorKind,
    readonly detail?: string,
  ) {
    super(
      kind === 'invalid' && detail
        ? `${TEXT.invalid} ${detail}`
        : TEXT[kind] + (detail && kind !== 'quota' ? ` (${detail})` : ''),
    );
  }
}

/** Maps what IndexedDB throws to a StoreError; a StoreError passes through. */
export function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const name = e instanceof Error || e instanceof DOMException ? e.name : '';
  const message = e instanceof Error || e instanceof DOMException ? e.message : String(e);
  // Readings are unique per meter and time (by-meter-time is a unique index).
  if (name === 'ConstraintError')
    return new StoreError('invalid', 'A reading of this meter at this time is already stored.');
  // Chrome reports a full disk as QuotaExceededError on writes, sometimes as an AbortError of the transaction.
  if (name === 'QuotaExceededError' || (name === 'AbortError' && /quota|space|disk/i.test(message)))
    return new StoreError('quota', message);
  return new StoreError('unavailable', message || name);
}
