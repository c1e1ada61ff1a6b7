import type { WireLog } from '../link/index.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import type { StoredFrame } from '../store/schema.ts';

/**
 * Keeps the frame log in the store (which caps it), in batches: a burst of frames is one write,
 * `batchMs` after its first frame. A failed write is let go: the log is for diagnosing, and the
 * readings' own writes say when storage fails.
 */
export class FrameLogSink {
  // Log entries as they come: the store keeps only a frame's own fields (frames-store.ts).
  private pending: StoredFrame[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    log: Pick<WireLog, 'subscribe'>,
    private readonly store: Pick<KmpStore, 'appendFrames'>,
    private readonly batchMs = 2000,
  ) {
    this.unsubscribe = log.subscribe((entry) => {
      this.pending.push(entry);
      this.timer ??= setTimeout(() => void this.flush(), this.batchMs);
    });
  }

  /** Writes what is waiting now. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length) await this.store.appendFrames(batch).catch(() => undefined);
  }

  /** Stops following the log, writing what is waiting. */
  async stop(): Promise<void> {
    this.unsubscribe();
    await this.flush();
  }
}
