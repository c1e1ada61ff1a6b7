/**
 * A line that trickles bytes just faster than the inter-byte
 * timeout held one read open for about 100 s. A reply now has a total deadline.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { KmpClient, LinkError, replyDeadlineMs, type SerialPortLike } from '../../src/link/index.ts';
import { connect, SEED_IDS } from './helpers.ts';

/**
 * A port whose far end answers every request with a reply start (0x40) and then one byte
 * every `everyMs`, never the stop byte: what a flaky head or stray light can look like.
 */
function tricklingPort(everyMs: number): SerialPortLike & { sent: number; stop(): void } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let timer: ReturnType<typeof setInterval> | undefined;
  const port = {
    sent: 0,
    readable: new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }),
    writable: new WritableStream<Uint8Array>({
      write: () => {
        clearInterval(timer);
        controller.enqueue(Uint8Array.of(0x40));
        timer = setInterval(() => {
          port.sent++;
          controller.enqueue(Uint8Array.of(0x3f));
        }, everyMs);
      },
    }),
    stop: () => clearInterval(timer),
    close: async () => clearInterval(timer),
  };
  return port;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('a total deadline for one reply', () => {
  it('gives up on a trickling reply after the deadline, with a LinkError in plain words', async () => {
    vi.useFakeTimers();
    const port = tricklingPort(150);
    const client = new KmpClient(port, { interByteTimeoutMs: 200, retries: 0 });
    const started = Date.now();
    let settledAfter = Infinity;
    const result = client.getSerialNo().catch((e: unknown) => {
      settledAfter = Date.now() - started;
      return e;
    });
    await vi.advanceTimersByTimeAsync(10_000);
    const error = await result;
    expect(error).toBeInstanceOf(LinkError);
    expect((error as LinkError).kind).toBe('overrun');
    expect((error as LinkError).message).toMatch(/did not finish within \d+(\.\d)? s/);
    expect((error as LinkError).advice).toMatch(/head/);
    // Given up at the default deadline (a few seconds), not after 100 s of trickle.
    const deadline = replyDeadlineMs({});
    expect(deadline).toBeGreaterThan(2_000);
    expect(deadline).toBeLessThan(8_000);
    expect(settledAfter).toBeGreaterThanOrEqual(deadline);
    expect(settledAfter).toBeLessThan(deadline + 100);
    // Bytes really kept coming inside the inter-byte timeout the whole time.
    expect(port.sent).toBeGreaterThan(deadline / 150 - 2);
    port.stop();
    void client.close();
  });

  it('takes the deadline from the options, and retries count each attempt on its own', async () => {
    vi.useFakeTimers();
    const port = tricklingPort(50);
    const client = new KmpClient(port, {
      interByteTimeoutMs: 200,
      replyDeadlineMs: 1000,
      retries: 1,
      retryBackoffMs: 0,
    });
    let settledAt: number | undefined;
    const t0 = Date.now();
    const result = client.getSerialNo().catch((e: unknown) => {
      settledAt = Date.now() - t0;
      return e;
    });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await result).toMatchObject({ kind: 'overrun' });
    expect(settledAt).toBeGreaterThanOrEqual(2000);
    expect(settledAt).toBeLessThan(2200);
    port.stop();
    void client.close();
  });

  it('the default deadline grows with a slower line and leaves a full reply at 1200 baud untouched', async () => {
    expect(replyDeadlineMs({ baudRate: 300 })).toBeGreaterThan(replyDeadlineMs({ baudRate: 1200 }));
    const { client } = await connect(
      { timing: 'realtime', baudRate: 1200 },
      { firstByteTimeoutMs: 1500, interByteTimeoutMs: 200 },
    );
    const { values, failed } = await client.readRegisters(SEED_IDS.slice(0, 8));
    expect(failed).toEqual([]);
    expect(values).toHaveLength(8);
    await client.close();
  });
});
