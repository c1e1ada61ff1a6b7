import type { IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { openKmpDb, type OpenOptions } from './open-db.ts';
import type { OutboxItem, OutboxSource } from './outbox-types.ts';
import { addToRollup, hourOf } from './rollup.ts';
// Types only: a restore loads its code when it runs, not with the first screen.
import type { RestoreOptions, RestoreResult } from './restore.ts';
// Types only: the chart's series is read by series-read.ts, loaded with the History page's first chart.
import type { Series } from './series.ts';
import type { KmpDb, MeterRecord, StoredFrame, StoredLoggerEntry, StoredReading } from './schema.ts';
import { StoreError, toStoreError } from './store-error.ts';

/** The frame log keeps this many entries; the oldest go first. */
export const FRAME_LOG_CAP = 5000;

export interface ReadingQuery {
  from?: number;
  to?: number;
  limit?: number;
  newestFirst?: boolean;
}

/** A downloaded logger entry (link's LoggerEntry has this shape). */
export interface LoggerEntryInput {
  logger: number;
  id: number;
  time: string;
  values: Reading['values'];
}

/** Which entries of one logger: a time range (ISO local text, inclusive), newest first or oldest first. */
export interface LoggerEntryQuery {
  from?: string;
  to?: string;
  limit?: number;
  newestFirst?: boolean;
}

/** What is stored of one logger of a meter. */
export interface LoggerSummary {
  logger: number;
  count: number;
  oldestId: number;
  newestId: number;
  oldestTime: string;
  newestTime: string;
}

/**
 * Imports a part of the store that loads on demand rather than with the first screen. A load
 * that fails (the app's files did not all arrive) is a StoreError 'not-loaded': nothing changed.
 */
async function onDemand<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    throw new StoreError('not-loaded', e instanceof Error ? e.message : String(e));
  }
}

/**
 * The field checks (validate.ts), loaded with the first reading or meter record to write, not
 * with the first screen, which only shows what is stored. (The parts below that write bring
 * them themselves.)
 */
const checks = () => onDemand(() => import('./validate.ts'));

/**
 * A meter's own logs as stored (logger-entries.ts): loaded with the Meter history page, an
 * export or an import, not with the first screen.
 */
const loggerPart = () => onDemand(() => import('./logger-entries.ts'));

/**
 * Writes over many rows (bulk-writes.ts: an import, deleting a time range, forgetting a meter),
 * loaded when the History or Settings page first asks for one, not with the first screen.
 */
const bulkPart = () => onDemand(() => import('./bulk-writes.ts'));

/** Runs a read-write transaction (KmpStore's `write`), for the parts loaded on demand. */
export type Write = <N extends StoreNames<KmpDb>[], T>(
  stores: N,
  work: (tx: IDBPTransaction<KmpDb, N, 'readwrite'>) => Promise<T>,
) => Promise<T>;

/**
 * Readings, meters, settings, the frame log and the MQTT outbox in IndexedDB. Every write is
 * one transaction: a reading and its outbox entry are stored together or not at all.
 */
export class KmpStore implements OutboxSource {
  private restoreRunning = false;
  private readonly writer: Write = (stores, work) => this.write(stores, work);

  private constructor(private readonly db: IDBPDatabase<KmpDb>) {}

  static async open(options: OpenOptions = {}): Promise<KmpStore> {
    return new KmpStore(await openKmpDb(options));
  }

  close(): void {
    this.db.close();
  }

  /** Stores a reading (and queues it for publishing) after checking it; refuses anything invalid. */
  async saveReading(reading: Reading, options: { outbox?: boolean } = {}): Promise<{ id: number; seq?: number }> {
    const { readingProblem, cleanReading } = await checks();
    const problem = readingProblem(reading);
    if (problem) throw new StoreError('invalid', `The reading was refused: ${problem}.`);
    reading = cleanReading(reading);
    return this.write(['readings', 'meters', 'outbox', 'hourly'], async (tx) => {
      const id = await tx
        .objectStore('readings')
        .add({ serial: reading.serial, takenAt: reading.takenAt, values: reading.values });
      const hourly = tx.objectStore('hourly');
      await hourly.put(addToRollup(await hourly.get([reading.serial, hourOf(reading.takenAt)]), reading));
      const meters = tx.objectStore('meters');
      const meter = (await meters.get(reading.serial)) ?? { serial: reading.serial };
      if (!meter.lastReading || meter.lastReading.takenAt <= reading.takenAt)
        await meters.put({ ...meter, lastReading: reading, lastSeen: reading.takenAt });
      const seq = options.outbox
        ? await tx.objectStore('outbox').add({ reading, queuedAt: Date.now(), attempts: 0 } as OutboxItem)
        : undefined;
      return { id, ...(seq !== undefined ? { seq } : {}) };
    });
  }

