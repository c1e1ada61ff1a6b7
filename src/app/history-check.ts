/**
 * A download proves that the history it continues is still the meter's: the newest entry already
 * held is read again with the new ones and compared. Where the meter now says otherwise (a meter
 * replaced or reset, the head on another meter with the same serial), nothing of that download
 * is stored and both versions are kept with the meter, for the person to see.
 */
import type { Words, WordsParam } from '../kmp/words.ts';
import type { LoggerEntry } from '../link/index.ts';
import type { StoredLoggerEntry } from '../store/schema.ts';
import { appWords } from './app-words.ts';

/** True when the meter's entry says what the stored one says: the same time, and every register both hold the same. */
export function sameEntry(stored: Pick<StoredLoggerEntry, 'time' | 'values'>, again: LoggerEntry): boolean {
  if (stored.time !== again.time) return false;
  return stored.values.every((v) => {
    const w = again.values.find((x) => x.id === v.id);
    return !w || (w.unitCode === v.unitCode && w.decimal === v.decimal);
  });
}

/** The sentence for a changed entry; `logger` names the log ("daily"). */
export function historyChangedText(logger: WordsParam, stored: StoredLoggerEntry, again: LoggerEntry): Words {
  const differ = stored.values
    .flatMap((v) => {
      const w = again.values.find((x) => x.id === v.id);
      return w && (w.decimal !== v.decimal || w.unitCode !== v.unitCode)
        ? [
            appWords('app.history-changed.register', {
              id: String(v.id),
              here: v.decimal,
              hereUnit: v.unit,
              now: w.decimal,
              nowUnit: w.unit,
            }),
          ]
        : [];
    })
    .slice(0, 3);
  const [first, second, third] = differ;
  const what: WordsParam =
    stored.time !== again.time
      ? appWords('app.history-changed.stamped', { here: stored.time, now: again.time })
      : first && second && third
        ? appWords('app.history-changed.three', { first, second, third })
        : first && second
          ? appWords('app.history-changed.two', { first, second })
          : (first ?? '');
  return appWords('app.history-changed', { id: String(stored.id), logger, what });
}
