/**
 * KmpStore, the one object the rest of the app talks to about storage. Each object store has
 * its module (readings-store.ts, meters-store.ts, logger-store.ts, frames-store.ts,
 * settings-store.ts, outbox-store.ts) and every write runs through transaction.ts; this class
 * holds the connection and hands each call to its module.
 */
import type { IDBPDatabase } from 'idb';
import type { Reading } from '../kmp/index.ts';
import { appendFrames, FRAME_LOG_CAP, listFrames } from './frames-store.ts';
// Types only: the logger entries' code loads with the Meter history page (see on-demand.ts).
import type { LoggerEntryInput, LoggerEntryQuery, LoggerSummary } from './logger-store.ts';
import { getMeter, listMeters, putMeter } from './meters-store.ts';
import { bulkPart, loggerPart, restorePart, seriesPart } from './on-demand.ts';
import { openKmpDb, type OpenOptions } from './open-db.ts';
import { outboxAck, outboxClear, outboxCount, outboxFailed, outboxPeek } from './outbox-store.ts';
import type { OutboxItem, OutboxSource } from './outbox-types.ts';
import { countReadings, readings, saveReading, type ReadingQuery } from './readings-store.ts';
// Types only: a restore loads its code when it runs, not with the first screen.
import type { RestoreOptions, RestoreResult } from './restore.ts';
import type { KmpDb, MeterRecord, StoredFrame, StoredLoggerEntry, StoredReading } from './schema.ts';
// Types only: the chart's series is read by series-read.ts, loaded with the History page's first chart.
import type { Series } from './series.ts';
import { getSetting, putSetting, putSettingIfAbsent } from './settings-store.ts';
import { StoreError } from './store-error.ts';
import { writer, type Write } from './transaction.ts';

export { FRAME_LOG_CAP } from './frames-store.ts';
export type { LoggerEntryInput, LoggerEntryQuery, LoggerSummary } from './logger-store.ts';
export type { ReadingQuery } from './readings-store.ts';

/**
 * Readings, meters, settings, the frame log and the MQTT outbox in IndexedDB. Every write is
 * one transaction: a reading and its outbox entry are stored together or not at all.
 */
export class KmpStore implements OutboxSource {
  private restoreRunning = false;
  private readonly write: Write;

  private constructor(private readonly db: IDBPDatabase<KmpDb>) {
    this.write = writer(db);
  }

  static async open(options: OpenOptions = {}): Promise<KmpStore> {
    return new KmpStore(await openKmpDb(options));
  }

  close(): void {
    this.db.close();
  }

  /** Stores a reading (and queues it for publishing) after checking it; refuses anything invalid. */
  saveReading(reading: Reading, options: { outbox?: boolean } = {}): Promise<{ seq?: number }> {
    return saveReading(this.write, reading, options.outbox ?? false);
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
    return (await loggerPart()).saveLoggerEntries(this.write, serial, entries, readAt);
  }

  /** Stores logger entries of a checked export (any meters), each key once. */
  async restoreLoggerEntries(entries: readonly StoredLoggerEntry[]): Promise<{ added: number; skipped: number }> {
    return (await loggerPart()).restoreLoggerEntries(this.write, entries);
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
    return (await loggerPart()).deleteLoggerEntries(this.write, serial, logger);
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
      return await (await restorePart()).restoreInto(this.db, meters, readings, options);
    } finally {
      this.restoreRunning = false;
    }
  }

  /** Writes meters and readings in one transaction: all of them, or (on any failure) none. */
  async importAll(meters: readonly MeterRecord[], readings: readonly Reading[]): Promise<void> {
    return (await bulkPart()).importAll(this.write, meters, readings);
  }

  /** A meter's readings in a time range, oldest first unless `newestFirst`. */
  readings(serial: number, q: ReadingQuery = {}): Promise<StoredReading[]> {
    return readings(this.db, serial, q);
  }

  /** How many readings of a meter lie between two times (inclusive). */
  countReadings(serial: number, from = 0, to = Number.MAX_SAFE_INTEGER): Promise<number> {
    return countReadings(this.db, serial, from, to);
  }

  /** Deletes a meter's readings between two times, and rebuilds the hourly rollups they touched; returns how many. */
  async deleteReadings(serial: number, from: number, to: number): Promise<number> {
    return (await bulkPart()).deleteReadings(this.write, serial, from, to);
  }

  /**
   * Forgets a meter: its readings, rollups, logger entries, record and what it still had waiting in the outbox.
   * Over every possible time, so readings stored with absurd times before validation existed go too.
   */
  async clearMeter(serial: number): Promise<void> {
    return (await bulkPart()).clearMeter(this.write, serial);
  }

  /**
   * Readings of `ids` between `from` and `to`, decimated to at most `maxPoints` points: each
   * bucket keeps its minimum and maximum so spikes survive. One line per register and unit, so
   * a register whose unit changed is never drawn as one line. Walks the range page by page, so
   * a year of one-minute readings never sits in memory at once.
   */
  async series(serial: number, ids: readonly number[], from: number, to: number, maxPoints = 2000): Promise<Series> {
    const total = await this.countReadings(serial, from, to);
    const { readSeries } = await seriesPart();
    return readSeries(this.db, { serial, ids, from, to, maxPoints, total });
  }

  /** Adds to what is known of a meter; refuses a record with any invalid field. */
  putMeter(meter: MeterRecord): Promise<void> {
    return putMeter(this.write, meter);
  }

  /** What is known of one meter, if anything. */
  getMeter(serial: number): Promise<MeterRecord | undefined> {
    return getMeter(this.db, serial);
  }

  /** Every meter known, by serial number. */
  listMeters(): Promise<MeterRecord[]> {
    return listMeters(this.db);
  }

  /** The value stored under `key`, as the caller stored it. */
  getSetting<T>(key: string): Promise<T | undefined> {
    return getSetting<T>(this.db, key);
  }

  /** Stores `value` under `key`, replacing what was there. */
  putSetting(key: string, value: unknown): Promise<void> {
    return putSetting(this.write, key, value);
  }

  /**
   * Stores `value` under `key` unless something is stored there already; returns what is stored
   * now. One transaction, so of two tabs racing, both end up with the first one's value.
   */
  putSettingIfAbsent(key: string, value: unknown): Promise<unknown> {
    return putSettingIfAbsent(this.write, key, value);
  }

  /** Appends to the frame log, dropping the oldest beyond the cap in the same transaction. */
  appendFrames(entries: readonly StoredFrame[]): Promise<void> {
    return appendFrames(this.write, entries);
  }

  /** The newest `limit` frames of the log, oldest first. */
  listFrames(limit = FRAME_LOG_CAP): Promise<StoredFrame[]> {
    return listFrames(this.db, limit);
  }

  outboxPeek(limit: number): Promise<OutboxItem[]> {
    return outboxPeek(this.db, limit);
  }

  outboxAck(seqs: readonly number[]): Promise<void> {
    return outboxAck(this.write, seqs);
  }

  outboxFailed(seq: number): Promise<void> {
    return outboxFailed(this.write, seq);
  }

  outboxCount(): Promise<number> {
    return outboxCount(this.db);
  }

  /** Drops everything waiting to be published. */
  outboxClear(): Promise<void> {
    return outboxClear(this.write);
  }

  /** Usage and quota of the whole origin, where the browser tells. */
  async estimate(): Promise<{ usage: number; quota: number } | undefined> {
    const e = await globalThis.navigator?.storage?.estimate?.();
    return e && e.usage !== undefined && e.quota !== undefined ? { usage: e.usage, quota: e.quota } : undefined;
  }
}
