/**
 * The older generation's history in the built app: a MULTICAL 601 (by its type code) and an 801
 * behind a Web Serial port, the monthly log downloaded from the logger on 0x7F into the same
 * table and CSV; a 601 without a logger module said in words after one silent request on each
 * module address; the module's own "nothing new" (GetEventStatus) before an hourly download,
 * with nothing else sent; Cancel mid-download and a resume without gaps or repeats; a changed
 * history under the same serial reported, both versions kept.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { VirtualMeterOptions } from '../../src/sim/index.ts';
import { openApp, useAppServer } from './harness.ts';

const env = useAppServer();

async function connectMeter(meter: VirtualMeterOptions, context?: BrowserContext): Promise<Page> {
  const page = await openApp(context ?? (await env.newContext()), env.url, { fake: { meter } });
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

  it('a 601 hourly log again: the module says nothing is new, one 9B and no read-out; Download anyway reads', async () => {
    // Installed 30 hours ago: a short hourly log, downloaded whole at first.
    const page = await connectMeter({ model: '601', installedAt: Date.now() - 30 * 3_600_000 });
    await page.getByLabel('Log').selectOption({ label: 'hourly' });
    await page.getByRole('button', { name: 'Download hourly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 60_000 })
      .toMatch(/^\d+ new entries, \d+ request\(s\)\.$/);
    const before = (await heard(page)).length;
    expect((await heard(page)).some(([cid]) => cid === 0x9b)).toBe(false);

    await page.getByRole('button', { name: 'Download hourly log' }).click();
    await expect
      .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 30_000 })
      .toBe(
        "Nothing new: the meter's logger says it has written no hourly entry since its log was last read out (1 request, nothing downloaded).",
      );
    expect((await heard(page)).slice(before)).toEqual([[0x9b, 0x7f]]);

    await page.getByRole('button', { name: 'Download anyway' }).click();
    await expect
      .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 30_000 })
      .toMatch(/^0 new entries, \d+ request\(s\)\.$/);
    const after = (await heard(page)).slice(before + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every(([cid, dst]) => cid === 0xa2 && dst === 0x7f)).toBe(true);
    await expect.poll(() => page.getByRole('button', { name: 'Download anyway' }).count()).toBe(0);
  });

  it.each(['601', '801'] as const)(
    'a %s at the speed of the line: Cancel stops the download, what was read is kept, and the next one goes on without a gap',
    async (model) => {
      const page = await connectMeter({ model, timing: 'realtime' });
      await page.getByRole('button', { name: 'Download monthly log' }).click();
      await expect
        .poll(
          async () => Number((/^(\d+) of/.exec(await page.getByTestId('logger-progress').innerText()) ?? [])[1] ?? 0),
          {
            timeout: 60_000,
          },
        )
        .toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Cancel' }).click();
      const stopped = page.getByTestId('logger-message');
      await expect
        .poll(() => stopped.innerText(), { timeout: 30_000 })
        .toMatch(/^Stopped on request after \d+ new entr/);
      const kept = Number(/after (\d+) new/.exec(await stopped.innerText())![1]);
      expect(kept).toBeGreaterThan(0);
      expect(kept).toBeLessThan(36);
      await expect.poll(() => page.getByTestId('logger-table').locator('tbody tr').count()).toBe(kept);
      // Nothing more is asked once stopped.
      const asked = (await heard(page)).length;
      await page.waitForTimeout(2_000);
      expect((await heard(page)).length).toBe(asked);

      await page.getByRole('button', { name: 'Download monthly log' }).click();
      await expect
        .poll(() => page.getByTestId('logger-message').innerText(), { timeout: 90_000 })
        .toMatch(new RegExp(`^${36 - kept} new entr(y|ies), \\d+ request\\(s\\)\\.$`));
      await expect.poll(() => page.getByTestId('logger-table').locator('tbody tr').count()).toBe(36);
      const ids = (await page.getByTestId('logger-table').locator('tbody tr td:first-child').allInnerTexts()).map(
        Number,
      );
      expect(new Set(ids).size).toBe(36);
      expect(Math.max(...ids) - Math.min(...ids)).toBe(35);
    },
  );

  it('another history under the same serial: said, nothing of it stored, both versions listed with the loggers', async () => {
    const context = await env.newContext();
    const open = (seed: number) => connectMeter({ model: '801', serial: 80123456, seed }, context);
    const first = await open(7);
    await first.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => first.getByTestId('logger-message').innerText(), { timeout: 60_000 })
      .toMatch(/^36 new entries/);
    const before = await first.getByTestId('logger-table').locator('tbody').innerText();
    await first.close();

    // The same serial, another history: a replaced meter, or the head on another one.
    const second = await open(8);
    await second.getByRole('button', { name: 'Download monthly log' }).click();
    await expect
      .poll(() => second.getByTestId('logger-problem').innerText(), { timeout: 60_000 })
      .toMatch(
        /^The meter's history changed: entry \d+ of the monthly log is not what was downloaded before .*both versions are kept/s,
      );
    expect(await second.getByTestId('logger-message').count()).toBe(0);
    expect(await second.getByTestId('logger-table').locator('tbody').innerText()).toBe(before);
    await expect
      .poll(() => second.getByTestId('history-changes').innerText())
      .toMatch(/gave 1 entry otherwise than when\s+downloaded.*monthly entry \d+/s);
  });
});
