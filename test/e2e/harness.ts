/**
 * End-to-end harness: the production build served by `vite preview` on a free loopback port,
 * Debian's Chromium driven by playwright-core, and the fake navigator.serial bundled with esbuild.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { FakeSerialConfig } from './fake-serial-entry.ts';
import type { FakeUsbConfig } from './fake-usb-entry.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}. Install Debian's package: apt-get install chromium (or set CHROMIUM_PATH).`,
    );
  }
}

async function bundle(entry: string): Promise<string> {
  return (
    await build({
      entryPoints: [join(import.meta.dirname, entry)],
      bundle: true,
      format: 'iife',
      write: false,
      target: 'es2022',
      platform: 'browser',
    })
  ).outputFiles[0]!.text;
}

let fakeSerialCode: string | undefined;
export async function fakeSerialBundle(): Promise<string> {
  fakeSerialCode ??= await bundle('fake-serial-entry.ts');
  return fakeSerialCode;
}

let fakeUsbCode: string | undefined;
/** The fake navigator.usb with an emulated USB-serial chip: how the phone's WebUSB path runs here. */
export async function fakeUsbBundle(): Promise<string> {
  fakeUsbCode ??= await bundle('fake-usb-entry.ts');
  return fakeUsbCode;
}

export async function startPreview(): Promise<{ url: string; close(): Promise<void> }> {
  const server: PreviewServer = await preview({
    preview: { port: 0, host: '127.0.0.1', strictPort: false },
    logLevel: 'silent',
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, close: () => server.close() };
}

/** A browser context as an Android phone's Chrome: its user agent, a 390×844 touch screen. */
export const ANDROID_PHONE = {
  userAgent:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/148.0.0.0 Mobile Safari/537.36',
  viewport: { width: 390, height: 844 },
  isMobile: true,
  hasTouch: true,
};

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchBrowser(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A persistent profile: service workers, installability and storage behave as for a real user.
 * Given `dir`, that profile is opened again (a browser restart) and left on disk by close();
 * the caller removes it.
 */
export async function launchPersistent(
  given?: string,
): Promise<{ context: BrowserContext; dir: string; close(): Promise<void> }> {
  requireChromium();
  const dir = given ?? mkdtempSync(join(tmpdir(), 'kmp-e2e-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
  });
  return {
    context,
    dir,
    close: async () => {
      await context.close();
      if (!given) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Installs the fake navigator.serial (unless `serial: false`, which removes navigator.serial as
 * on a browser without Web Serial) and, with `usb`, a fake navigator.usb holding that emulated
 * chip; then opens the app.
 */
export async function openApp(
  context: BrowserContext,
  url: string,
  options: { fake?: FakeSerialConfig; serial?: boolean; usb?: FakeUsbConfig } = {},
): Promise<Page> {
  const page = await context.newPage();
  if (options.usb) {
    await page.addInitScript((config) => {
      (window as { __kmpFakeUsbConfig?: unknown }).__kmpFakeUsbConfig = config;
    }, options.usb);
    await page.addInitScript({ content: await fakeUsbBundle() });
  }
  if (options.serial === false) {
    await page.addInitScript(() => {
      delete (Navigator.prototype as { serial?: unknown }).serial;
    });
  } else {
    await page.addInitScript((config) => {
      (window as { __kmpFakeConfig?: unknown }).__kmpFakeConfig = config;
    }, options.fake ?? {});
    await page.addInitScript({ content: await fakeSerialBundle() });
  }
  await page.goto(url);
  await appStarted(page);
  return page;
}

/**
 * Waits until the app layer has loaded beside the shell (main.ts) and exposed its session, as
 * a person waits for the Meter page to appear before using it.
 */
export async function appStarted(page: Page): Promise<void> {
  await page.waitForFunction(() => 'kmpSession' in globalThis);
}

/**
 * Registers the hooks most browser suites share: one preview server and one
 * browser per file, and a fresh context per test (closed after it) so tests
 * never see each other's IndexedDB or permissions.
 */
export function useAppServer(): {
  readonly url: string;
  readonly browser: Browser;
  newContext(options?: Parameters<Browser['newContext']>[0]): Promise<BrowserContext>;
} {
  let server: Awaited<ReturnType<typeof startPreview>> | undefined;
  let browser: Browser | undefined;
  let contexts: BrowserContext[] = [];
  beforeAll(async () => {
    server = await startPreview();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    contexts = [];
  });
  return {
    get url() {
      if (!server) throw new Error('preview server not started');
      return server.url;
    },
    get browser() {
      if (!browser) throw new Error('browser not launched');
      return browser;
    },
    async newContext(options) {
      if (!browser) throw new Error('browser not launched');
      const context = await browser.newContext(options);
      contexts.push(context);
      return context;
    },
  };
}

/** Clicks `button` and returns the text of the file it downloads (the context needs acceptDownloads). */
export async function downloadText(page: Page, button: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const chunks: Buffer[] = [];
  for await (const c of await d.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Opens `tab`, connects the demo meter there and waits until its first reading is done. */
export async function connectDemoOn(page: Page, tab: string): Promise<void> {
  await page.getByRole('tab', { name: tab }).click();
  await page.getByRole('button', { name: 'Demo meter' }).click();
  await expect
    .poll(() => page.getByTestId('connection-state').textContent(), { timeout: 20_000 })
    .toMatch(/Connected: Demo meter/);
  // The first reading after connecting runs first; what comes next waits for an idle session.
  await page.waitForFunction(
    () => (window as unknown as { kmpSession: { activity: { kind: string } } }).kmpSession.activity.kind === 'idle',
    undefined,
    { timeout: 20_000 },
  );
}
