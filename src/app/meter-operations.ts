import type { LoggerReadOptions, LoggerReadResult, MeterSession, ScanResult } from '../link/index.ts';
import { loggerNameWords } from '../kmp/logger.ts';
import { implausibleReason } from '../kmp/plausibility.ts';
import type { Words } from '../kmp/words.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import {
  MAX_HISTORY_CHANGES,
  MAX_REPLY_ROWS_KEYS,
  replyRowsKey,
  type LoggerListRecord,
  type ScanRecord,
} from '../store/schema.ts';
import { AppError, appWords } from './app-words.ts';
import { historyChangedText, sameEntry } from './history-check.ts';
import type { Notices } from './notices.ts';

/** A finished scan as the store keeps it per meter. */
export function scanRecordOf(found: ScanResult, at: number): ScanRecord {
  return {
    at,
    supported: found.supported,
    unsupported: found.unsupported,
    ...(found.stoppedEarly ? { stoppedEarly: found.stoppedEarly } : {}),
  };
}

/** What a scan found, and which meter it belongs to (undefined for a meter never identified). */
export interface ScanOutcome {
  serial: number | undefined;
  record: ScanRecord;
}

/**
 * Scans the connected meter for the registers it has and remembers the result as that meter's
 * last scan, so it is shown again without spending the meter's battery twice. A result that
 * could not be stored is still returned; the failed write is reported.
 */
export async function scanAndKeep(
  session: Pick<MeterSession, 'scan' | 'identity'>,
  store: Promise<Pick<KmpStore, 'putMeter'> | undefined>,
  notices: Notices,
  candidates: readonly number[],
  budget?: number,
  now: () => number = Date.now,
): Promise<ScanOutcome> {
  const record = scanRecordOf(await session.scan(candidates, budget), now());
  const serial = session.identity?.serial;
  const db = await store;
  if (db && serial !== undefined)
    await db.putMeter({ serial, lastScan: record }).catch((e: unknown) => notices.report(e));
  return { serial, record };
}

/** What the caller of a logger download chooses; what is stored already and the storing are the app's. */
export type LoggerDownloadOptions = Omit<LoggerReadOptions, 'have' | 'onEntries'>;

/** Why a value cannot be a real measurement, as the codec says it. */
type Implausible = NonNullable<ReturnType<typeof implausibleReason>>;

/** A download's result, and the sentence when the meter's history changed under it (nothing stored then). */
export type LoggerDownloadOutcome = LoggerReadResult & {
  historyChanged?: Words;
  /**
   * Entries left out because a value in them is one no meter can hold (an intact frame from a
   * faulty meter): the store refuses them, and storing the rest keeps the download going.
   */
  implausible?: Array<{ id: number; why: Implausible }>;
};

/**
 * Downloads one of the connected meter's loggers into the store. Entries already stored are not
 * asked for again, and each page is stored as it arrives, so a cancel or a lost connection
 * keeps what was read and the next download goes on from there. A failed write ends the
 * download with that error. Needs the store and an identified meter (its serial keys the entries).
 *
 * The newest entry already held is read again with the new ones (history-check.ts): if the meter
 * now gives it otherwise, the download stops, nothing of it is stored, and both versions are kept
 * with the meter (MeterRecord.historyChanges).
 */
export async function downloadLoggerAndKeep(
  session: Pick<MeterSession, 'readLogger' | 'identity'>,
  store: Promise<
    Pick<KmpStore, 'loggerEntryIds' | 'saveLoggerEntries' | 'loggerEntries' | 'getMeter' | 'putMeter'> | undefined
  >,
  logger: number,
  registers: readonly number[],
  options: LoggerDownloadOptions = {},
): Promise<LoggerDownloadOutcome> {
  const db = await store;
  if (!db) throw new AppError('no-storage', appWords('app.download.no-storage'));
  const serial = session.identity?.serial;
  if (serial === undefined) throw new AppError('not-identified', appWords('app.download.not-identified'));
  const have = await db.loggerEntryIds(serial, logger);
  const [newestHeld] = await db.loggerEntries(serial, logger, { newestFirst: true, limit: 1 });
  if (newestHeld) have.delete(newestHeld.id);
  // The page size this meter's replies held before, for this register set: no page asked too long.
  const rowsKey = replyRowsKey(logger, registers);
  const learned = (await db.getMeter(serial))?.replyRows?.[rowsKey];
  const stop = new AbortController();
  options.signal?.addEventListener('abort', () => stop.abort(), { once: true });
  if (options.signal?.aborted) stop.abort();
  let historyChanged: Words | undefined;
  const implausible: Array<{ id: number; why: Implausible }> = [];
  const result = await session.readLogger(logger, registers, {
    ...options,
    signal: stop.signal,
    have,
    // A 601/801 module's own flag can say nothing is new before any entry is read; with nothing
    // held there is nothing to be new against.
    askEventStatus: Boolean(newestHeld) && options.askEventStatus !== false,
    ...(options.rowsPerReply === undefined && learned !== undefined ? { rowsPerReply: learned } : {}),
    onEntries: async (entries) => {
      if (historyChanged) return;
      const again = newestHeld && entries.find((e) => e.id === newestHeld.id);
      if (again && !sameEntry(newestHeld, again)) {
        historyChanged = historyChangedText(loggerNameWords(logger), newestHeld, again);
        const meter = await db.getMeter(serial);
        const change = { at: Date.now(), stored: newestHeld, again: { ...again, serial, readAt: Date.now() } };
        await db.putMeter({
          serial,
          historyChanges: [...(meter?.historyChanges ?? []), change].slice(-MAX_HISTORY_CHANGES),
        });
        stop.abort();
        return;
      }
      const kept = entries.filter((e) => {
        const why = e.values.map(implausibleReason).find(Boolean);
        if (why) implausible.push({ id: e.id, why });
        return !why;
      });
      if (kept.length) await db.saveLoggerEntries(serial, kept);
    },
  });
  if (result.rowsPerReply !== undefined && result.rowsPerReply !== learned) {
    const rows = (await db.getMeter(serial))?.replyRows ?? {};
    const kept = Object.entries({ ...rows, [rowsKey]: result.rowsPerReply }).slice(-MAX_REPLY_ROWS_KEYS);
    await db.putMeter({ serial, replyRows: Object.fromEntries(kept) });
  }
  // The entry read again to check the history is not new.
  const left = new Set(implausible.map((x) => x.id));
  const fresh: LoggerDownloadOutcome = {
    ...result,
    entries: result.entries.filter((e) => e.id !== newestHeld?.id && !left.has(e.id)),
    ...(implausible.length ? { implausible } : {}),
  };
  return historyChanged ? { ...fresh, complete: false, historyChanged } : fresh;
}

/**
 * Reads the list of the connected meter's loggers (MeterSession.listLoggers) and keeps it with
 * the meter, so the page shows it again without asking the meter.
 */
export async function listLoggersAndKeep(
  session: Pick<MeterSession, 'listLoggers' | 'identity'>,
  store: Promise<Pick<KmpStore, 'putMeter'> | undefined>,
  options: { signal?: AbortSignal } = {},
): Promise<LoggerListRecord> {
  const serial = session.identity?.serial;
  if (serial === undefined) throw new AppError('not-identified', appWords('app.loggers.not-identified'));
  const list = await session.listLoggers(options);
  const record: LoggerListRecord = { at: Date.now(), configs: list.configs, absent: list.absent };
  const db = await store;
  if (db) await db.putMeter({ serial, loggers: record });
  return record;
}
