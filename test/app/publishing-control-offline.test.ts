import { describe, expect, it, vi } from 'vitest';
import type { KmpStore } from '../../src/store/kmp-store.ts';
import { PublishingControl } from '../../src/app/publishing-control.ts';
import { english } from './english.ts';

// The settings check loads when there are settings to check; here its file never arrives
// (offline before the app was fully installed, or an update half-way).
vi.mock('../../src/mqtt/mqtt-settings.ts', () => {
  throw new TypeError('Failed to fetch dynamically imported module');
});

/** A store holding these settings, which records what is written to it. */
function storeWith(saved: Record<string, unknown>) {
  const written: unknown[] = [];
  const store = {
    getSetting: async (key: string) => saved[key],
    putSetting: async (_key: string, value: unknown) => void written.push(value),
    outboxCount: async () => 0,
  } as unknown as KmpStore;
  return { store: Promise.resolve(store), written };
}

describe('PublishingControl when the settings check cannot load', () => {
  it('starts with publishing off when nothing was saved: no check is needed', async () => {
    const control = new PublishingControl(storeWith({}).store, 'test', 'http://localhost/');
    await control.init();
    expect(control.view.settings.enabled).toBe(false);
  });

  it('says why saved settings are not used, and saves or tests nothing unchecked', async () => {
    const { store, written } = storeWith({ mqtt: { enabled: true, url: 'ws://127.0.0.1:1' } });
    const control = new PublishingControl(store, 'test', 'http://localhost/');
    await expect(control.init()).rejects.toThrow(/saved broker settings could not be checked: the app's files/);
    expect(control.settings.enabled).toBe(false);

    const saved = await control.save({ enabled: true, url: 'ws://127.0.0.1:1' });
    expect(saved.problems).toMatchObject([
      { field: 'enabled', message: expect.stringMatching(/could not be checked, so not saved.*Reload when online/) },
    ]);
    expect(written).toEqual([]);
    const tested = await control.test({ url: 'ws://127.0.0.1:1' });
    expect(tested.ok).toBe(false);
    expect(english(tested.ok ? undefined : tested.message)).toMatch(
      /could not be checked: the app's files did not arrive/,
    );
  });
});
