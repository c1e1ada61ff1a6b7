/**
 * The broker password in the built app in Chromium (real IndexedDB, real WebCrypto): in no page
 * global, no URL, no export without asking; sealed in the database under a non-extractable key;
 * an older version's plain record sealed on first open; a lost key said in words. Also the
 * answer about persistent storage on the Settings page.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aedesBroker, type TestBroker } from '../support/brokers.ts';
import { downloadText, openApp, useAppServer } from './harness.ts';

const env = useAppServer();
const AUTH = { username: 'ha-user', password: 'S3cret-broker-pw' };
let broker: TestBroker & { close(): Promise<void> };
beforeAll(async () => {
  broker = await aedesBroker(AUTH);
});
afterAll(async () => {
  await broker?.close();
});

async function publishWithLogin(page: Page, baseTopic: string): Promise<void> {
  await page.getByRole('tab', { name: 'Publish' }).click();
  await page.getByLabel('Broker address (ws:// or wss://)').fill(broker.wsUrl);
  await page.getByLabel('Base topic').fill(baseTopic);
  await page.getByLabel('User name', { exact: true }).fill(AUTH.username);
  await page.getByLabel('Password', { exact: true }).fill(AUTH.password);
  await page.getByLabel('Publish readings to MQTT').check();
  await page.getByRole('button', { name: 'Save' }).click();
  await connected(page);
}

/** Connected to the broker, which takes only the right login: proof the password was there. */
async function connected(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Publish' }).click();
  await expect
    .poll(() => page.getByTestId('mqtt-state').textContent(), { timeout: 15_000 })
    .toMatch(/Connected to the broker/);
}

/** Paths of everything reachable from the kmp* globals (getters, maps, promises: a few levels) that holds `needle`. */
function globalsHolding(page: Page, needle: string): Promise<string[]> {
  return page.evaluate(async (needle) => {
    const found: string[] = [];
    const seen = new WeakSet<object>();
    let budget = 50_000;
    const latin1 = (b: ArrayBufferLike | ArrayBufferView) =>
      Array.from(ArrayBuffer.isView(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : new Uint8Array(b))
        .map((c) => String.fromCharCode(c))
        .join('');
    async function walk(v: unknown, path: string, depth: number): Promise<void> {
      if (typeof v === 'string') {
        if (v.includes(needle)) found.push(path);
        return;
      }
      if (v === null || (typeof v !== 'object' && typeof v !== 'function') || depth > 7 || --budget < 0) return;
      if (seen.has(v) || v === window || v instanceof Node) return;
      seen.add(v);
      if (v instanceof Promise) return walk(await v.catch(() => undefined), `${path}(resolved)`, depth + 1);
      if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
        if (latin1(v).includes(needle)) found.push(path);
        return;
      }
      if (v instanceof Map) for (const [k, x] of v) await walk(x, `${path}.get(${String(k)})`, depth + 1);
      if (v instanceof Set) for (const x of v) await walk(x, `${path}.has()`, depth + 1);
      const names = new Set(Object.getOwnPropertyNames(v));
      // Getters of classes (PublishingControl.view …), not those of the platform's own objects.
      for (
        let p = Object.getPrototypeOf(v);
        p && p !== Object.prototype && p !== Function.prototype;
        p = Object.getPrototypeOf(p)
      )
        for (const [k, d] of Object.entries(Object.getOwnPropertyDescriptors(p))) if (d.get) names.add(k);
      for (const k of names) {
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[k];
        } catch {
          continue;
        }
        await walk(x, `${path}.${k}`, depth + 1);
      }
    }
    for (const k of Object.getOwnPropertyNames(window).filter((k) => /kmp/i.test(k)))
      await walk((window as unknown as Record<string, unknown>)[k], k, 0);
    return found;
  }, needle);
}

/** The raw settings records as any script of this origin reads them, buffers as text. */
function rawSettings(page: Page): Promise<{ text: string; sealed: boolean; key: string }> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('kmp-web');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(new Error(r.error?.message ?? 'the database did not open'));
    });
    const get = (key: string) =>
      new Promise<unknown>((resolve) => {
        const r = db.transaction('settings').objectStore('settings').get(key);
        r.onsuccess = () => resolve(r.result);
      });
    const record = (await get('mqtt')) as Record<string, unknown>;
    const key = await get('secret-box-key');
    db.close();
    const text = JSON.stringify(record, (_k, v: unknown) =>
      v instanceof ArrayBuffer || v instanceof Uint8Array
        ? Array.from(new Uint8Array(v instanceof Uint8Array ? v.buffer : v), (c) => String.fromCharCode(c)).join('')
        : v,
    );
    let exported = 'exported';
    if (key instanceof CryptoKey)
      exported = await crypto.subtle.exportKey('raw', key).then(
        () => 'exported',
        (e: unknown) => `refused: ${(e as Error).name}; extractable ${key.extractable}`,
      );
    return { text, sealed: 'passwordSealed' in record && !('password' in record), key: exported };
  });
}

