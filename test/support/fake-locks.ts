/**
 * An in-memory Web Locks manager with the parts the app uses: exclusive locks by name, granted in
 * request order, `ifAvailable`, `signal` to give up waiting, and query(). Several MeterApps given
 * the same manager behave as tabs of one origin; a lock is let go when its callback's promise
 * settles (in a browser also when the tab closes, which for a MeterApp is close()).
 */
interface Waiter {
  name: string;
  grant: () => void;
}

export class FakeLocks {
  private readonly held = new Set<string>();
  private readonly queue: Waiter[] = [];

  request(name: string, ...args: unknown[]): Promise<unknown> {
    const callback = args.pop() as (lock: { name: string } | null) => unknown;
    const options = (args[0] ?? {}) as { ifAvailable?: boolean; signal?: AbortSignal };
    if (options.signal?.aborted) return Promise.reject(new DOMException('aborted', 'AbortError'));
    const run = async () => {
      this.held.add(name);
      try {
        return await callback({ name });
      } finally {
        this.held.delete(name);
        this.next(name);
      }
    };
    if (!this.held.has(name) && !this.queue.some((w) => w.name === name)) return run();
    if (options.ifAvailable) return Promise.resolve(callback(null));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { name, grant: () => void run().then(resolve, reject) };
      this.queue.push(waiter);
      options.signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(waiter);
        if (i >= 0) this.queue.splice(i, 1);
        reject(new DOMException('aborted', 'AbortError'));
      });
    });
  }

  async query(): Promise<{ held: { name: string }[]; pending: { name: string }[] }> {
    return { held: [...this.held].map((name) => ({ name })), pending: this.queue.map((w) => ({ name: w.name })) };
  }

  private next(name: string): void {
    const i = this.queue.findIndex((w) => w.name === name);
    if (i < 0) return;
    const [waiter] = this.queue.splice(i, 1);
    waiter!.grant();
  }

  asLockManager(): LockManager {
    return this;
  }
}
