/**
 * Phones end to end: on an Android phone (user agent, 390×844, no navigator.serial) the app
 * connects through WebUSB to each emulated USB-serial chip (test/e2e/fake-usb-entry.ts) wired to
 * a virtual meter at real 1200-baud pacing, reads the registers and a monthly logger page, and
 * disconnects; the chip's control log shows the line was set to 1200 8N2 as the kernel does it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHIP_MODELS } from '../support/usb-chips/index.ts';
import { ANDROID_PHONE, openApp, useAppServer } from './harness.ts';
import { lineSettingProblems } from './usb-line-settings.ts';

const env = useAppServer();

const state = (page: Page) => page.getByTestId('connection-state');
const idle = (page: Page) =>
  page.waitForFunction(
    () => (window as unknown as { kmpSession: { activity: { kind: string } } }).kmpSession.activity.kind === 'idle',
    undefined,
    { timeout: 30_000 },
  );

describe('an IR head on an Android phone, over WebUSB', () => {
  for (const chip of CHIP_MODELS) {
    it(`reads the meter and a logger page through ${chip}, and disconnects`, async () => {
      const context = await env.newContext({ ...ANDROID_PHONE, acceptDownloads: true });
      const page = await openApp(context, env.url, {
        serial: false,
        usb: {
          chip,
          // Installed 100 days ago: a few monthly entries, one logger request, so eight chips stay quick.
          meter: {
            model: '403',
            serial: 71234567,
            energyUnit: 'MWh',
            frozen: true,
            installedAt: Date.now() - 100 * 86_400_000,
          },
        },
      });
      expect(await page.evaluate(() => 'serial' in navigator)).toBe(false);

      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      await expect.poll(() => state(page).textContent(), { timeout: 20_000 }).toMatch(/Connected/);
      await page.getByTestId('readings').waitFor({ timeout: 30_000 });
      await expect.poll(() => page.getByTestId('serial').textContent()).toBe('71234567');
      await expect.poll(() => page.getByTestId('model').textContent()).toMatch(/MULTICAL 403/);
      const energyRow = page.locator('tr[data-register="60"]');
      await expect.poll(() => energyRow.textContent()).toMatch(/MWh/);
      const held = await page.evaluate(
        () => window.__kmpFakeUsb.meter!.registerValues().find((r) => r.id === 60)!.decimal,
      );
      expect(await energyRow.locator('td.num').textContent()).toBe(held);

      // The line settings the driver sent, against the kernel's values for this chip.
      const log = await page.evaluate(() => window.__kmpFakeUsb.controlLog);
      expect(lineSettingProblems(chip, log)).toEqual([]);
      expect(log.filter((c) => c.status === 'stall')).toEqual([]);

      // A logger page: the monthly log, as test/e2e/meter-history.test.ts reads it.
      await page.getByRole('tab', { name: 'Meter history' }).click();
      await idle(page);
      await page.getByRole('button', { name: 'Download monthly log' }).click();
      await expect
        .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 90_000 })
        .toMatch(/^\d+ new entries, \d+ request\(s\)\.$/);
      // The table is drawn on the render after the message.
      await expect.poll(() => page.getByTestId('logger-table').locator('tbody tr').count()).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Disconnect' }).click();
      await expect.poll(() => state(page).textContent()).toMatch(/Not connected/);
      expect(await page.evaluate(() => window.__kmpFakeUsb.device!.opened)).toBe(false);
    });
  }
});
