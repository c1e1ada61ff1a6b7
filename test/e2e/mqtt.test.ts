/**
 * The whole path in a real browser: virtual meter → app in Chromium (real IndexedDB) → the
 * embedded broker over WebSocket → a Node subscriber, as Home Assistant would be.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aedesBroker, type TestBroker } from '../support/brokers.ts';
import { subscribe } from '../support/subscriber.ts';
import { openApp, useAppServer } from './harness.ts';

const env = useAppServer();
let broker: TestBroker & { close(): Promise<void> };
beforeAll(async () => {
  broker = await aedesBroker();
});
afterAll(async () => {
  await broker?.close();
});

async function configure(page: Page, fields: Record<string, string>, enable = true): Promise<void> {
  await page.getByRole('tab', { name: 'Publish' }).click();
  for (const [label, value] of Object.entries(fields)) await page.getByLabel(label, { exact: true }).fill(value);
  const enabled = page.getByLabel('Publish readings to MQTT');
  if ((await enabled.isChecked()) !== enable) await enabled.click();
  await page.getByRole('button', { name: 'Save' }).click();
}

async function demoRead(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Meter', exact: true }).click();
  await page.getByRole('button', { name: 'Demo meter' }).click();
  await page.getByTestId('readings').waitFor({ timeout: 20_000 });
}

async function readAgain(page: Page): Promise<void> {
  const at = () =>
    page.evaluate(
      () =>
        (window as unknown as { kmpSession: { lastReading?: { takenAt: number } } }).kmpSession.lastReading?.takenAt,
    );
  const before = await at();
  await page.getByRole('button', { name: 'Read now' }).click();
  await expect.poll(at, { timeout: 10_000 }).not.toBe(before);
}

const PASSWORD = 'S3cret-broker-pw';

const valuesOf = (messages: { topic: string; payload: string }[], base: string) =>
  messages.filter((m) => m.topic === `${base}/values`).map((m) => JSON.parse(m.payload) as Record<string, number>);

describe('publishing from the app', () => {
  it('refuses invalid broker settings field by field and saves none of them', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await configure(page, {
      'Broker address (ws:// or wss://)': 'mqtt://192.168.1.10:1883',
      'Base topic': 'kamstrup/#',
      'Keepalive (seconds)': '70000',
    });
    await expect.poll(() => page.getByTestId('error-url').textContent()).toMatch(/MQTT over TCP.*WebSocket/);
    expect(await page.getByTestId('error-baseTopic').textContent()).toMatch(/wildcards/);
    expect(await page.getByTestId('error-keepaliveS').textContent()).toMatch(/65535/);
    expect(await page.getByLabel('Broker address (ws:// or wss://)').getAttribute('aria-invalid')).toBe('true');
    await page.reload();
    await page.getByRole('tab', { name: 'Publish' }).click();
    expect(await page.getByLabel('Broker address (ws:// or wss://)').inputValue()).toBe('ws://127.0.0.1:9001');
    expect(await page.getByTestId('mqtt-state').textContent()).toMatch(/Publishing is off/);

    // "Test connection" tries settings without saving them.
    await page.getByLabel('Broker address (ws:// or wss://)').fill(broker.wsUrl);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.getByTestId('publish-message').textContent(), { timeout: 15_000 })
      .toMatch(/accepted the connection/);
    await page.getByLabel('Broker address (ws:// or wss://)').fill('ws://127.0.0.1:9');
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect
      .poll(() => page.getByTestId('publish-message').textContent(), { timeout: 15_000 })
      .toMatch(/Could not reach the broker.*WebSocket listener/);
  });

  it('virtual meter → app → broker: the reference values, the state and Home Assistant discovery arrive', async () => {
    const base = 'e2e-kamstrup';
    const sub = await subscribe(broker.wsUrl, [`${base}/#`, 'homeassistant/#']);
    const page = await openApp(await env.newContext({ acceptDownloads: true }), env.url);
    const consoleText: string[] = [];
    page.on('console', (m) => consoleText.push(m.text()));
    // The embedded broker takes any credentials unless told otherwise: the password just travels.
    await configure(page, {
      'Broker address (ws:// or wss://)': broker.wsUrl,
      'Base topic': base,
      'User name': 'ha-user',
      Password: PASSWORD,
    });
    await expect
      .poll(() => page.getByTestId('mqtt-state').textContent(), { timeout: 15_000 })
      .toMatch(/Connected to the broker/);
    await demoRead(page);
    const messages = await sub.waitFor(
      (m) => valuesOf(m, base).length >= 1 && m.some((x) => x.topic.startsWith('homeassistant/sensor/')),
    );
    const values = valuesOf(messages, base)[0]!;
    expect(values.energy).toBeTypeOf('number');
    expect(values.temp1).toBeTypeOf('number');
    expect(values.timestamp).toBeTypeOf('number');
    const serial = await page.evaluate(
      () => (window as unknown as { kmpSession: { identity: { serial: number } } }).kmpSession.identity.serial,
    );
    const energyConfig = messages.find((m) => m.topic === `homeassistant/sensor/kamstrup_${serial}/energy/config`);
    expect(JSON.parse(energyConfig!.payload)).toMatchObject({
      device_class: 'energy',
      state_class: 'total_increasing',
      device: { identifiers: [`kamstrup_${serial}`], manufacturer: 'Kamstrup' },
    });
    const state = JSON.parse(messages.find((m) => m.topic === `${base}/${serial}/state`)!.payload);
    expect(state.registers.energy.decimal).toMatch(/^\d+(\.\d+)?$/);
    expect(messages.some((m) => m.topic === `${base}/${serial}/availability` && m.payload === 'online')).toBe(true);
    await expect
      .poll(() => page.getByTestId('mqtt-badge').textContent())
      .toMatch(new RegExp(`MQTT ${new URL(broker.wsUrl).host}: Connected`));

    // The diagnostics bundle tells the broker side too, and the password appears nowhere.
    await page.getByRole('tab', { name: 'Frame log' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download diagnostics' }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const bundle = JSON.parse(text);
    // The app holds the settings without the password (it stays sealed in the store): the bundle says one is set.
    expect(bundle.settings.mqtt).toMatchObject({ url: broker.wsUrl, username: 'ha-user', passwordSaved: true });
    expect(bundle.settings.mqtt).not.toHaveProperty('password');
    expect(bundle.publishing).toMatchObject({ state: 'connected', outbox: 0 });
    expect(text).not.toContain(PASSWORD);
    expect(consoleText.join('\n')).not.toContain(PASSWORD);
    const stored = await page.evaluate(async () => {
      const db = await (window as unknown as { kmpStore: Promise<{ listFrames(): Promise<unknown[]> }> }).kmpStore;
      return JSON.stringify(await db.listFrames());
    });
    expect(stored).not.toContain(PASSWORD);
    await sub.close();
  });

  it('keeps readings through a broker outage and a reload, shows them waiting, then publishes all in order', async () => {
    const base = 'e2e-outage';
    const sub = await subscribe(broker.wsUrl, [`${base}/values`]);
    const page = await openApp(await env.newContext(), env.url);
    await configure(page, { 'Broker address (ws:// or wss://)': broker.wsUrl, 'Base topic': base });
    await expect.poll(() => page.getByTestId('mqtt-state').textContent(), { timeout: 15_000 }).toMatch(/Connected/);
    await demoRead(page);
    await sub.waitFor((m) => valuesOf(m, base).length === 1);

    await broker.stop();
    await readAgain(page);
    await readAgain(page);
    await expect.poll(() => page.getByTestId('mqtt-badge').textContent(), { timeout: 10_000 }).toMatch(/2 waiting/);
    await page.reload();
    await page.locator('kmp-app').waitFor();
    await expect.poll(() => page.getByTestId('mqtt-badge').textContent(), { timeout: 10_000 }).toMatch(/2 waiting/);
    await page.getByRole('tab', { name: 'Publish' }).click();
    expect(await page.getByTestId('outbox-count').textContent()).toMatch(/2 readings wait/);

    await broker.start();
    await sub.waitFor((m) => valuesOf(m, base).length >= 3, 30_000);
    const stamps = valuesOf(sub.messages, base).map((v) => v.timestamp!);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    expect(new Set(stamps).size).toBe(3);
    await expect
      .poll(() => page.getByTestId('outbox-count').textContent(), { timeout: 15_000 })
      .toMatch(/Nothing waits/);
    await sub.close();
  });

  it('says on the broker when a read fails, in words, instead of publishing an empty reading', async () => {
    const base = 'e2e-errors';
    const sub = await subscribe(broker.wsUrl, [`${base}/#`]);
    const page = await openApp(await env.newContext(), env.url, { fake: { meter: { model: '403' } } });
    await configure(page, { 'Broker address (ws:// or wss://)': broker.wsUrl, 'Base topic': base });
    await expect.poll(() => page.getByTestId('mqtt-state').textContent(), { timeout: 15_000 }).toMatch(/Connected/);
    await page.getByRole('tab', { name: 'Meter', exact: true }).click();
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    const serial = await page.evaluate(() => window.__kmpFake.meters[0]!.serial);
    await page.evaluate(() => (window.__kmpFake.meters[0]!.faults = { dropRate: 1 }));
    await page.getByRole('button', { name: 'Read now' }).click();
    const got = await sub.waitFor((m) => m.some((x) => x.topic === `${base}/${serial}/error`), 30_000);
    expect(JSON.parse(got.find((x) => x.topic === `${base}/${serial}/error`)!.payload)).toMatchObject({
      kind: 'no-answer',
      message: expect.stringMatching(/stopped answering/),
      advice: expect.stringMatching(/gone to sleep.*button/),
    });
    expect(valuesOf(got, base)).toHaveLength(1);
    expect(got.filter((x) => x.topic === `${base}/values`).every((x) => x.payload !== '{}')).toBe(true);
    await sub.close();
  });

  it('publishes from one tab only; another tab hands its readings over and takes over when the first closes', async () => {
    const base = 'e2e-tabs';
    const sub = await subscribe(broker.wsUrl, [`${base}/values`]);
    const context = await env.newContext();
    const first = await openApp(context, env.url);
    await configure(first, { 'Broker address (ws:// or wss://)': broker.wsUrl, 'Base topic': base });
    await expect.poll(() => first.getByTestId('mqtt-state').textContent(), { timeout: 15_000 }).toMatch(/Connected/);

    const second = await openApp(context, env.url);
    await second.getByRole('tab', { name: 'Publish' }).click();
    await expect
      .poll(() => second.getByTestId('mqtt-state').textContent(), { timeout: 10_000 })
      .toMatch(/Another tab of kmp-web publishes/);
    // A reading taken in the second tab goes out through the first tab's connection.
    await demoRead(second);
    await sub.waitFor((m) => valuesOf(m, base).length === 1, 15_000);

    await first.close();
    await second.getByRole('tab', { name: 'Publish' }).click();
    await expect
      .poll(() => second.getByTestId('mqtt-state').textContent(), { timeout: 15_000 })
      .toMatch(/Connected to the broker/);
    await second.getByRole('tab', { name: 'Meter', exact: true }).click();
    await readAgain(second);
    await sub.waitFor((m) => valuesOf(m, base).length === 2, 15_000);
    // Never sent twice by two publishers.
    await new Promise((r) => setTimeout(r, 1000));
    expect(new Set(valuesOf(sub.messages, base).map((v) => v.timestamp)).size).toBe(
      valuesOf(sub.messages, base).length,
    );
    await sub.close();
  });

  it('after an import that moves publishing to another broker, says it is on, and the header names the broker', async () => {
    // Regression: with publishing on, importing a config.yaml for another broker said "switch
    // publishing on there" while it already was, connected to the new broker; and the header
    // never said which broker the readings went to.
    const other = await aedesBroker();
    try {
      const page = await openApp(await env.newContext(), env.url);
      await configure(page, { 'Broker address (ws:// or wss://)': broker.wsUrl, 'Base topic': 'import-move' });
      await expect.poll(() => page.getByTestId('mqtt-badge').textContent(), { timeout: 15_000 }).toMatch(/Connected/);
      const port = new URL(other.wsUrl).port;
      await page.getByRole('tab', { name: 'Settings' }).click();
      // kmp-web's own settings file (a config.yaml's port is the broker's TCP one, not its WebSocket).
      const yaml = `mqtt:\n  url: ws://localhost:${port}\n  baseTopic: import-move\n`;
      await page
        .getByLabel('config.yaml')
        .setInputFiles({ name: 'config.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yaml) });
      await page.getByRole('button', { name: 'Apply these settings' }).click();
      await expect.poll(() => page.getByTestId('import-applied').textContent()).toMatch(/the broker ws:\/\/localhost/);
      const applied = (await page.getByTestId('import-applied').textContent())!;
      expect(applied).not.toMatch(/switch publishing on/);
      expect(applied).toMatch(/publishing is on/i);
      await expect
        .poll(() => page.getByTestId('mqtt-badge').textContent(), { timeout: 15_000 })
        .toMatch(new RegExp(`localhost:${port}.*Connected`));
    } finally {
      await other.close();
    }
  });
});
