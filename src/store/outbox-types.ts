import type { Reading } from '../kmp/index.ts';

/** A reading waiting to be published. Kept until the broker has acknowledged it. */
export interface OutboxItem {
  /** Monotonic: publishing in `seq` order publishes in reading order. */
  seq: number;
  reading: Reading;
  /** When it was queued (ms since the epoch). */
  queuedAt: number;
  /** Failed publish attempts so far. */
  attempts: number;
}

/** What the MQTT outbox drainer needs from storage. KmpStore implements it on IndexedDB. */
export interface OutboxSource {
  /** The oldest `limit` pending items, oldest first. */
  outboxPeek(limit: number): Promise<OutboxItem[]>;
  /** Removes items once the broker has acknowledged them: one transaction for a whole batch. */
  outboxAck(seqs: readonly number[]): Promise<void>;
  /** Counts a failed attempt (kept for the UI and diagnostics). */
  outboxFailed(seq: number): Promise<void>;
  outboxCount(): Promise<number>;
}
