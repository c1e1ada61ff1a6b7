import { afterEach, describe, expect, it } from 'vitest';
import { MeterSession } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { AppSettings } from '../../src/app/app-settings.ts';
import { PollingWakeLock, type WakeLockEnv } from '../../src/app/polling-wake-lock.ts';
import { FAST } from '../link/helpers.ts';
import type { Words } from '../../src/kmp/words.ts';
import { english } from './english.ts';

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  show(state: DocumentVisibilityState): void {
    this.visibilityState = state;
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

/** Like WakeLockSentinel: fires 'release' once, whether we or the browser release it. */
class FakeSentinel extends EventTarget {
  released = false;
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.dispatchEvent(new Event('release'));
  }
}

const sessions: MeterSession[] = [];
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.disconnect()));
});

async function rig(options: { wakeLock?: WakeLockEnv['wakeLock'] } = {}) {
  const meter = createVirtualMeter({ frozen: true });
  const session = new MeterSession({ client: FAST });
  sessions.push(session);
  await session.connect(meter.port, { label: 'virtual' });
  const settings = new AppSettings();
  const doc = new FakeDocument();
  const granted: FakeSentinel[] = [];
  const fake: WakeLockEnv['wakeLock'] = {
    request: async () => {
      const s = new FakeSentinel();
      granted.push(s);
      return s;
    },
  };
  const env: WakeLockEnv = {
    wakeLock: 'wakeLock' in options ? options.wakeLock : fake,
    document: doc,
  };
  const lock = new PollingWakeLock(session, settings, env);
  return { session, settings, doc, granted, lock };
}

const until = async (check: () => boolean) => {
  const end = Date.now() + 3000;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('PollingWakeLock', () => {
  it('holds the screen on while polling, asks again when the page is back, and lets go when polling stops', async () => {
    const { session, settings, doc, granted, lock } = await rig();
    expect(lock.state.kind).toBe('off');
    session.startPolling([60], 60_000);
    await until(() => lock.state.kind === 'held');
    expect(granted).toHaveLength(1);

    // The browser drops the lock when the page is hidden; no request while hidden.
    doc.show('hidden');
    await granted[0]!.release();
    await until(() => lock.state.kind === 'unavailable');
    expect(granted).toHaveLength(1);
    doc.show('visible');
    await until(() => lock.state.kind === 'held');
    expect(granted).toHaveLength(2);

    settings.update({ keepScreenOn: false });
    await until(() => lock.state.kind === 'off');
    expect(granted[1]!.released).toBe(true);
    settings.update({ keepScreenOn: true });
    await until(() => lock.state.kind === 'held');

    session.stopPolling();
    await until(() => lock.state.kind === 'off');
    expect(granted.every((s) => s.released)).toBe(true);
  });

  it('says why when the browser has no wake lock or refuses it', async () => {
    const none = await rig({ wakeLock: undefined });
    none.session.startPolling([60], 60_000);
    await until(() => none.lock.state.kind === 'unavailable');
    expect(none.lock.state.kind).toBe('unavailable');
    expect(english((none.lock.state as { reason?: Words }).reason)).toBe('this browser cannot keep the screen on');

    const refused = await rig({
      wakeLock: { request: () => Promise.reject(new Error('Wake Lock permission request denied')) },
    });
    refused.session.startPolling([60], 60_000);
    await until(() => refused.lock.state.kind === 'unavailable');
    expect(refused.lock.state.kind).toBe('unavailable');
    expect(english((refused.lock.state as { reason?: Words }).reason)).toBe('Wake Lock permission request denied');
  });
});
