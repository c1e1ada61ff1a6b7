import type { LoggerReadOptions, LoggerReadResult, MeterSession, ScanResult } from '../link/index.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import type { LoggerListRecord, ScanRecord } from '../store/schema.ts';
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

/**
 * Downloads one of the connected meter's loggers into the store. Entries already stored are not
 * asked for again, and each page is stored as it arrives, so a cancel or a lost connection
 * keeps what was read and the next download goes on from there. A failed write ends the
 * download with that error. Needs the store and an identified meter (its serial keys the entries).
 */
export async function downloadLoggerAndKeep(
  session: Pick<MeterSession, 'readLogger' | 'identity'>,
  store: Promise<Pick<KmpStore, 'loggerEntryIds' | 'saveLoggerEntries'> | undefined>,
  logger: number,
  registers: readonly number[],
  options: LoggerDownloadOptions = {},
): Promise<LoggerReadResult> {
  const db = await store;
  if (!db) throw new Error('Storage is not available, so a download would be lost.');
  const serial = session.identity?.serial;
  if (serial === undefined) throw new Error('The meter has not been identified yet: read it once, then download.');
  const have = await db.loggerEntryIds(serial, logger);
  return session.readLogger(logger, registers, {
    ...options,
    have,
    onEntries: async (entries) => {
      await db.saveLoggerEntries(serial, entries);
    },
  });
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
  if (serial === undefined)
    throw new Error('The meter has not been identified yet: read it once, then list its loggers.');
  const list = await session.listLoggers(options);
  const record: LoggerListRecord = { at: Date.now(), configs: list.configs, absent: list.absent };
  const db = await store;
  if (db) await db.putMeter({ serial, loggers: record });
  return record;
}
