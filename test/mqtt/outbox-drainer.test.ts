import { describe, expect, it } from 'vitest';
import { OutboxDrainer } from '../../src/mqtt/index.ts';
import type { OutboxItem, OutboxSource } from '../../src/store/outbox-types.ts';

class MemoryOutbox implements OutboxSource {
  items: OutboxItem[] = [];
  constructor(n: number) {
    for (let i = 1; i <= n; i++)
      this.items.push({ seq: i, reading: { serial: 1, takenAt: i, values: [] }, queuedAt: i, attempts: 0 });
  }
  async outboxPeek(limit: number) {
    return this.items.slice(0, limit);
  }
  async outboxAck(seqs: readonly number[]) {
    this.items = this.items.filter((i) => !seqs.includes(i.seq));
  }
  async outboxFailed(seq: number) {
    const item = this.items.find((i) => i.seq === seq);
    if (item) item.attempts++;
  }
  async outboxCount() {
    return this.items.length;
  }
}

describe('OutboxDrainer', () => {
  it('sends in order, in windows, and removes what was acknowledged', async () => {
    const box = new MemoryOutbox(23);
    const sent: number[] = [];
    const progress: number[] = [];
    const d = new OutboxDrainer(
      box,
      async (item) => (sent.push(item.seq), { ack: Promise.resolve() }),
      () => true,
      { window: 5, onProgress: (n) => progress.push(n) },
    );
    await d.kick();
    expect(sent).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(box.items).toEqual([]);
    expect(progress.at(-1)).toBe(0);
  });

  it('on a failed acknowledgement keeps that reading and everything after it, and counts the attempt', async () => {
    const box = new MemoryOutbox(10);
    const d = new OutboxDrainer(
      box,
      async (item) => ({ ack: item.seq === 4 ? Promise.reject(new Error('link dropped')) : Promise.resolve() }),
      () => true,
      { window: 10 },
    );
    await d.kick();
    expect(box.items.map((i) => i.seq)).toEqual([4, 5, 6, 7, 8, 9, 10]);
    expect(box.items[0]!.attempts).toBe(1);
  });

  it('sends nothing while it cannot, and a failing send (not connected) loses nothing', async () => {
    const box = new MemoryOutbox(3);
    let sends = 0;
    await new OutboxDrainer(
      box,
      async () => (sends++, { ack: Promise.resolve() }),
      () => false,
    ).kick();
    expect(sends).toBe(0);
    await new OutboxDrainer(
      box,
      async () => {
        throw new Error('not connected');
      },
      () => true,
    ).kick();
    expect(box.items).toHaveLength(3);
  });

  it('a kick during a drain drains again, so a reading queued meanwhile is not left behind', async () => {
    const box = new MemoryOutbox(2);
    const d = new OutboxDrainer(
      box,
      async (item) => {
        if (item.seq === 1) {
          box.items.push({ ...box.items[0]!, seq: 3 });
          void d.kick();
        }
        return { ack: Promise.resolve() };
      },
      () => true,
      { window: 1 },
    );
    await d.kick();
    await d.idle();
    expect(box.items).toEqual([]);
  });
});
