/**
 * A German browser in the built app: the Meter page and the History table write the meter's exact
 * decimals with a decimal comma (src/ui/common/exact-number-format.ts), every digit kept, while the
 * readings CSV keeps the dot that spreadsheets and scripts read.
 */
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { translator } from '../support/catalogue.ts';
import { openApp, useAppServer } from './harness.ts';

const env = useAppServer();

async function download(page: Page, button: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
  const chunks: Buffer[] = [];
  for await (const c of await d.createReadStream()) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The number at the start of each numeric cell of a table. */
const numbers = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .locator('td.num')
    .allInnerTexts()
    .then((cells) => cells.map((c) => /^-?\d+([.,]\d+)?/.exec(c.trim())?.[0]).filter((n): n is string => !!n));

it('decimal commas on screen in a German browser, dots in the CSV, the same digits', async () => {
  // The page speaks German there too: it is driven by the names a German reader sees.
  const t = translator('de');
  const context = await env.newContext({ locale: 'de-DE', acceptDownloads: true });
  const page = await openApp(context, env.url);
  await page.getByRole('tab', { name: t('Meter'), exact: true }).click();
  await page.getByRole('button', { name: t('Demo meter') }).click();
  await page.getByTestId('readings').waitFor({ timeout: 20_000 });
  const shown = await numbers(page, 'readings');
  expect(shown.some((n) => n.includes(','))).toBe(true);
  expect(shown.some((n) => /\.\d/.test(n))).toBe(false);

  await page.getByRole('tab', { name: t('History'), exact: true }).click();
  await expect.poll(() => page.getByTestId('history-table').locator('tbody tr').count(), { timeout: 10_000 }).toBe(1);
  const listed = await numbers(page, 'history-table');
  expect(listed.some((n) => n.includes(','))).toBe(true);
  expect(listed.some((n) => /\.\d/.test(n))).toBe(false);

  const csv = (await download(page, t('Export CSV'))).trim().split('\r\n');
  const fields = csv[1]!.split(',').slice(1).filter(Boolean);
  expect(fields.every((f) => /^-?\d+(\.\d+)?$/.test(f))).toBe(true);
  // Every decimal in the table is a CSV field with its comma turned back into a dot.
  for (const n of listed) expect(fields).toContain(n.replace(',', '.'));
});
