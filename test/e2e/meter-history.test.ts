/**
 * The meter's own history in the built app: demo meter → Meter history → download the monthly
 * log → bars, table and CSV → reload → the entries are still there, and a second download asks
 * only for what is new; the cooling report from the daily log, per month and year, against a
 * limit, on screen and as CSV.
 */
import type { BrowserContext, Page } from 'playwright-core';
import type { VirtualMeterOptions } from '../../src/sim/index.ts';
import { describe, expect, it } from 'vitest';
import { connectDemoOn, openApp, useAppServer } from './harness.ts';

const env = useAppServer();

const demo = (page: Page) => connectDemoOn(page, 'Meter history');

async function download(page: Page, button: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const chunks: Buffer[] = [];
  for await (const c of await d.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A fake meter behind Web Serial, connected on the Meter history page, `log` chosen and ready to download. */
async function connectFake(context: BrowserContext, meter: VirtualMeterOptions, log: string): Promise<Page> {
  const page = await openApp(context, env.url, { fake: { meter } });
  await page.getByRole('tab', { name: 'Meter history' }).click();
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await page.getByLabel('Log').selectOption({ label: log });
  await expect
    .poll(() => page.getByRole('button', { name: `Download ${log} log` }).isEnabled(), { timeout: 20_000 })
    .toBe(true);
  return page;
}

const requests = (page: Page) =>
  page.evaluate(() => (window as unknown as { kmpSession: { requestsSent: number } }).kmpSession.requestsSent);

describe('meter history', () => {
  it('downloads the monthly log, charts and lists it, keeps it, and fetches only what is new', async () => {
    const context = await env.newContext({ acceptDownloads: true });
    const page = await openApp(context, env.url);
    await demo(page);
    await expect.poll(() => page.getByTestId('logger-plan').innerText()).toMatch(/about 36 entries.*request/s);

    await page.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 45_000 })
      .toMatch(/^36 new entries, \d+ request\(s\)\.$/);

    // One bar per month between consecutive entries, for energy and for volume.
    await expect.poll(() => page.locator('[data-testid="use-bars"]').count()).toBe(2);
    const bars = page.locator('[data-testid="use-bars"]').first().locator('rect');
    expect(await bars.count()).toBe(35);
    const values = await bars.evaluateAll((rects) => rects.map((r) => Number(r.getAttribute('data-value'))));
    expect(values.every((v) => v >= 0)).toBe(true);
    expect(values.some((v) => v > 0)).toBe(true);
    expect(await page.getByTestId('logger-table').locator('tbody tr').count()).toBe(36);

    // The CSV: one row per entry, oldest first, the meter's own time, exact decimals.
    const csv = (await download(page, 'Download CSV')).trim().split('\r\n');
    expect(csv[0]).toMatch(/^id,time,dst \[min\],.*energy \[(GJ|MWh|kWh)\]/);
    expect(csv).toHaveLength(37);
    expect(csv[1]).toMatch(/^\d+,\d{4}-\d\d-01T00:00:00,/);
    const ids = csv.slice(1).map((l) => Number(l.split(',')[0]));
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));
    const header = csv[0]!.split(',');
    const energy = header.findIndex((h) => h.startsWith('energy'));
    const first = csv.slice(1).map((l) => l.split(',')[energy]!);
    expect(first.every((d) => /^\d+(\.\d+)?$/.test(d))).toBe(true);
    // The bars are the differences of these exact values.
    expect(values[0]).toBeCloseTo(Number(first[1]) - Number(first[0]), 6);

    // After a reload the entries are still there, before any meter is connected, and their CSV
    // still names the meter they came from.
    await page.reload();
    await expect.poll(() => page.getByTestId('logger-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(36);
    const [offline] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(offline.suggestedFilename()).toMatch(/^kmp-\d+-monthly-log\.csv$/);

    // A second download sends only what it needs to learn that nothing is new.
    await demo(page);
    const before = await requests(page);
    await page.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 30_000 })
      .toMatch(/^0 new entries/);
    expect((await requests(page)) - before).toBeLessThanOrEqual(2);
    expect(await page.getByTestId('logger-table').locator('tbody tr').count()).toBe(36);
  }, 120_000);

  it('shows the info log as a timeline in words', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await demo(page);
    await page.getByLabel('Log').selectOption({ label: 'info' });
    await page.getByRole('button', { name: 'Download info log' }).click();
    await expect.poll(() => page.getByTestId('logger-message').innerText(), { timeout: 45_000 }).toMatch(/new entr/);
    const items = page.getByTestId('info-timeline').locator('li');
    expect(await items.count()).toBeGreaterThan(0);
    expect(await items.first().innerText()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d until .*info \d+, [A-Za-z]/);
  });

  it('lists every logger the meter has, once, and keeps the list across a reload', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await demo(page);
    const list = page.getByTestId('logger-list');
    await list.locator('summary').click();
    const before = await requests(page);
    await page.getByRole('button', { name: 'Read the list of loggers' }).click();
    // The demo 403 keeps info, yearly, monthly, daily and hourly logs.
    await expect.poll(() => list.locator('tbody tr').count(), { timeout: 30_000 }).toBe(5);
    expect((await requests(page)) - before).toBe(8);
    const monthly = await list.locator('tr[data-logger="3"]').innerText();
    expect(monthly).toMatch(/monthly\s+36\s+.*Heat energy E1 \(60\)/s);
    expect(await list.innerText()).toMatch(/Not on this meter: configuration, minute 1, minute 2\./);
    await page.reload();
    await page.getByRole('tab', { name: 'Meter history' }).click();
    await expect.poll(() => page.getByTestId('logger-list').locator('tbody tr').count(), { timeout: 10_000 }).toBe(5);
  });

  it('says in plain words when a meter does not offer its logs this way', async () => {
    const page = await openApp(await env.newContext(), env.url, { fake: { meter: { model: '402' } } });
    await page.getByRole('tab', { name: 'Meter history' }).click();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.waitForFunction(
      () => {
        const s = (window as unknown as { kmpSession: { state: { kind: string }; activity: { kind: string } } })
          .kmpSession;
        return s.state.kind === 'connected' && s.activity.kind === 'idle';
      },
      undefined,
      { timeout: 20_000 },
    );
    await page.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-problem').innerText(), { timeout: 30_000 })
      .toMatch(/does not offer its loggers over the optical eye/);
    // Not asked again in this session: the second try is refused without a request.
    const before = await requests(page);
    await page.getByRole('button', { name: 'Download monthly log' }).click();
    await expect.poll(() => page.getByTestId('logger-problem').innerText()).toMatch(/does not offer/);
    expect(await requests(page)).toBe(before);
  });

  it('the cooling report from the daily log: months and the year, a limit marked, and the same in the CSV', async () => {
    const context = await env.newContext({ acceptDownloads: true });
    // A meter installed ten weeks ago: a short daily log over three or four months.
    const page = await connectFake(context, { model: '603', installedAt: Date.now() - 70 * 86_400_000 }, 'daily');
    await page.getByRole('button', { name: 'Download daily log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 60_000 })
      .toMatch(/^\d+ new entries, \d+ request\(s\)\.$/);
    const cooling = page.getByTestId('cooling');
    const periods = () =>
      cooling.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-period')));
    await expect.poll(async () => (await periods()).length).toBeGreaterThan(2);
    const shown = await periods();
    const months = shown.filter((p) => /^\d{4}-\d\d$/.test(p ?? ''));
    const years = shown.filter((p) => /^\d{4}$/.test(p ?? ''));
    expect(months.length).toBeGreaterThanOrEqual(3);
    expect(years).toEqual([...new Set(months.map((m) => m!.slice(0, 4)))]);
    expect(await cooling.locator('rect').count()).toBe(months.length);

    // A limit below every return temperature marks every row; one above none.
    const temps = (await cooling.locator('tbody tr td:nth-child(4)').allInnerTexts()).map((t) => parseFloat(t));
    await cooling.getByLabel('Return temperature limit (°C)').fill(String(Math.floor(Math.min(...temps)) - 1));
    await cooling.getByLabel('Return temperature limit (°C)').dispatchEvent('change');
    await expect.poll(() => cooling.getByText('above the limit').count()).toBe(shown.length);
    const csv = (await download(page, 'Download cooling CSV')).trim().split('\r\n');
    expect(csv[0]).toBe(
      `period,days,volume,volume unit,return temperature [°C],delta T [K],above ${Math.floor(Math.min(...temps)) - 1} °C`,
    );
    expect(csv.slice(1).map((l) => l.split(',')[0])).toEqual(shown);
    expect(csv.slice(1).every((l) => /^[\d-]+,\d+,\d+(\.\d+)?,m³,\d+\.\d\d,-?\d+\.\d\d,yes$/.test(l))).toBe(true);
    await cooling.getByLabel('Return temperature limit (°C)').fill(String(Math.ceil(Math.max(...temps)) + 1));
    await cooling.getByLabel('Return temperature limit (°C)').dispatchEvent('change');
    await expect.poll(() => cooling.getByText('above the limit').count()).toBe(0);
  });

  it('a logger that reports a memory error: said in words on the page, nothing of it stored', async () => {
    const page = await connectFake(await env.newContext(), { model: '603', loggerFlags: 0x0100 }, 'monthly');
    await page.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-problem').innerText(), { timeout: 30_000 })
      .toMatch(/^The meter's monthly logger reported an error: memory error\..*service check/s);
    expect(await page.getByTestId('logger-table').count()).toBe(0);
    expect(await page.getByText('No entries of this log stored yet.').count()).toBe(1);
  });
});