  /**
   * Stores downloaded logger entries of a meter, each (logger, id) once: an entry already stored is
   * left as it is, so a repeated or resumed download adds only what is new. All checked first; an
   * invalid one refuses the whole call.
   */
  async saveLoggerEntries(
    serial: number,
    entries: readonly LoggerEntryInput[],
    readAt = Date.now(),
  ): Promise<{ added: number; skipped: number }> {
    return (await loggerPart()).saveLoggerEntries(this.writer, serial, entries, readAt);
  }

  /** Stores logger entries of a checked export (any meters), each key once. */
  async restoreLoggerEntries(entries: readonly StoredLoggerEntry[]): Promise<{ added: number; skipped: number }> {
    return (await loggerPart()).restoreLoggerEntries(this.writer, entries);
  }

  /** Entries of one logger of a meter, by time (oldest first unless `newestFirst`). */
  async loggerEntries(serial: number, logger: number, q: LoggerEntryQuery = {}): Promise<StoredLoggerEntry[]> {
    return (await loggerPart()).loggerEntries(this.db, serial, logger, q);
  }

  /** The ids stored of one logger: pass them as readLogger's `have` to resume a download. */
  async loggerEntryIds(serial: number, logger: number): Promise<Set<number>> {
    return (await loggerPart()).loggerEntryIds(this.db, serial, logger);
  }

  /** Per logger of a meter: how many entries are stored, and the oldest and newest of them. */
  async loggerSummary(serial: number): Promise<LoggerSummary[]> {
    return (await loggerPart()).loggerSummary(this.db, serial);
  }

  /** Every stored logger entry (of one meter, or all), for the JSON export. */
  async allLoggerEntries(serial?: number): Promise<StoredLoggerEntry[]> {
    return (await loggerPart()).allLoggerEntries(this.db, serial);
  }

  /** Deletes a meter's entries of one logger, or of all its loggers; returns how many. */
  async deleteLoggerEntries(serial: number, logger?: number): Promise<number> {
    return (await loggerPart()).deleteLoggerEntries(this.writer, serial, logger);
  }

  /** True while restore() runs: a second restore in this tab is refused (kind 'busy'). */
  get restoring(): boolean {
    return this.restoreRunning;
  }

  /**
   * Restores checked meters and readings (see restoreInto): each meter and time stored once,
   * in large batches, with progress. One at a time per tab; a second call while one runs is
   * refused with StoreError 'busy' rather than queued, because the person most likely chose
   * the same file twice, and a queued repeat would only add nothing, slowly.
   */
  async restore(
    meters: readonly MeterRecord[],
    readings: readonly Reading[],
    options: RestoreOptions = {},
  ): Promise<RestoreResult> {
    if (this.restoreRunning) throw new StoreError('busy');
    this.restoreRunning = true;
    try {
      const { restoreInto } = await onDemand(() => import('./restore.ts'));
      return await restoreInto(this.db, meters, readings, options);
    } finally {
      this.restoreRunning = false;
    }
  }

  /** Writes meters and readings in one transaction: all of them, or (on any failure) none. */
  async importAll(meters: readonly MeterRecord[], readings: readonly Reading[]): Promise<void> {
    return (await bulkPart()).importAll(this.writer, meters, readings);
  }

  async readings(serial: number, q: ReadingQuery = {}): Promise<StoredReading[]> {
    const range = IDBKeyRange.bound([serial, q.from ?? 0], [serial, q.to ?? Number.MAX_SAFE_INTEGER]);
    if (!q.newestFirst) return this.db.getAllFromIndex('readings', 'by-meter-time', range, q.limit);
    const out: StoredReading[] = [];
    let cursor = await this.db.transaction('readings').store.index('by-meter-time').openCursor(range, 'prev');
    while (cursor && (q.limit === undefined || out.length < q.limit)) {
      out.push(cursor.value);
      cursor = await cursor.continue();
    }
    return out;
  }

  countReadings(serial: number, from = 0, to = Number.MAX_SAFE_INTEGER): Promise<number> {
    return this.db.countFromIndex('readings', 'by-meter-time', IDBKeyRange.bound([serial, from], [serial, to]));
  }

  /** Deletes a meter's readings between two times, and rebuilds the hourly rollups they touched; returns how many. */
  async deleteReadings(serial: number, from: number, to: number): Promise<number> {
    return (await bulkPart()).deleteReadings(this.writer, serial, from, to);
  }

  /**
   * Forgets a meter: its readings, rollups, logger entries, record and what it still had waiting in the outbox.
   * Over every possible time, so readings stored with absurd times before validation existed go too.
   */
  async clearMeter(serial: number): Promise<void> {
    return (await bulkPart()).clearMeter(this.writer, serial);
  }

