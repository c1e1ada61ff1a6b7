import type { RestoreResult } from '../../../store/restore.ts';

/** The time ranges offered, with their length (All: since the first reading). */
export const RANGES: Array<[string, number]> = [
  ['24 hours', 86_400_000],
  ['7 days', 7 * 86_400_000],
  ['30 days', 30 * 86_400_000],
  ['1 year', 365 * 86_400_000],
  ['All', Number.MAX_SAFE_INTEGER],
];

/** The quantities that can be charted: register id and name. */
export const QUANTITIES: Array<[number, string]> = [
  [86, 'Flow temperature'],
  [87, 'Return temperature'],
  [89, 'Temperature difference'],
  [74, 'Flow'],
  [80, 'Power'],
  [60, 'Energy'],
  [68, 'Volume'],
];

/** How many of the newest readings the table lists. */
export const TABLE_ROWS = 50;

/** What a finished restore says: how many came in, how many were already here or repeated. */
export function restoredMessage(r: RestoreResult): string {
  const parts = [`Restored ${r.readings} reading(s) of ${r.meters} meter(s)`];
  if (r.skipped) parts.push(`${r.skipped} were already here`);
  if (r.duplicates) parts.push(`${r.duplicates} repeated in the file and stored once`);
  return `${parts.join('; ')}.`;
}
