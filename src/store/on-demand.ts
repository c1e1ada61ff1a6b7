/**
 * The parts of the store that load when first used rather than with the first screen, which
 * only saves readings one at a time and shows what is stored.
 */
import { StoreError } from './store-error.ts';

/**
 * Imports a part of the store that loads on demand. A load that fails (the app's files did not
 * all arrive) is a StoreError 'not-loaded': nothing changed.
 */
export async function onDemand<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw new StoreError('not-loaded', e instanceof Error ? e.message : String(e));
  }
}

/** The field checks (validate.ts), loaded with the first reading or meter record to write. */
export const checks = () => onDemand(() => import('./validate.ts'));

/** A meter's own logs as stored, loaded with the Meter history page, an export or an import. */
export const loggerPart = () => onDemand(() => import('./logger-store.ts'));

/** Writes over many rows (an import, deleting a time range, forgetting a meter), for History or Settings. */
export const bulkPart = () => onDemand(() => import('./bulk-writes.ts'));

/** The history chart's series, loaded with the History page's first chart. */
export const seriesPart = () => onDemand(() => import('./series-read.ts'));

/** A restore of an export, loaded with the first file restored. */
export const restorePart = () => onDemand(() => import('./restore.ts'));
