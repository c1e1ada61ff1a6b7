/**
 * In a hidden page the virtual meter's wire pacer arms its timer from a message task, as a real
 * port's bytes arrive as I/O tasks and not on the page's chained timers (which Chrome throttles
 * to once a minute after 5 minutes hidden). The bytes still arrive, in order; clear() before the
 * task stops them.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WirePacer } from '../../src/sim/wire-pacer.ts';

const settle = () => new Promise<void>((r) => setTimeout(r, 30));

afterEach(() => vi.unstubAllGlobals());

function pacer(): { p: WirePacer; got: number[] } {
  const got: number[] = [];
  const p = new WirePacer(
    (bytes) => got.push(...bytes),
    (bytes) => [bytes],
  );
  return { p, got };
}

describe('the wire pacer in a hidden page', () => {
  it('delivers what is due, in order, through a message task', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const { p, got } = pacer();
    const spy = vi.spyOn(globalThis, 'setTimeout');
    p.push(performance.now(), Uint8Array.of(1, 2));
    p.push(performance.now() + 5, Uint8Array.of(3));
    // Nothing armed on a timer yet: the timer comes from the message task.
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    await settle();
    expect(got).toEqual([1, 2, 3]);
  });

  it('cleared before the message task, delivers nothing and arms again on the next push', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const { p, got } = pacer();
    p.push(performance.now(), Uint8Array.of(9));
    p.clear();
    await settle();
    expect(got).toEqual([]);
    p.push(performance.now(), Uint8Array.of(7));
    await settle();
    expect(got).toEqual([7]);
  });
});
