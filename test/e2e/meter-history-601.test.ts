/**
 * The older generation's history in the built app: a MULTICAL 601 (by its type code) and an 801
 * behind a Web Serial port, the monthly log downloaded from the logger on 0x7F into the same
 * table and CSV; a 601 without a logger module said in words after one silent request on each
 * module address.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { VirtualMeterOptions } from '../../src/sim/index.ts';
import { openApp, useAppServer } from './harness.ts';

const env = useAppServer();

async function connectMeter(meter: VirtualMeterOptions): Promise<Page> {
  const page = await openApp(await env.newContext(), env.url, { fake: { meter } });
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
  return page;
}

/** The requests the fake meter heard: command id and destination address. */
const heard = (page: Page) =>
  page.evaluate(() =>
    (
      window as unknown as { __kmpFake: { meters: Array<{ received: Array<{ cid: number; dst: number }> }> } }
    ).__kmpFake.meters[0]!.received.map((r) => [r.cid, r.dst]),
  );

describe('601 and 801 history', () => {
  it.each(['601', '801'] as const)(
    'a %s: the monthly log from its logger on 0x7F, with progress, into the table',
    async (model) => {
      const page = await connectMeter({ model });
      await page.getByRole('button', { name: 'Download monthly log' }).click();
      await expect
        .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 60_000 })
        .toMatch(/^36 new entries, \d+ request\(s\)\.$/);
      // The table follows once the stored entries are read back.
      await expect.poll(() => page.getByTestId('logger-table').locator('tbody tr').count()).toBe(36);
      const times = await page.getByTestId('logger-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
      expect(times.every((t) => /^\d{4}-\d\d-01 00:00:00$/.test(t))).toBe(true);
      const requests = await heard(page);
      const logs = requests.filter(([cid]) => cid === 0xa2);
      expect(logs.length).toBeGreaterThan(1);
      expect(logs.every(([, dst]) => dst === 0x7f)).toBe(true);
      // The 601 is known by its type code: no 0xB8 asked; the 801 is found after 0xB8 stayed silent.
      expect(requests.filter(([cid]) => cid === 0xb8).length).toBe(model === '601' ? 0 : 2);
      // Never A1, never a write.
      expect(requests.some(([cid]) => cid === 0xa1 || cid === 0x9c || cid === 0x11 || cid === 0x09)).toBe(false);
    },
  );

  it('a 601 without a logger module: said in words, after one silent request on 0x7F and on 0xBF', async () => {
    const page = await connectMeter({ model: '601', loggerModule: 'none' });
    await page.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-problem').innerText(), { timeout: 30_000 })
      .toMatch(/does not offer its loggers over the optical eye.*a 601 only with a logger module/s);
    const logs = (await heard(page)).filter(([cid = 0]) => cid >= 0xa0 && cid <= 0xb8);
    expect(logs).toEqual([
      [0xa2, 0x7f],
      [0xa2, 0xbf],
    ]);
  });
});
