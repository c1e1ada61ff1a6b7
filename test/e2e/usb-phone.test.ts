/**
 * What a person with a phone meets besides a clean read (usb-heads.test.ts has those):
 * each way a phone's USB goes wrong said in plain words, the WebUSB path offered where the
 * phone's Web Serial lists nothing, the path and driver in the frame log and the diagnostics, a
 * head allowed before reconnected without the chooser, and a computer's first screen that never
 * loads the drivers.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ANDROID_PHONE, openApp, useAppServer } from './harness.ts';

const env = useAppServer();

const METER = { model: '403', serial: 71234567, frozen: true } as const;

const state = (page: Page) => page.getByTestId('connection-state');
const problem = (page: Page) => page.getByTestId('problem');
const connect = (page: Page) => page.getByRole('button', { name: 'Connect', exact: true }).click();

describe('a phone’s USB going wrong, in plain words', () => {
  // Choosing fails before a port exists (said under the buttons); opening fails in the session
  // (said as the connection's state).
  it.each([
    [
      'an empty chooser (no OTG, a power-only cable)',
      { cancelChooser: true },
      problem,
      /^No USB device was chosen.*OTG/s,
    ],
    ['permission refused', { deny: true }, problem, /allow|permission/i],
    ['another app holding the head', { claimed: true }, state, /^Could not connect: .*(another app|holds)/i],
  ] as const)('%s', async (_what, flags, where, sentence) => {
    const context = await env.newContext(ANDROID_PHONE);
    const page = await openApp(context, env.url, { serial: false, usb: { chip: 'ft232r', meter: METER, ...flags } });
    await connect(page);
    await expect.poll(() => where(page).innerText(), { timeout: 20_000 }).toMatch(sentence);
    expect(await state(page).innerText()).not.toMatch(/^Connected/);
    // The button is there for the next try, and the demo meter still works.
    expect(await page.getByRole('button', { name: 'Connect', exact: true }).isEnabled()).toBe(true);
  });

  it('a head that drops off right after opening is blamed on the phone’s power, not the meter', async () => {
    const context = await env.newContext(ANDROID_PHONE);
    const page = await openApp(context, env.url, {
      serial: false,
      usb: { chip: 'cp2102', meter: METER, powerDrop: true },
    });
    await connect(page);
    await expect.poll(() => state(page).innerText(), { timeout: 20_000 }).toMatch(/power/i);
  });
});

describe('choosing the path', () => {
  it('where the phone’s Web Serial lists nothing, offers WebUSB, which then reads the head', async () => {
    const context = await env.newContext(ANDROID_PHONE);
    const page = await openApp(context, env.url, {
      fake: { cancelChooser: true },
      usb: { chip: 'ch340', meter: METER },
    });
    // The person chose Web Serial in the advanced settings: the system's chooser comes back empty.
    await page.locator('kmp-serial-settings summary').click();
    await page.locator('kmp-serial-settings select[name="connectVia"]').selectOption('web-serial');
    await connect(page);
    await expect.poll(() => problem(page).innerText(), { timeout: 10_000 }).toMatch(/CDC-ACM.*WebUSB/s);
    expect(await page.evaluate(() => window.__kmpFake.requestCount)).toBe(1);
    await page.getByRole('button', { name: 'Look for the head over WebUSB instead' }).click();
    await expect.poll(() => state(page).innerText(), { timeout: 20_000 }).toMatch(/^Connected/);
    await expect.poll(() => page.getByTestId('serial').textContent(), { timeout: 30_000 }).toBe('71234567');
    expect(await page.evaluate(() => window.__kmpFakeUsb.requestCount)).toBe(1);
  });

  it('a double tap on Connect opens one chooser and makes one connection', async () => {
    const context = await env.newContext(ANDROID_PHONE);
    const page = await openApp(context, env.url, { serial: false, usb: { chip: 'cp2102', meter: METER } });
    await page.getByRole('button', { name: 'Connect', exact: true }).dblclick();
    await expect.poll(() => page.getByTestId('serial').textContent(), { timeout: 30_000 }).toBe('71234567');
    expect(await page.evaluate(() => window.__kmpFakeUsb.requestCount)).toBe(1);
    expect(await problem(page).count()).toBe(0);
  });

  it('names path, driver, chip and USB ids in the frame log and the diagnostics', async () => {
    const context = await env.newContext({ ...ANDROID_PHONE, acceptDownloads: true });
    const page = await openApp(context, env.url, { serial: false, usb: { chip: 'pl2303hxn', meter: METER } });
    await connect(page);
    await expect.poll(() => page.getByTestId('serial').textContent(), { timeout: 30_000 }).toBe('71234567');
    await page.getByRole('tab', { name: 'Frame log' }).click();
    const line = await page.getByTestId('log-port').innerText();
    expect(line).toMatch(/WebUSB, pl2303 driver, chip Prolific PL2303\w*HXN?\b.*USB id 067b:23a3/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download diagnostics' }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { connection: { port: unknown } };
    expect(bundle.connection.port).toMatchObject({
      path: 'WebUSB',
      driver: 'pl2303',
      usbVendorId: 0x067b,
      usbProductId: 0x23a3,
    });
  });

  it('reconnects a head allowed on an earlier visit without the chooser', async () => {
    const context = await env.newContext(ANDROID_PHONE);
    const page = await openApp(context, env.url, {
      serial: false,
      usb: { chip: 'ft230x', meter: METER, granted: true },
    });
    const again = page.getByRole('button', { name: /^Reconnect FTDI/ });
    await again.waitFor({ timeout: 10_000 });
    await again.click();
    await expect.poll(() => page.getByTestId('serial').textContent(), { timeout: 30_000 }).toBe('71234567');
    expect(await page.evaluate(() => window.__kmpFakeUsb.requestCount)).toBe(0);
  });

  it('on a computer, Connect uses Web Serial and the first screen never loads the USB drivers', async () => {
    const context = await env.newContext();
    const scripts: string[] = [];
    context.on('request', (r) => {
      if (r.resourceType() === 'script') scripts.push(r.url());
    });
    const page = await openApp(context, env.url, { usb: { chip: 'ft232r', meter: METER } });
    await connect(page);
    await expect.poll(() => state(page).innerText(), { timeout: 20_000 }).toMatch(/^Connected/);
    expect(await page.evaluate(() => window.__kmpFake.requestCount)).toBe(1);
    expect(await page.evaluate(() => window.__kmpFakeUsb.requestCount)).toBe(0);
    expect(scripts.length).toBeGreaterThan(0);
    expect(scripts.filter((u) => /usb/i.test(u))).toEqual([]);
  });
});
