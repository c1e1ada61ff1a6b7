import { msg, str } from '@lit/localize';
import type { RestoreResult } from '../../../store/restore.ts';

/** The length of "All": since the first reading. */
export const ALL_MS = Number.MAX_SAFE_INTEGER;

/** The range shown when the page opens: 30 days. */
export const DEFAULT_RANGE_MS = 30 * 86_400_000;

/**
 * The time ranges offered, with their length. A function, called at render time, so the labels
 * are in the page's language of the moment (msg() at module load would keep them English).
 */
export function ranges(): Array<[string, number]> {
  return [
    [msg('24 hours'), 86_400_000],
    [msg('7 days'), 7 * 86_400_000],
    [msg('30 days'), DEFAULT_RANGE_MS],
    [msg('1 year'), 365 * 86_400_000],
    [msg('All'), ALL_MS],
  ];
}

/** The quantities that can be charted: register id and name, in the page's language (called at render time). */
export function quantities(): Array<[number, string]> {
  return [
    [86, msg('Flow temperature')],
    [87, msg('Return temperature')],
    [89, msg('Temperature difference')],
    [74, msg('Flow')],
    [80, msg('Power')],
    [60, msg('Energy')],
    [68, msg('Volume')],
  ];
}

/** How many of the newest readings the table lists. */
export const TABLE_ROWS = 50;

/**
 * What a finished restore says: how many came in, how many were already here or repeated. Each
 * combination is one whole sentence, so a language can order its parts as it needs.
 */
export function restoredMessage(r: RestoreResult): string {
  const { readings, meters, skipped, duplicates } = r;
  if (skipped && duplicates)
    return msg(
      str`Restored ${readings} reading(s) of ${meters} meter(s); ${skipped} were already here; ${duplicates} repeated in the file and stored once.`,
    );
  if (skipped) return msg(str`Restored ${readings} reading(s) of ${meters} meter(s); ${skipped} were already here.`);
  if (duplicates)
    return msg(
      str`Restored ${readings} reading(s) of ${meters} meter(s); ${duplicates} repeated in the file and stored once.`,
    );
  return msg(str`Restored ${readings} reading(s) of ${meters} meter(s).`);
}
