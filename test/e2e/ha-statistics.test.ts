/**
 * "Meter history into Home Assistant" as the README tells a new user to do it, in the built app
 * against the Home Assistant WebSocket double (test/support/ha-ws-double.ts): demo meter →
 * download the monthly log → address and token → see what would be sent → Send → Home
 * Assistant's answer. A double click sends once; after a reload the token is still saved (sealed,
 * never in plain text) and sending again changes nothing. The page after sending is kept as a
 * screenshot in test-results/.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HaWsDouble } from '../support/ha-ws-double.ts';
import { connectDemoOn, openApp, useAppServer } from './harness.ts';

const env = useAppServer();
const TOKEN = 'llat-e2e-7f3a9c1d2b8e4f60a5d3c2b1e0f9a8d7';

let ha: HaWsDouble;
let haUrl: string;
beforeEach(async () => {
  ha = new HaWsDouble({ tokens: { [TOKEN]: { admin: true } } });
  haUrl = await ha.start();
});
afterEach(() => ha.stop());

const imports = () => ha.received.filter((m) => m.type === 'recorder/import_statistics').length;

async function downloadMonthly(page: Page): Promise<void> {
  await connectDemoOn(page, 'Meter history');
  await page.getByRole('button', { name: 'Download monthly log' }).click();
  await expect
    .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 45_000 })
    .toMatch(/^36 new entries/);
}

describe('meter history into Home Assistant', () => {
  it('follows the README: address, token, preview, send, answer; once on a double click, the same after a reload', async () => {
    const context = await env.newContext();
    const page = await openApp(context, env.url);
    await downloadMonthly(page);

    // "Send to Home Assistant…" after the download leads to the section.
    await page.getByRole('button', { name: 'Send to Home Assistant…' }).click();
    await expect
      .poll(() => page.getByLabel('Home Assistant address').evaluate((el) => el.matches(':focus')))
      .toBe(true);
    const plan = page.getByTestId('ha-plan');
    await expect.poll(() => plan.locator('tbody tr').count()).toBe(2);
    const send = page.getByTestId('ha-send');
    expect(await send.isDisabled()).toBe(true);

    await page.getByLabel('Home Assistant address').fill(haUrl);
    await page.getByLabel('Long-lived access token').fill(TOKEN);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Saved.').count()).toBe(1);
    expect(await page.getByLabel('Long-lived access token').inputValue()).toBe('');

    // The preview: both statistics, 36 monthly rows each, period and counters.
    const rows = await plan.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.textContent ?? ''));
    expect(rows[0]).toMatch(/kmp_web:heat_energy_\d+.*36 monthly\s*36/s);
    expect(rows[1]).toMatch(/kmp_web:volume_\d+.*36 monthly\s*36/s);
    expect(await plan.locator('caption').innerText()).toMatch(/the meter's times, read in [A-Z][A-Za-z_/]+\)/);

    // A second click while the first send runs sends nothing more.
    await expect.poll(() => send.isDisabled()).toBe(false);
    await send.evaluate((b: HTMLButtonElement) => {
      b.click();
      b.click();
    });
    const result = page.getByTestId('ha-result');
    await expect.poll(() => result.count(), { timeout: 20_000 }).toBe(1);
    expect(imports()).toBe(2);
    const text = await result.innerText();
    expect(text).toMatch(/Home Assistant 2025\.6\.3 accepted it/);
    expect(text).toMatch(/kmp_web:heat_energy_\d+: 36 row\(s\) sent, it now holds 36 of them/);
    expect(text).toMatch(/Gas consumption/);
    const id = /kmp_web:heat_energy_\d+/.exec(text)![0];
    const held = ha.statistic(id);
    expect(held).toHaveLength(36);
    // The first month starts at 0; each month's rise is the counter's own.
    expect(held[0]!.sum).toBe(0);
    for (let i = 1; i < held.length; i++)
      expect(held[i]!.sum! - held[i - 1]!.sum!).toBeCloseTo(held[i]!.state! - held[i - 1]!.state!, 6);
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/ha-send.png', fullPage: true });

    // The token is kept sealed: nowhere in the page's storage as text.
    const stored = await page.evaluate(async () => {
      const dbs = await indexedDB.databases();
      const out: string[] = [JSON.stringify(localStorage)];
      for (const { name } of dbs) {
        if (!name) continue;
        const db = await new Promise<IDBDatabase>((resolve, reject) => {
          const r = indexedDB.open(name);
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(new Error(String(r.error)));
        });
        for (const store of Array.from(db.objectStoreNames)) {
          const all = await new Promise<unknown[]>((resolve) => {
            const r = db.transaction(store).objectStore(store).getAll();
            r.onsuccess = () => resolve(r.result as unknown[]);
          });
          out.push(JSON.stringify(all));
        }
        db.close();
      }
      return out.join('\n');
    });
    expect(stored).toContain(haUrl);
    expect(stored).not.toContain(TOKEN);

    // After a reload: the address and the saved token are there, and sending again changes nothing.
    await page.reload();
    await page.getByRole('tab', { name: 'Meter history' }).click();
    await expect.poll(() => page.getByLabel('Home Assistant address').inputValue(), { timeout: 10_000 }).toBe(haUrl);
    expect(await page.getByLabel('Long-lived access token').getAttribute('placeholder')).toMatch(/saved/);
    await expect.poll(() => send.isDisabled(), { timeout: 10_000 }).toBe(false);
    await send.click();
    await expect.poll(() => page.getByTestId('ha-result').innerText(), { timeout: 20_000 }).toMatch(/36 held before/);
    expect(ha.statistic(id)).toEqual(held);
  });

  it('a wrong token is told in words and not tried again', async () => {
    const context = await env.newContext();
    const page = await openApp(context, env.url);
    await downloadMonthly(page);
    await page.getByLabel('Home Assistant address').fill(haUrl);
    await page.getByLabel('Long-lived access token').fill('not-the-token');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByTestId('ha-send').click();
    await expect
      .poll(() => page.getByTestId('ha-error').innerText(), { timeout: 20_000 })
      .toMatch(/refused the access token.*does not try again/s);
    expect(imports()).toBe(0);
    expect(ha.received).toHaveLength(0);
  });
});
