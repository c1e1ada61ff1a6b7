import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPersistent, openApp, startPreview } from './harness.ts';

let server: Awaited<ReturnType<typeof startPreview>>;
let browser: Awaited<ReturnType<typeof launchPersistent>>;
let context: BrowserContext;
const requests: string[] = [];

beforeAll(async () => {
  server = await startPreview();
  browser = await launchPersistent();
  context = browser.context;
  context.on('request', (r) => requests.push(r.url()));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function demoRead(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Demo meter' }).click();
  await expect
    .poll(() => page.getByTestId('connection-state').textContent(), { timeout: 15_000 })
    .toMatch(/Connected: Demo meter/);
  await page.getByTestId('readings').waitFor({ timeout: 20_000 });
}

describe('installable, offline, self-contained', () => {
  it('has a manifest Chrome accepts for installation, with no installability errors', async () => {
    const page = await openApp(context, server.url);
    await page.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await context.newCDPSession(page);
    const manifest = (await cdp.send('Page.getAppManifest')) as { errors: unknown[]; data?: string };
    expect(manifest.errors).toEqual([]);
    const data = JSON.parse(manifest.data!);
    expect(data.display).toBe('standalone');
    expect(data.icons.map((i: { sizes: string }) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(data.icons.some((i: { purpose?: string }) => i.purpose === 'maskable')).toBe(true);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
      installabilityErrors: unknown[];
    };
    expect(installabilityErrors).toEqual([]);
    await page.close();
  });

  it('loads and reads the demo meter offline after the first visit', async () => {
    const page = await openApp(context, server.url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller)
        await new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true }));
    });
    const cached = await page.evaluate(async () =>
      (
        await Promise.all(
          (await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)),
        )
      ).flat(),
    );
    expect(cached.some((u) => new URL(u).pathname.endsWith('/index.html'))).toBe(true);
    expect(cached.some((u) => /\/assets\/sim-.*\.js/.test(new URL(u).pathname))).toBe(true);
    // Each file once: the icons and the manifest were precached twice.
    const paths = cached.map((u) => new URL(u).pathname);
    expect(paths.length).toBe(new Set(paths).size);
    await context.setOffline(true);
    try {
      await page.reload();
      await page.locator('kmp-app').waitFor();
      await demoRead(page);
      // A link to a page (#history) opened offline opens that page, not a blank one.
      const deep = await context.newPage();
      await deep.goto(`${server.url}#history`);
      await expect
        .poll(() => deep.getByRole('tab', { name: 'History', exact: true }).getAttribute('aria-selected'), {
          timeout: 10_000,
        })
        .toBe('true');
      await deep.getByTestId('chart').waitFor({ state: 'attached', timeout: 10_000 });
      await deep.close();
    } finally {
      await context.setOffline(false);
    }
    await page.close();
  });

  it('never requests anything from another host, and its CSP blocks attempts to', async () => {
    const page = await openApp(context, server.url);
    await demoRead(page);
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(csp).toMatch(/script-src 'self'/);
    expect(csp).toMatch(/connect-src 'self' ws: wss:/);
    const blocked = await page.evaluate(async () => {
      try {
        await fetch('https://cdn.example.com/lib.js');
        return false;
      } catch {
        return true;
      }
    });
    expect(blocked).toBe(true);
    const origin = new URL(server.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(requests.length).toBeGreaterThan(3);
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('offers an update only while no meter session is open', async () => {
    const page = await openApp(context, server.url);
    await page.evaluate(() => {
      const app = document.querySelector('kmp-app')!;
      app.applyUpdate = async () => {
        (window as { __updated?: boolean }).__updated = true;
      };
    });
    await expect.poll(() => page.getByRole('button', { name: 'Update now' }).count()).toBe(1);
    await demoRead(page);
    expect(await page.getByRole('button', { name: 'Update now' }).count()).toBe(0);
    expect(await page.getByTestId('update-banner').textContent()).toMatch(/when you disconnect/);
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByRole('button', { name: 'Update now' }).click();
    expect(await page.evaluate(() => (window as { __updated?: boolean }).__updated)).toBe(true);
    await page.close();
  });
});
