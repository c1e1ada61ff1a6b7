/**
 * Station mode in the built app, in Chromium, as a machine left by the meter meets it: a reload,
 * a browser restart on the same profile, the head unplugged and plugged back in (Web Serial and
 * WebUSB), the polling tab closed with another open, and a lid closed for a day. In each the
 * readings go on within one interval with no click, the store holds each reading once, and the
 * broker (Aedes, subscribed to as Home Assistant would) got each stored reading exactly once.
 * Playwright's clock runs in real time and jumps forward where a test says so: a jump fires each
 * due timer once, as a machine waking from sleep does.
 */
import { rmSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { aedesBroker, type TestBroker } from '../support/brokers.ts';
import { subscribe, valuesTimestamps } from '../support/subscriber.ts';
import { ANDROID_PHONE, launchPersistent, openApp, useAppServer } from './harness.ts';

const env = useAppServer();
let broker: TestBroker & { close(): Promise<void> };
beforeAll(async () => {
  broker = await aedesBroker();
});
afterAll(async () => {
  await broker?.close();
});

type Subscriber = Awaited<ReturnType<typeof subscribe>>;

/** Publishing on, to the test broker under a base topic of the test's own; a subscriber listening there. */
async function publishing(page: Page): Promise<{ base: string; sub: Subscriber }> {
  const base = `station-${Math.random().toString(16).slice(2, 8)}`;
  const sub = await subscribe(broker.wsUrl, [`${base}/values`]);
  const problems = await page.evaluate(
    async ({ url, base }) => {
      type Pub = { save(s: unknown): Promise<{ problems: unknown[] }>; settings: Record<string, unknown> };
      const p = (window as unknown as { kmpPublishing: Pub }).kmpPublishing;
      return (await p.save({ ...p.settings, enabled: true, url, baseTopic: base })).problems;
    },
    { url: broker.wsUrl, base },
  );
  expect(problems).toEqual([]);
  await expect.poll(() => page.getByTestId('mqtt-badge').textContent(), { timeout: 15_000 }).toMatch(/Connected/);
  return { base, sub };
}

/**
 * The broker got every stored reading, each once (a replayed outbox would show within the pause).
 * Given a way to read the store again (a station that goes on polling), a reading taken during
 * the pause may be delivered too: it must then be stored as well, and nothing twice.
 */
async function brokerGotEachOnce(
  sub: Subscriber,
  base: string,
  stored: number[],
  storedNow?: () => Promise<number[]>,
): Promise<void> {
  const delivered = () => valuesTimestamps(sub.messages, base);
  await sub.waitFor(() => delivered().length >= stored.length, 20_000);
  await new Promise((r) => setTimeout(r, 1000));
  const got = [...delivered()].sort((a, b) => a - b);
  if (!storedNow) expect(got).toEqual(stored);
  else {
    const now = await storedNow();
    expect(new Set(got).size).toBe(got.length);
    expect(got.slice(0, stored.length)).toEqual(stored);
    expect(got).toEqual(now.filter((t) => t <= got.at(-1)!));
  }
  await sub.close();
}
const MINUTE = 60_000;
const METER = { model: '403', serial: 71234567, frozen: true } as const;

const state = (page: Page) => page.getByTestId('connection-state');

/** The takenAt of every stored reading of the meter, oldest first. */
function storedReadings(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const db = await (
      window as unknown as { kmpStore: Promise<{ readings(s: number): Promise<{ takenAt: number }[]> }> }
    ).kmpStore;
    return (await db.readings(71234567)).map((r) => r.takenAt).sort((a, b) => a - b);
  });
}

async function readingsReach(page: Page, count: number): Promise<number[]> {
  await expect
    .poll(() => storedReadings(page).then((r) => r.length), { timeout: 30_000 })
    .toBeGreaterThanOrEqual(count);
  return storedReadings(page);
}

/** Each reading once: no two within less than the interval (a doubled read, or one stored twice). */
function expectNoneDoubled(takenAt: number[], intervalMs: number): void {
  expect(new Set(takenAt).size).toBe(takenAt.length);
  for (let i = 1; i < takenAt.length; i++) expect(takenAt[i]! - takenAt[i - 1]!).toBeGreaterThan(intervalMs * 0.9);
}

async function polling(page: Page): Promise<void> {
  await expect.poll(() => state(page).innerText(), { timeout: 30_000 }).toMatch(/^Connected/);
  await page.getByTestId('poll-status').waitFor({ timeout: 30_000 });
}

/** Station mode on in Settings, then on the Meter page: Connect, every minute, Start polling, one reading stored. */
async function startStation(page: Page, connect = 'Connect'): Promise<void> {
  await page.getByRole('tab', { name: 'Settings', exact: true }).click();
  await page.getByTestId('station-mode').check();
  await page.getByRole('tab', { name: 'Meter', exact: true }).click();
  await page.getByRole('button', { name: connect, exact: true }).click();
  await expect.poll(() => state(page).innerText(), { timeout: 20_000 }).toMatch(/^Connected/);
  await page.getByTestId('readings').waitFor({ timeout: 20_000 });
  await page.getByLabel('Poll every').selectOption({ label: '1 min' });
  await page.getByRole('button', { name: 'Start polling' }).click();
  await page.getByTestId('poll-status').waitFor();
  await page.getByTestId('station-banner').waitFor();
  expect(await page.getByTestId('station-role').innerText()).toMatch(/this tab reads/);
  await readingsReach(page, 1);
}

async function clockContext(options: Parameters<typeof env.newContext>[0] = {}): Promise<BrowserContext> {
  const context = await env.newContext(options);
  await context.clock.install();
  return context;
}

