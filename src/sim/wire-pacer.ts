/**
 * Delivers bytes at the times a 1200-baud line would: each byte has a due time, and one timer
 * delivers whatever is due, so setTimeout drift never accumulates. In instant mode everything
 * is due at once and goes out on the next macrotask.
 */
export class WirePacer {
  private queue: Array<{ at: number; bytes: Uint8Array }> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

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
    clearTimeout(this.timer);
    this.timer = undefined;
    this.queue = [];
  }

  private arm(): void {
    if (this.timer !== undefined || !this.queue.length) return;
    const wait = Math.max(0, this.queue[0]!.at - this.clock());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = undefined;
    const now = this.clock();
    const due: number[] = [];
    while (this.queue.length && this.queue[0]!.at <= now + 0.5) due.push(...this.queue.shift()!.bytes);
    if (due.length) for (const part of this.split(Uint8Array.from(due))) this.deliver(part);
    this.arm();
  }
}