  /**
   * Readings of `ids` between `from` and `to`, decimated to at most `maxPoints` points: each
   * bucket keeps its minimum and maximum so spikes survive. One line per register and unit, so
   * a register whose unit changed is never drawn as one line. Walks the range page by page, so
   * a year of one-minute readings never sits in memory at once.
   */
  async series(serial: number, ids: readonly number[], from: number, to: number, maxPoints = 2000): Promise<Series> {
    const total = await this.countReadings(serial, from, to);
    const { readSeries } = await onDemand(() => import('./series-read.ts'));
    return readSeries(this.db, { serial, ids, from, to, maxPoints, total });
  }

  /** Adds to what is known of a meter; refuses a record with any invalid field. */
  async putMeter(meter: MeterRecord): Promise<void> {
    const { meterProblem, cleanMeter } = await checks();
    const problem = meterProblem(meter);
    if (problem) throw new StoreError('invalid', `The meter was refused: ${problem}.`);
    return this.write(['meters'], async (tx) => {
      const store = tx.objectStore('meters');
      await store.put({ ...(await store.get(meter.serial)), ...cleanMeter(meter) });
    });
  }

  getMeter(serial: number): Promise<MeterRecord | undefined> {
    return this.db.get('meters', serial);
  }

  listMeters(): Promise<MeterRecord[]> {
    return this.db.getAll('meters');
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('settings', key)) as T | undefined;
  }

  putSetting(key: string, value: unknown): Promise<void> {
    return this.write(['settings'], async (tx) => void (await tx.objectStore('settings').put(value, key)));
  }

  /** Appends to the frame log, dropping the oldest beyond the cap in the same transaction. */
  appendFrames(entries: readonly StoredFrame[]): Promise<void> {
    return this.write(['frames'], async (tx) => {
      const store = tx.objectStore('frames');
      for (const e of entries)
        await store.add({
          at: e.at,
          dir: e.dir,
          kind: e.kind,
          hex: e.hex,
          decoded: e.decoded,
          ...(e.crcOk !== undefined ? { crcOk: e.crcOk } : {}),
          ...(e.replyMs !== undefined ? { replyMs: e.replyMs } : {}),
        });
      let excess = (await store.count()) - FRAME_LOG_CAP;
      for (let c = await store.openCursor(); c && excess > 0; c = await c.continue(), excess--) await c.delete();
    });
  }

  async listFrames(limit = FRAME_LOG_CAP): Promise<StoredFrame[]> {
    const all = await this.db.getAll('frames');
    return all.slice(-limit);
  }

  outboxPeek(limit: number): Promise<OutboxItem[]> {
    return this.db.getAll('outbox', undefined, limit);
  }

  outboxAck(seqs: readonly number[]): Promise<void> {
    return this.write(['outbox'], async (tx) => {
      const store = tx.objectStore('outbox');
      await Promise.all(seqs.map((seq) => store.delete(seq)));
    });
  }

  outboxFailed(seq: number): Promise<void> {
    return this.write(['outbox'], async (tx) => {
      const store = tx.objectStore('outbox');
      const item = await store.get(seq);
      if (item) await store.put({ ...item, attempts: item.attempts + 1 });
    });
  }

  outboxCount(): Promise<number> {
    return this.db.count('outbox');
  }

  outboxClear(): Promise<void> {
    return this.write(['outbox'], async (tx) => void (await tx.objectStore('outbox').clear()));
  }

  /** Usage and quota of the whole origin, where the browser tells. */
  async estimate(): Promise<{ usage: number; quota: number } | undefined> {
    const e = await globalThis.navigator?.storage?.estimate?.();
    return e && e.usage !== undefined && e.quota !== undefined ? { usage: e.usage, quota: e.quota } : undefined;
  }

  /** Asks the browser not to evict our data under disk pressure. Chrome answers silently by heuristics. */
  async requestPersistence(): Promise<boolean | undefined> {
    return globalThis.navigator?.storage?.persist?.();
  }

  async isPersisted(): Promise<boolean | undefined> {
    return globalThis.navigator?.storage?.persisted?.();
  }

  /**
   * Runs a read-write transaction; every IndexedDB failure comes out as a StoreError, and the
   * transaction is undone.
   */
  private async write<N extends StoreNames<KmpDb>[], T>(
    stores: N,
    work: (tx: IDBPTransaction<KmpDb, N, 'readwrite'>) => Promise<T>,
  ): Promise<T> {
    let tx: IDBPTransaction<KmpDb, N, 'readwrite'>;
    try {
      tx = this.db.transaction(stores, 'readwrite');
    } catch (e) {
      throw toStoreError(e);
    }
    try {
      const result = await work(tx);
      await tx.done;
      return result;
    } catch (e) {
      try {
        tx.abort();
      } catch {
        // already finished or aborted
      }
      await tx.done.catch(() => undefined);
      throw toStoreError(e);
    }
  }
}
