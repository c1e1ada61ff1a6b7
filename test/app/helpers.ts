/**
 * The app layer in Node: a MeterApp over a named fake IndexedDB (a new MeterApp over the same
 * name is what a reload makes), a virtual meter behind its session, no document.
 */
import 'fake-indexeddb/auto';
import { MeterApp, type MeterAppOptions } from '../../src/app/meter-app.ts';
import type { PublishingControl, PublishingView } from '../../src/app/publishing-control.ts';
import { MeterSession } from '../../src/link/index.ts';
import { DEFAULT_MQTT_SETTINGS, type MqttSettings } from '../../src/mqtt/index.ts';
import { KmpStore } from '../../src/store/kmp-store.ts';
import { FAST } from '../link/helpers.ts';

/** A page that is never shown: no wake lock is asked for. */
const HIDDEN_PAGE: MeterAppOptions['wakeLock'] = {
  wakeLock: undefined,
  document: { visibilityState: 'hidden', addEventListener: () => undefined },
};

const open: MeterApp[] = [];

/** The app as a page would start it, over the database `name`. */
export function startApp(name: string, options: Partial<MeterAppOptions> = {}): MeterApp {
  const app = new MeterApp({
    appVersion: 'test',
    pageUrl: 'http://localhost/',
    wakeLock: HIDDEN_PAGE,
    session: new MeterSession({ client: FAST }),
    openStore: (onVersionChange) => KmpStore.open({ name, onVersionChange }),
    ...options,
  });
  open.push(app);
  return app;
}

/** Closes every app the test started (for afterEach). */
export async function closeApps(): Promise<void> {
  await Promise.all(open.splice(0).map((app) => app.close()));
}

/** Publishing to `url` under `baseTopic`, the defaults otherwise. */
export function brokerSettings(url: string, baseTopic: string): MqttSettings {
  return { ...DEFAULT_MQTT_SETTINGS, enabled: true, url, baseTopic };
}

/** Resolves when the publishing view satisfies `ok`. */
export function publishingWhen(publishing: PublishingControl, ok: (v: PublishingView) => boolean): Promise<void> {
  return new Promise((resolve) => {
    const stop = publishing.subscribe((v) => {
      if (!ok(v)) return;
      resolve();
      queueMicrotask(() => stop());
    });
  });
}

/** Waits until `get` satisfies `ok`, polling; fails with the last value after `timeoutMs`. */
export async function until<T>(get: () => T | Promise<T>, ok: (v: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export { english } from './english.ts';
