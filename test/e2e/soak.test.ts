/**
 * A soak of the publishing path as users run it: the built app with its real Content-Security-Policy,
 * Mosquitto over WebSocket with a 2 s keepalive, and readings taken from the demo meter with
 * silences longer than 1.5 × keepalive between them, for more than ten keepalive intervals.
 *
 * Regression: mqtt.js runs its keepalive timer in a blob: worker, which the
 * app's `worker-src 'self'` blocks; no PINGREQ went out, Mosquitto dropped the client every
 * 1.5 × keepalive and published its last will, so `<base>/status` flapped all session.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquittoBroker, type TestBroker } from '../support/brokers.ts';
import { subscribe, valuesTimestamps } from '../support/subscriber.ts';
import { openApp, useAppServer } from './harness.ts';

const KEEPALIVE_S = 2;
/** More than ten keepalive intervals, well under a minute. */
const SOAK_MS = 12 * KEEPALIVE_S * 1000;
/** Longer than the 1.5 × keepalive Mosquitto grants: only PINGREQs keep the client between reads. */
const GAP_MS = 2 * KEEPALIVE_S * 1000;

const env = useAppServer();
let broker: TestBroker & { close(): Promise<void>; log(): string };
beforeAll(async () => {
  broker = await mosquittoBroker(undefined, { logAll: true });
});
afterAll(async () => {
  await broker?.close();
});

const takenAt = (page: Page) =>
  page.evaluate(
    () => (window as unknown as { kmpSession: { lastReading?: { takenAt: number } } }).kmpSession.lastReading?.takenAt,
  );

describe('publishing soak under the shipped Content-Security-Policy', () => {
  it('keeps one connection alive with pings, never goes offline, and delivers every reading exactly once', async () => {
    const base = 'soak';
    const sub = await subscribe(broker.wsUrl, [`${base}/#`]);
    const page = await openApp(await env.newContext(), env.url);
    const cspViolations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text());
    });

    await page.getByRole('tab', { name: 'Publish' }).click();
    await page.getByLabel('Broker address (ws:// or wss://)', { exact: true }).fill(broker.wsUrl);
    await page.getByLabel('Base topic', { exact: true }).fill(base);
    await page.getByLabel('Keepalive (seconds)', { exact: true }).fill(String(KEEPALIVE_S));
    const enabled = page.getByLabel('Publish readings to MQTT');
    if (!(await enabled.isChecked())) await enabled.click();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByTestId('mqtt-state').textContent(), { timeout: 15_000 })
      .toMatch(/Connected to the broker/);

    await page.getByRole('tab', { name: 'Meter', exact: true }).click();
    await page.getByRole('button', { name: 'Demo meter' }).click();
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    const taken = new Set<number>([(await takenAt(page))!]);

    const until = Date.now() + SOAK_MS;
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, GAP_MS));
      const before = await takenAt(page);
      await page.getByRole('button', { name: 'Read now' }).click();
      await expect.poll(() => takenAt(page), { timeout: 10_000 }).not.toBe(before);
      taken.add((await takenAt(page))!);
    }

    const values = () => valuesTimestamps(sub.messages, base);
    await sub.waitFor(() => values().length >= taken.size, 15_000);
    // Anything sent twice (a reconnect replaying the outbox) would arrive within this pause.
    await new Promise((r) => setTimeout(r, 1000));

    const log = broker.log();
    const appConnects = log.match(/New client connected from \S+ as kmp-web-\S+ \(p\d, c\d, k2/g) ?? [];
    const pings = log.match(/Received PINGREQ from kmp-web-/g) ?? [];
    const status = sub.messages.filter((m) => m.topic === `${base}/status`).map((m) => m.payload);

    expect(appConnects).toHaveLength(1);
    expect(log).not.toMatch(/kmp-web-\S+ has exceeded timeout/);
    // A ping roughly every keepalive between reads; at least a few must have gone out.
    expect(pings.length).toBeGreaterThanOrEqual(SOAK_MS / (KEEPALIVE_S * 1000) / 2);
    expect(status).not.toContain('offline');
    expect(status).toContain('online');
    expect(taken.size).toBeGreaterThanOrEqual(SOAK_MS / GAP_MS - 1);
    expect([...values()].sort((a, b) => a - b)).toEqual([...taken].sort((a, b) => a - b));
    // The cause, named: nothing the app does may be blocked by its own policy.
    expect(cspViolations).toEqual([]);
    await sub.close();
  }, 120_000);
});
