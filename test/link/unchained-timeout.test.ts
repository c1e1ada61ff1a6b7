/**
 * In a hidden page a poll's wait is armed from a message task, a timer chain of its own, so that
 * Chrome's intensive throttling of chained timers (one wake-up a minute) does not delay the poll
 * (scripts/hidden-tab.ts measures it in Chromium); visible, and outside a browser, it is plain.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { unchainedTimeout } from '../../src/link/session/unchained-timeout.ts';

const messageTurn = () => new Promise<void>((r) => setTimeout(r, 20));

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('unchainedTimeout', () => {
  it('in a hidden page arms its timer only from a later message task', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    const spy = vi.spyOn(globalThis, 'setTimeout');
    let ran = 0;
    unchainedTimeout(() => ran++, 5);
    expect(spy.mock.calls.filter((c) => c[1] === 5)).toHaveLength(0);
    await messageTurn();
    expect(spy.mock.calls.filter((c) => c[1] === 5)).toHaveLength(1);
    await messageTurn();
    expect(ran).toBe(1);
  });

  it('cancelled before the message task, it never runs', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    let ran = 0;
    const cancel = unchainedTimeout(() => ran++, 1);
    cancel();
    await messageTurn();
    await messageTurn();
    expect(ran).toBe(0);
  });

  it('cancelled after it was armed, it never runs', async () => {
    vi.stubGlobal('document', { visibilityState: 'hidden' });
    let ran = 0;
    const cancel = unchainedTimeout(() => ran++, 40);
    await messageTurn();
    cancel();
    await new Promise((r) => setTimeout(r, 60));
    expect(ran).toBe(0);
  });

  it('in a visible page it is a plain timer, armed at once', () => {
    vi.stubGlobal('document', { visibilityState: 'visible' });
    const spy = vi.spyOn(globalThis, 'setTimeout');
    const cancel = unchainedTimeout(() => undefined, 7);
    expect(spy.mock.calls.filter((c) => c[1] === 7)).toHaveLength(1);
    cancel();
  });
});
