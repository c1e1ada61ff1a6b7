import type { OutboxItem, OutboxSource } from '../store/outbox-types.ts';

export interface DrainerOptions {
  /** Readings published before waiting for their acknowledgements. */
  window?: number;
  onProgress?: (pending: number) => void;
  onError?: (e: unknown) => void;
}

/**
 * Publishes the outbox in order and removes each reading only after the broker acknowledged
 * every message of it. A window of readings is in flight at once (the broker receives them in
 * order over the one connection); when any fails, the acknowledged ones before it are removed
 * and the rest stay for the next attempt, so nothing is lost and the order holds.
 */
export class OutboxDrainer {
  private running: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly source: OutboxSource,
    /**
     * Starts sending the item's messages, then returns (wrapped, so it is not awaited here) the
     * promise of their acknowledgement.
     */
    private readonly send: (item: OutboxItem) => Promise<{ ack: Promise<void> }>,
    private readonly canSend: () => boolean,
    private readonly options: DrainerOptions = {},
  ) {}

  /** Drains now if it can; safe to call often (after each reading, on every connect). */
  kick(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again && this.canSend());
      } catch (e) {
        this.options.onError?.(e);
      } finally {
        this.running = undefined;
        await this.report();
      }
    })();
    return this.running;
  }

  /** Resolves once nothing is being drained (for tests and a clean stop). */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private async report(): Promise<void> {
    if (this.options.onProgress) this.options.onProgress(await this.source.outboxCount());
  }

  private async drain(): Promise<void> {
    const window = this.options.window ?? 50;
    while (this.canSend()) {
      const items = await this.source.outboxPeek(window);
      if (items.length === 0) return;
      const acks: Promise<void>[] = [];
      for (const item of items) {
        if (!this.canSend()) break;
        let ack: Promise<void>;
        try {
          ack = (await this.send(item)).ack;
        } catch (e) {
          ack = Promise.reject(e);
        }
        // Settled below; this only keeps an early failure from counting as unhandled.
        ack.catch(() => undefined);
        acks.push(ack);
      }
      const results = await Promise.allSettled(acks);
      const firstFailure = results.findIndex((r) => r.status === 'rejected');
      const done = firstFailure === -1 ? results.length : firstFailure;
      if (done > 0) await this.source.outboxAck(items.slice(0, done).map((i) => i.seq));
      await this.report();
      if (firstFailure !== -1) {
        await this.source.outboxFailed(items[firstFailure]!.seq);
        return;
      }
      if (acks.length < items.length) return;
    }
  }
}
