/**
 * The first screen is the shell alone (src/main.ts, src/ui/kmp-app.ts): header and tabs draw
 * before the app layer (session, store, station, publishing) and the Meter page's module have
 * arrived, and the page says so in plain words when they never do. Heavy parts load at their
 * first use: the YAML library when a settings file is chosen or YAML is exported.
 */
import type { Route } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { downloadText, openApp, useAppServer } from './harness.ts';

const env = useAppServer();

/** The module main.ts imports for the app layer (src/ui/services/start-services.ts). */
const APP_LAYER = '**/assets/start-services-*.js';

describe('the first screen', () => {
  it('draws the header and tabs before the app layer arrives, then the Meter page once it has', async () => {
    const context = await env.newContext();
    const held: Route[] = [];
    await context.route(APP_LAYER, (route) => void held.push(route));
    const scripts: string[] = [];
    context.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(new URL(r.url()).pathname);
    });
    const page = await context.newPage();
    await page.goto(env.url);
    await expect.poll(() => held.length, { timeout: 10_000 }).toBe(1);
    // The shell is drawn and usable while the app layer is held back.
    await page.getByRole('tab', { name: 'Settings', exact: true }).waitFor();
    expect(await page.getByRole('tab', { name: 'Meter', exact: true }).getAttribute('aria-selected')).toBe('true');
    await page.getByRole('status').filter({ hasText: 'Loading…' }).waitFor();
    expect(await page.evaluate(() => 'kmpSession' in globalThis)).toBe(false);
    expect(await page.getByRole('button', { name: 'Connect', exact: true }).count()).toBe(0);
    // The page as served names one script, the shell, and preloads nothing: the rest is imported
    // by the shell at start.
    const html = await (await fetch(env.url)).text();
    const named = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(named).toHaveLength(1);
    expect(scripts[0]).toBe(named[0]);
    for (const route of held) await route.continue();
    await page.getByRole('button', { name: 'Connect', exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => 'kmpSession' in globalThis)).toBe(true);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Loading…' }).count()).toBe(0);
  });

  it('says the app could not load, instead of "Loading…" for ever, when its files never arrive', async () => {
    const context = await env.newContext();
    await context.route(APP_LAYER, (route) => route.abort('internetdisconnected'));
    const page = await context.newPage();
    await page.goto(env.url);
    await expect
      .poll(() => page.getByTestId('page-load-failed').textContent(), { timeout: 10_000 })
      .toMatch(/could not be loaded.*Reload when online/s);
    // Every page says the same: none can work without the app layer.
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect.poll(() => page.getByTestId('page-load-failed').count()).toBe(1);
    expect(await page.getByRole('status').filter({ hasText: 'Loading…' }).count()).toBe(0);
  });

  it('opens Settings without the YAML library, and loads it when a file is chosen or YAML exported', async () => {
    const context = await env.newContext({ acceptDownloads: true });
    // The library's own error class name, a string minifying keeps: which script holds it.
    const yamlScripts: string[] = [];
    context.on('response', (r) => {
      if (r.request().resourceType() === 'script')
        void r.text().then(
          (body) => body.includes('YAMLParseError') && yamlScripts.push(new URL(r.url()).pathname),
          () => undefined,
        );
    });
    const page = await openApp(context, env.url);
    await page.getByRole('tab', { name: 'Settings', exact: true }).click();
    await page.getByRole('button', { name: 'Export YAML' }).waitFor();
    await page.waitForTimeout(500);
    expect(yamlScripts).toEqual([]);
    const yaml = await downloadText(page, 'Export YAML');
    expect(yaml).toMatch(/^format: kmp-web-settings$/m);
    await expect.poll(() => yamlScripts.length).toBe(1);
    await page
      .getByLabel('config.yaml')
      .setInputFiles({ name: 'config.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yaml) });
    await expect.poll(() => page.getByTestId('import-notes').count(), { timeout: 10_000 }).toBe(1);
  });
});
