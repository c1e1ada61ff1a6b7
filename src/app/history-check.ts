/**
 * A download proves that the history it continues is still the meter's: the newest entry already
 * held is read again with the new ones and compared. Where the meter now says otherwise (a meter
 * replaced or reset, the head on another meter with the same serial), nothing of that download
 * is stored and both versions are kept with the meter, for the person to see.
 */
import type { LoggerEntry } from '../link/index.ts';
import type { StoredLoggerEntry } from '../store/schema.ts';

/** True when the meter's entry says what the stored one says: the same time, and every register both hold the same. */
export function sameEntry(stored: Pick<StoredLoggerEntry, 'time' | 'values'>, again: LoggerEntry): boolean {
  if (stored.time !== again.time) return false;
  return stored.values.every((v) => {
    const w = again.values.find((x) => x.id === v.id);
    return !w || (w.unitCode === v.unitCode && w.decimal === v.decimal);
  });
}

/** The sentence for a changed entry. */
export function historyChangedText(logger: string, stored: StoredLoggerEntry, again: LoggerEntry): string {
  const differ = stored.values
    .flatMap((v) => {
      const w = again.values.find((x) => x.id === v.id);
      return w && (w.decimal !== v.decimal || w.unitCode !== v.unitCode)
        ? [`register ${v.id}: ${v.decimal} ${v.unit} here, ${w.decimal} ${w.unit} now`]
        : [];
    })
    .slice(0, 3);
  const what = stored.time !== again.time ? `stamped ${stored.time} here, ${again.time} now` : differ.join('; ');
  return `The meter's history changed: entry ${stored.id} of the ${logger} log is not what was downloaded before (${what}). A replaced or reset meter, or the head on another meter, does this. Nothing of this download was stored; both versions are kept with the meter, and the entries already here are unchanged.`;
}
