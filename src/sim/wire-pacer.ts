/**
 * Delivers bytes at the times a 1200-baud line would: each byte has a due time, and one timer
 * delivers whatever is due, so setTimeout drift never accumulates. In instant mode everything
 * is due at once and goes out on the next macrotask.
 *
 * A real port's bytes arrive as I/O tasks, never on the page's timers. In a hidden page the
 * pacer's timer is therefore armed from a message task (a fresh timer chain): otherwise each
 * reply would be one more link of a chain and Chrome, after 5 minutes hidden, would hold every
 * byte for up to a minute, which no head does (scripts/hidden-tab.ts measures the page).
 */
export class WirePacer {
  private queue: Array<{ at: number; bytes: Uint8Array }> = [];
  /** Cancels the armed timer (or the message task that will arm it); undefined when none is armed. */
  private cancel: (() => void) | undefined;

  constructor(
    private readonly deliver: (bytes: Uint8Array) => void,
    private readonly split: (bytes: Uint8Array) => Uint8Array[],
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Queues bytes due at `at` (clock milliseconds). */
  push(at: number, bytes: Uint8Array): void {
    this.queue.push({ at, bytes });
    this.queue.sort((a, b) => a.at - b.at);
    this.arm();
  }

  clear(): void {
    this.cancel?.();
    this.cancel = undefined;
    this.queue = [];
  }

  private arm(): void {
    if (this.cancel !== undefined || !this.queue.length) return;
    const start = () => {
      const timer = setTimeout(() => this.flush(), Math.max(0, this.queue[0]!.at - this.clock()));
      this.cancel = () => clearTimeout(timer);
    };
    // The same move as link's unchainedTimeout (src/link/session/unchained-timeout.ts), which the
    // sim may not import: a closed port delivers nothing, so clear() before the task cancels it.
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden';
    if (!hidden || typeof MessageChannel === 'undefined') return start();
    const channel = new MessageChannel();
    this.cancel = () => channel.port1.close();
    channel.port1.onmessage = () => {
      channel.port1.close();
      start();
    };
    channel.port2.postMessage(null);
  }

  private flush(): void {
    this.cancel = undefined;
    const now = this.clock();
    const due: number[] = [];
    while (this.queue.length && this.queue[0]!.at <= now + 0.5) due.push(...this.queue.shift()!.bytes);
    if (due.length) for (const part of this.split(Uint8Array.from(due))) this.deliver(part);
    this.arm();
  }
}
