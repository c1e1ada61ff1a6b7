/**
 * Persistent storage: asked when polling starts or station mode is switched on, once per page
 * unless the person asks again; the answer kept and said in words. A fake navigator.storage
 * answers; the app around it is the real one over fake-indexeddb and a virtual meter.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  StoragePersistence,
  type PersistenceStorage,
  type PersistenceView,
} from '../../src/app/storage-persistence.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { freshName } from '../store/helpers.ts';
import { closeApps, english, startApp, until } from './helpers.ts';

afterEach(closeApps);

/** The view with its words in English, as the Settings page shows it in English. */
const inEnglish = (v: PersistenceView) => ({ ...v, text: english(v.text) });

/** navigator.storage as a browser that answers `answers` in turn (then the last again). */
function fakeStorage(answers: boolean[], persisted = false): PersistenceStorage & { asked: number } {
  const fake = {
    asked: 0,
    persist: async () => answers[Math.min(fake.asked++, answers.length - 1)]!,
    persisted: async () => persisted,
  };
  return fake;
}

describe('asking the browser to keep the data', () => {
  it('asks when polling starts, not at open, and once per page however often polling restarts', async () => {
    const storage = fakeStorage([true]);
    const app = startApp(freshName(), { storage });
    await app.ready;
    expect(storage.asked).toBe(0);
    expect(inEnglish(app.storagePersistence.view)).toMatchObject({
      state: 'unknown',
      text: expect.stringMatching(/Not asked yet/),
    });

    await app.session.connect(createVirtualMeter({ frozen: true, model: '403' }).port, { label: 'v', demo: true });
    app.session.startPolling([60], 60_000);
    await until(
      () => app.storagePersistence.view.state,
      (s) => s === 'persistent',
    );
    expect(english(app.storagePersistence.view.text)).toMatch(/keeps the readings and the outbox permanently/);
    app.session.stopPolling();
    app.session.startPolling([60], 60_000);
    app.settings.update({ station: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(storage.asked).toBe(1);
  });

  it('asks when station mode is switched on, says a refusal in words, and asks again only when told to', async () => {
    const storage = fakeStorage([false, true]);
    const app = startApp(freshName(), { storage });
    await app.ready;
    const seen: string[] = [];
    app.storagePersistence.subscribe((v) => seen.push(v.state));
    app.settings.update({ station: true });
    await until(
      () => app.storagePersistence.view.state,
      (s) => s === 'best-effort',
    );
    expect(inEnglish(app.storagePersistence.view)).toMatchObject({
      canAskAgain: true,
      text: expect.stringMatching(/may delete the readings and the outbox when the disk runs full/),
    });
    // Switched off and on again in the same page: not asked again by itself.
    app.settings.update({ station: false });
    app.settings.update({ station: true });
    await new Promise((r) => setTimeout(r, 50));
    expect(storage.asked).toBe(1);
    await app.storagePersistence.askAgain();
    expect(storage.asked).toBe(2);
    expect(seen).toEqual(['unknown', 'best-effort', 'persistent']);
  });

  it('asks at open when station mode was saved on, as a reopened station page starts', async () => {
    const name = freshName();
    const first = startApp(name, { storage: fakeStorage([true]) });
    await first.ready;
    first.settings.update({ station: true });
    await closeApps();
    const storage = fakeStorage([true]);
    const second = startApp(name, { storage });
    await second.ready;
    await until(
      () => storage.asked,
      (n) => n === 1,
    );
  });

  it('says when the data is kept already, without asking, and when the browser cannot be asked', async () => {
    const granted = new StoragePersistence(fakeStorage([false], true));
    await granted.check();
    expect(granted.view.state).toBe('persistent');
    await granted.request();
    expect(granted.view.state).toBe('persistent');

    const none = new StoragePersistence(undefined);
    await none.request();
    expect(inEnglish(none.view)).toMatchObject({
      state: 'unsupported',
      canAskAgain: false,
      text: expect.stringMatching(/cannot be asked/),
    });
    const failing = new StoragePersistence({ persist: () => Promise.reject(new Error('no')) });
    await failing.request();
    expect(failing.view.state).toBe('best-effort');
  });
});
