/**
 * A chip's receive FIFO as the USB host sees it through a bulk IN endpoint: a transferIn stays
 * pending (the chip NAKs) until there is data, then returns it in packets of at most the
 * endpoint's packet size, ending with the first short packet — what a host controller does.
 */
export interface InResult {
  status: 'ok' | 'babble';
  data: Uint8Array;
}

interface Waiter {
  length: number;
  resolve: (r: InResult) => void;
}

export class InBuffer {
  private bytes: number[] = [];
  private waiters: Waiter[] = [];

  /**
   * @param packetSize the bulk IN endpoint's wMaxPacketSize
   * @param capacity the chip's receive FIFO; what arrives beyond it is lost (overrun)
   * @param holdBelow bytes the chip waits for before it sends anything (CH34x's packet buffering)
   */
  constructor(
    private readonly packetSize: number,
    private readonly capacity: number,
    public holdBelow: () => number = () => 1,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  push(data: Uint8Array): void {
    const room = this.capacity - this.bytes.length;
    this.bytes.push(...data.subarray(0, Math.max(0, room)));
    this.serve();
  }

  clear(): void {
    this.bytes = [];
  }

  read(length: number, signal: AbortSignal): Promise<InResult> {
    return new Promise((resolve) => {
      const waiter: Waiter = { length, resolve };
      this.waiters.push(waiter);
      // An aborted transfer (close, release, unplug) must not swallow data that arrives later.
      signal.addEventListener('abort', () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
      });
      this.serve();
    });
  }

  private serve(): void {
    while (this.waiters.length && this.bytes.length && this.bytes.length >= this.holdBelow()) {
      const waiter = this.waiters.shift()!;
      waiter.resolve(this.take(waiter.length));
    }
  }

  private take(length: number): InResult {
    // Packets of packetSize until the data or the transfer's room runs out. If the chip's next
    // packet is larger than the room left, the host controller reports babble (Chrome: status
    // 'babble'), which is why drivers must ask for whole packets.
    const available = this.bytes.length;
    const n = Math.min(available, length);
    const babble = available > length && length % this.packetSize !== 0;
    const data = Uint8Array.from(this.bytes.splice(0, n));
    return { status: babble ? 'babble' : 'ok', data };
  }
}