describe('station mode goes on by itself', () => {
  it('after a reload: connected and polling with no click, the next reading on time, none doubled', async () => {
    const context = await clockContext();
    const page = await openApp(context, env.url, { fake: { meter: METER } });
    const { base, sub } = await publishing(page);
    await startStation(page);
    const before = await storedReadings(page);

    await page.reload();
    await polling(page);
    expect(await page.getByTestId('station-stopped').count()).toBe(0);
    // The reload read nothing new: the next slot is a minute after the last reading.
    expect(await storedReadings(page)).toEqual(before);
    await context.clock.fastForward(MINUTE);
    const after = await readingsReach(page, before.length + 1);
    expectNoneDoubled(after, MINUTE);
    expect(await page.getByTestId('station-requests').innerText()).toMatch(/^\d+ request/);
    await brokerGotEachOnce(sub, base, after);
  });

  it('after the head is unplugged and plugged back in (Web Serial), also without station mode', async () => {
    const context = await clockContext();
    const page = await openApp(context, env.url, { fake: { meter: METER } });
    const { base, sub } = await publishing(page);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    await page.getByLabel('Poll every').selectOption({ label: '1 min' });
    await page.getByRole('button', { name: 'Start polling' }).click();
    const before = await readingsReach(page, 1);

    await page.evaluate(() => window.__kmpFake.meters[0]!.unplug());
    await expect.poll(() => state(page).innerText()).toMatch(/^Connection lost/);
    await page.evaluate(() => window.__kmpFake.meters[0]!.plugIn());
    await polling(page);
    await context.clock.fastForward(MINUTE);
    const after = await readingsReach(page, before.length + 1);
    expectNoneDoubled(after, MINUTE);
    await brokerGotEachOnce(sub, base, after);
  });

  it('after the head is unplugged and plugged back in on a phone (WebUSB)', async () => {
    const context = await clockContext(ANDROID_PHONE);
    const page = await openApp(context, env.url, { serial: false, usb: { chip: 'ft232r', meter: METER } });
    const { base, sub } = await publishing(page);
    await startStation(page);
    const before = await storedReadings(page);

    await page.evaluate(() => window.__kmpFakeUsb.unplug());
    await expect.poll(() => state(page).innerText(), { timeout: 20_000 }).toMatch(/^Connection lost/);
    await expect.poll(() => page.getByTestId('station-stopped').innerText()).toMatch(/lost/);
    await page.evaluate(() => window.__kmpFakeUsb.plugIn());
    await polling(page);
    await context.clock.fastForward(MINUTE);
    const after = await readingsReach(page, before.length + 1);
    expectNoneDoubled(after, MINUTE);
    await brokerGotEachOnce(sub, base, after);
  });

  it('when the polling tab closes, the other open tab takes over at once', async () => {
    const context = await clockContext();
    const first = await openApp(context, env.url, { fake: { meter: METER } });
    const { base, sub } = await publishing(first);
    await startStation(first);
    const second = await openApp(context, env.url, { fake: { meter: METER } });
    await second.getByTestId('station-banner').waitFor();
    await expect.poll(() => second.getByTestId('station-role').innerText()).toMatch(/standing by/);
    expect(await state(second).innerText()).toMatch(/^Not connected/);
    const before = await storedReadings(second);

    await first.close();
    await polling(second);
    await expect.poll(() => second.getByTestId('station-role').innerText()).toMatch(/this tab reads/);
    await context.clock.fastForward(MINUTE);
    const after = await readingsReach(second, before.length + 1);
    expectNoneDoubled(after, MINUTE);
    await brokerGotEachOnce(sub, base, after);
  });

  it('after a lid closed for a day: one reading on waking, not one per missed slot, then on the grid', async () => {
    const context = await clockContext();
    const page = await openApp(context, env.url, { fake: { meter: METER } });
    await startStation(page);
    const before = await storedReadings(page);
    await context.clock.fastForward(24 * 60 * MINUTE);
    const woke = await readingsReach(page, before.length + 1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(await storedReadings(page)).toHaveLength(before.length + 1);
    await context.clock.fastForward(MINUTE);
    expectNoneDoubled(await readingsReach(page, woke.length + 1), MINUTE);
  });

  it('polling stopped by hand stays stopped after a reload, and the banner says why', async () => {
    const context = await clockContext();
    const page = await openApp(context, env.url, { fake: { meter: METER } });
    await startStation(page);
    await page.getByRole('button', { name: 'Stop polling' }).click();
    // A reload as soon as the page shows polling stopped (it once resumed polling then).
    await page.getByRole('button', { name: 'Start polling' }).waitFor();
    await page.reload();
    await expect.poll(() => page.getByTestId('station-stopped').innerText()).toMatch(/stopped by hand/);
    expect(await state(page).innerText()).toMatch(/^Not connected/);
  });
});

describe('a browser restart', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('on the same profile: the station reconnects and polls with no click', async () => {
    const first = await launchPersistent();
    dir = first.dir;
    const page = await openApp(first.context, env.url, { fake: { meter: METER } });
    const { base, sub } = await publishing(page);
    await startStation(page);
    const before = await storedReadings(page);
    await first.context.close();

    const again = await launchPersistent(dir);
    try {
      const reopened = await openApp(again.context, env.url, { fake: { meter: METER } });
      await polling(reopened);
      expect(await storedReadings(reopened)).toEqual(before);
      expectNoneDoubled(before, MINUTE);
      // Whatever the closed browser had not yet handed to the broker goes out after the restart, once.
      await brokerGotEachOnce(sub, base, await storedReadings(reopened), () => storedReadings(reopened));
    } finally {
      await again.close();
    }
  });
});