describe('the broker password', () => {
  it('is in no page global, no URL and no export unless asked, and sealed in the database', async () => {
    const page = await openApp(await env.newContext({ acceptDownloads: true }), env.url);
    await publishWithLogin(page, 'e2e-secrets');
    expect(await globalsHolding(page, AUTH.password)).toEqual([]);
    // The console handle still serves the tests: settings without the password, saving through it.
    expect(
      await page.evaluate(() => (window as unknown as { kmpPublishing: { settings: object } }).kmpPublishing.settings),
    ).toMatchObject({ url: broker.wsUrl, username: AUTH.username, passwordSaved: true });
    expect(page.url()).not.toContain(AUTH.password);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');

    const raw = await rawSettings(page);
    expect(raw.text).not.toContain(AUTH.password);
    expect(raw.sealed).toBe(true);
    expect(raw.key).toBe('refused: InvalidAccessError; extractable false');

    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await downloadText(page, 'Export JSON')).not.toContain(AUTH.password);
    await page.getByLabel('Include the broker password').check();
    expect(JSON.parse(await downloadText(page, 'Export JSON')).mqtt).toMatchObject({ password: AUTH.password });

    // A reload opens the sealed password for the login, and the page still holds none of it.
    await page.reload();
    await page.locator('kmp-app').waitFor();
    await connected(page);
    expect(await globalsHolding(page, AUTH.password)).toEqual([]);
  });

  it('seals the plain password an older version stored, on first open, and logs in with it', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await page.evaluate(
      async ({ url, auth }) => {
        const db = await (
          window as unknown as { kmpStore: Promise<{ putSetting(k: string, v: unknown): Promise<void> }> }
        ).kmpStore;
        await db.putSetting('mqtt', { enabled: true, url, baseTopic: 'e2e-old', ...auth });
      },
      { url: broker.wsUrl, auth: AUTH },
    );
    expect((await rawSettings(page)).text).toContain(AUTH.password);
    await page.reload();
    await page.locator('kmp-app').waitFor();
    await connected(page);
    const raw = await rawSettings(page);
    expect(raw.text).not.toContain(AUTH.password);
    expect(raw.sealed).toBe(true);
  });

  it('with its key deleted, says the password must be entered again and keeps the rest', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await publishWithLogin(page, 'e2e-lost-key');
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const r = indexedDB.open('kmp-web');
          r.onsuccess = () => {
            const tx = r.result.transaction('settings', 'readwrite');
            tx.objectStore('settings').delete('secret-box-key');
            tx.oncomplete = () => (r.result.close(), resolve());
          };
        }),
    );
    await page.reload();
    await page.locator('kmp-app').waitFor();
    await expect
      .poll(() => page.getByTestId('notice').textContent(), { timeout: 10_000 })
      .toMatch(/password cannot be read.*Enter it again/);
    await page.getByRole('tab', { name: 'Publish' }).click();
    expect(await page.getByTestId('password-problem').textContent()).toMatch(/key that encrypted it is gone/);
    expect(await page.getByLabel('Base topic').inputValue()).toBe('e2e-lost-key');
    expect(await page.getByLabel('User name', { exact: true }).inputValue()).toBe(AUTH.username);
    await page.getByLabel('Password', { exact: true }).fill(AUTH.password);
    await page.getByRole('button', { name: 'Save' }).click();
    await connected(page);
    expect(await page.getByTestId('password-problem').count()).toBe(0);
  });
});

describe('persistent storage', () => {
  it('is asked when polling starts, and the answer is said on the Settings page', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await page.getByRole('tab', { name: 'Settings' }).click();
    expect(await page.getByTestId('storage-persistence').getAttribute('data-state')).toMatch(/unknown|persistent/);
    await page.getByRole('tab', { name: 'Meter', exact: true }).click();
    await page.getByRole('button', { name: 'Demo meter' }).click();
    await page.getByRole('button', { name: 'Start polling' }).click();
    await page.getByRole('tab', { name: 'Settings' }).click();
    // The browser answers in its own time; on a loaded machine more than expect.poll's default second.
    await expect
      .poll(() => page.getByTestId('storage-persistence').getAttribute('data-state'), { timeout: 30_000 })
      .toMatch(/^(persistent|best-effort)$/);
    expect(await page.getByTestId('storage-persistence').textContent()).toMatch(/disk runs full/);
  }, 60_000);
});
