import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { downloadText, openApp, useAppServer } from './harness.ts';

const env = useAppServer();

async function demo(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Demo meter' }).click();
  await page.getByTestId('readings').waitFor({ timeout: 20_000 });
}

async function readTimes(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = await page.evaluate(
      () =>
        (window as unknown as { kmpSession: { lastReading?: { takenAt: number } } }).kmpSession.lastReading?.takenAt,
    );
    await page.getByRole('button', { name: 'Read now' }).click();
    await expect
      .poll(
        () =>
          page.evaluate(
            () =>
              (window as unknown as { kmpSession: { lastReading?: { takenAt: number } } }).kmpSession.lastReading
                ?.takenAt,
          ),
        { timeout: 10_000 },
      )
      .not.toBe(before);
  }
  // The screen shows a reading before its IndexedDB write commits; a reload in between would
  // (rightly) not find it, so wait until the newest one is stored.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          const w = window as unknown as {
            kmpSession: { lastReading?: { serial: number; takenAt: number } };
            kmpStore: Promise<{ countReadings(serial: number, from: number, to: number): Promise<number> }>;
          };
          const r = w.kmpSession.lastReading;
          return r ? (await w.kmpStore).countReadings(r.serial, r.takenAt, r.takenAt) : 0;
        }),
      { timeout: 10_000 },
    )
    .toBe(1);
}

describe('history', () => {
  it('keeps readings across a reload, charts them and lists them', async () => {
    const context = await env.newContext({ acceptDownloads: true });
    const page = await openApp(context, env.url);
    await demo(page);
    await readTimes(page, 2);
    await page.reload();
    await page.locator('kmp-app').waitFor();
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('history-count').innerText(), { timeout: 10_000 })
      .toMatch(/^3 reading\(s\)/);
    await expect.poll(() => page.locator('[data-testid="chart"] canvas').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('history-table').locator('tbody tr').count()).toBe(3);
    expect(await page.getByTestId('history-table').textContent()).toMatch(/°C/);
  });

  it('follows new readings while it is open', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await demo(page);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('history-count').innerText(), { timeout: 10_000 })
      .toMatch(/^1 reading\(s\)/);
    // Polling goes on behind the History tab; the session is driven directly here.
    await page.evaluate(() =>
      (window as unknown as { kmpSession: { readNow(ids: number[]): Promise<unknown> } }).kmpSession.readNow([86, 87]),
    );
    await expect
      .poll(() => page.getByTestId('history-count').innerText(), { timeout: 10_000 })
      .toMatch(/^2 reading\(s\)/);
    expect(await page.getByTestId('history-table').locator('tbody tr').count()).toBe(2);
    await page.context().close();
  });

  it('shows the chosen range on the time axis, even for a single reading', async () => {
    // Regression: with one reading and "30 days", the axis ran about 1,000 days into the future.
    const page = await openApp(await env.newContext(), env.url);
    await demo(page);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    const axis = () =>
      page.evaluate(() => {
        const view = document.querySelector('kmp-app')!.shadowRoot!.querySelector('kmp-history-view') as unknown as {
          chart?: { scales: { x: { min: number; max: number } } };
        };
        const x = view.chart?.scales.x;
        return x ? { from: x.min * 1000, to: x.max * 1000, now: Date.now() } : undefined;
      });
    await expect.poll(axis, { timeout: 10_000 }).toBeDefined();
    const DAY = 86_400_000;
    for (const [button, days] of [
      ['30 days', 30],
      ['24 hours', 1],
    ] as const) {
      await page.getByRole('button', { name: button, exact: true }).click();
      await expect
        .poll(async () => {
          const a = (await axis())!;
          return Math.round((a.to - a.from) / DAY) === days && Math.abs(a.to - a.now) < 5 * 60_000;
        })
        .toBe(true);
    }
  });

  it('never draws values of two units as one line', async () => {
    // Regression: energy in GJ, then in MWh after the meter was reconfigured, was one line labelled MWh.
    const page = await openApp(await env.newContext(), env.url);
    await page.evaluate(async () => {
      type Db = { saveReading(r: unknown): Promise<void>; putMeter(m: unknown): Promise<void> };
      const db = await (window as unknown as { kmpStore: Promise<Db> }).kmpStore;
      const t0 = Date.now() - 3 * 3_600_000;
      await db.putMeter({ serial: 4242 });
      for (let i = 0; i < 6; i++) {
        const gj = i < 3;
        const value = gj ? 500 + i : 139 + i / 10;
        const decimal = gj ? `${value}.000` : value.toFixed(3);
        await db.saveReading({
          serial: 4242,
          takenAt: t0 + i * 600_000,
          values: [{ id: 60, unitCode: gj ? 8 : 3, unit: gj ? 'GJ' : 'MWh', value: Number(decimal), decimal }],
        });
      }
    });
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await page.getByRole('checkbox', { name: 'Energy' }).check();
    const labels = () => page.locator('[data-testid="chart"] .u-legend .u-series .u-label').allInnerTexts();
    await expect.poll(labels, { timeout: 10_000 }).toContain('Heat energy E1 [MWh]');
    const legend = await labels();
    expect(legend.filter((l) => /\[GJ\]/.test(l))).toHaveLength(1);
    expect(legend.filter((l) => /\[MWh\]/.test(l))).toHaveLength(1);
  });

  it('restores each meter and time once, with progress, and never twice', async () => {
    // Regression: repeats inside a file were all stored, and choosing the file again while the
    // first restore ran stored everything twice.
    const t0 = Date.UTC(2026, 5, 1);
    const readings = Array.from({ length: 20_000 }, (_, i) => ({
      serial: 5151,
      takenAt: t0 + i * 60_000,
      values: [
        {
          id: 60,
          unitCode: 8,
          unit: 'GJ',
          value: Number((100 + i / 1000).toFixed(3)),
          decimal: (100 + i / 1000).toFixed(3),
        },
      ],
    }));
    readings.push({ ...readings[7]! });
    const file = JSON.stringify({
      format: 'kmp-web-export',
      schemaVersion: 1,
      exportedAt: new Date().toISOString(),
      appVersion: 'test',
      meters: [{ serial: 5151 }],
      readings,
    });
    const page = await openApp(await env.newContext(), env.url);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    const input = page.getByLabel('Restore from a JSON export');
    await input.setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect
      .poll(() => page.getByTestId('history-message').innerText(), { timeout: 30_000 })
      .toMatch(/^Restored 20000 reading\(s\) of 1 meter\(s\); 1 repeated in the file and stored once\.$/);
    await input.setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await expect
      .poll(() => page.getByTestId('history-message').innerText(), { timeout: 30_000 })
      .toMatch(/^Restored 0 reading\(s\) of 1 meter\(s\); 20000 were already here; 1 repeated/);
    const stored = await page.evaluate(async () => {
      type Db = { countReadings(serial: number, from: number, to: number): Promise<number> };
      const db = await (window as unknown as { kmpStore: Promise<Db> }).kmpStore;
      return db.countReadings(5151, 0, Number.MAX_SAFE_INTEGER);
    });
    expect(stored).toBe(20_000);
  });

  it('exports CSV and JSON, and restores the JSON into an empty browser', async () => {
    const context = await env.newContext({ acceptDownloads: true });
    const page = await openApp(context, env.url);
    await demo(page);
    await readTimes(page, 1);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect.poll(() => page.getByTestId('history-count').innerText(), { timeout: 10_000 }).toMatch(/^2 reading/);
    const csv = await downloadText(page, 'Export CSV');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^time,energy \[GJ\],volume \[m³\]/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z,\d+\.\d{3},/);
    const json = await downloadText(page, 'Export JSON');
    expect(JSON.parse(json).format).toBe('kmp-web-export');
    await page.context().close();

    const fresh = await openApp(await env.newContext(), env.url);
    await fresh.getByRole('tab', { name: 'History', exact: true }).click();
    const input = fresh.getByLabel('Restore from a JSON export');
    await input.setInputFiles({
      name: 'bad.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format":"kmp-web-export","schemaVersion":1,"meters":[],"readings":[{"serial":1}]}'),
    });
    await expect
      .poll(() => fresh.getByRole('alert').first().textContent())
      .toMatch(/readings\[0\]\.takenAt.*Nothing was changed/);
    await input.setInputFiles({ name: 'export.json', mimeType: 'application/json', buffer: Buffer.from(json) });
    await expect
      .poll(() => fresh.getByTestId('history-message').textContent())
      .toMatch(/Restored 2 reading\(s\) of 1 meter/);
    await expect.poll(() => fresh.getByTestId('history-count').innerText()).toMatch(/^2 reading/);
  });

  it('says so when storage is full, and still shows the reading', async () => {
    const context = await env.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      // Readings are written to their hour's record (src/store/reading-hours.ts).
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
        if (this.name === 'readingHours') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    await page.goto(env.url);
    await demo(page);
    await expect
      .poll(() => page.getByTestId('notice').textContent(), { timeout: 10_000 })
      .toMatch(/Storage is full.*Nothing was saved/);
    expect(await page.locator('tr[data-register="60"]').count()).toBe(1);
  });

  it('says so when the stored history cannot be read, instead of a blank page', async () => {
    // Regression: the page's async connectedCallback lost the store's error as an unhandled
    // rejection (found by @typescript-eslint/no-misused-promises), leaving an empty page.
    const context = await env.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const getAll = IDBObjectStore.prototype.getAll;
      IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<typeof getAll>) {
        if (this.name === 'meters') throw new DOMException('The disk failed.', 'UnknownError');
        return getAll.apply(this, args);
      };
    });
    await page.goto(env.url);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect
      .poll(() => page.locator('kmp-history-view [role=alert]').textContent(), { timeout: 10_000 })
      .toMatch(/The disk failed/);
  });

  it('says so when export, delete or forget fails in storage, instead of doing nothing', async () => {
    // These actions ran without a catch: a failed store call was an unhandled rejection and the
    // page stayed as it was, so a person could believe the export or the delete had happened.
    const page = await openApp(await env.newContext({ acceptDownloads: true }), env.url);
    await demo(page);
    await page.getByRole('tab', { name: 'History', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('history-count').innerText(), { timeout: 10_000 })
      .toMatch(/^1 reading\(s\)/);
    page.on('dialog', (d) => void d.accept());
    // From now on every IndexedDB transaction fails, each time with the name of the action under test.
    await page.evaluate(() => {
      const w = window as unknown as { failing: string };
      IDBDatabase.prototype.transaction = function () {
        throw new DOMException(`The disk failed during ${w.failing}.`, 'UnknownError');
      };
    });
    const alert = page.locator('kmp-history-view kmp-alert[kind=error]');
    for (const button of ['Export CSV', 'Export JSON', 'Delete readings in this range', 'Forget this meter']) {
      await page.evaluate((b) => ((window as unknown as { failing: string }).failing = b), button);
      await page.getByRole('button', { name: button }).click();
      await expect
        .poll(() => alert.textContent(), { timeout: 10_000 })
        .toMatch(new RegExp(`The disk failed during ${button}\\.`));
      expect(await alert.getAttribute('role')).toBe('alert');
    }
  });

  it('lets only one tab own the meter', async () => {
    const context = await env.newContext();
    const a = await openApp(context, env.url);
    await demo(a);
    const b = await openApp(context, env.url);
    await b.getByRole('button', { name: 'Demo meter' }).click();
    await expect
      .poll(() => b.getByTestId('problem').textContent())
      .toMatch(/Another kmp-web tab or window is connected/);
    await a.getByRole('button', { name: 'Disconnect' }).click();
    await b.getByRole('button', { name: 'Demo meter' }).click();
    await expect
      .poll(() => b.getByTestId('connection-state').textContent(), { timeout: 15_000 })
      .toMatch(/Connected: Demo meter/);
  });
});

describe('settings', () => {
  it("imports the reference project's config.yaml, explains each field, and applies on request", async () => {
    const context = await env.newContext();
    const page = await openApp(context, env.url);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const yaml =
      'mqtt:\n  host: 10.1.2.3\n  port: 1883\n  topic: kamstrup\n  authentication: False\nkamstrup:\n  parameters:\n  - energy\n  - temp1\n  - nonsense\n  poll_interval: 5\n';
    await page
      .getByLabel('config.yaml')
      .setInputFiles({ name: 'config.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yaml) });
    await expect.poll(() => page.getByTestId('import-notes').textContent()).toMatch(/WebSocket/);
    expect(await page.locator('tr[data-level="error"]').textContent()).toMatch(/Unknown parameter "nonsense"/);
    await page.getByRole('button', { name: 'Apply these settings' }).click();
    await expect
      .poll(() => page.getByTestId('import-applied').textContent())
      .toMatch(/2 register\(s\) to read, polling every 5 min/);
    expect(await page.getByTestId('import-applied').textContent()).toMatch(/the broker ws:\/\/10\.1\.2\.3:\d+/);
    await page.getByRole('tab', { name: 'Meter', exact: true }).click();
    await expect.poll(() => page.getByText('Registers to read (2)').count()).toBe(1);
    // The broker is saved for the Publish page, checked like the form, and left switched off.
    await page.getByRole('tab', { name: 'Publish' }).click();
    await expect
      .poll(() => page.getByLabel('Broker address (ws:// or wss://)').inputValue())
      .toMatch(/^ws:\/\/10\.1\.2\.3:\d+$/);
    expect(await page.getByLabel('Base topic').inputValue()).toBe('kamstrup');
    expect(await page.getByTestId('mqtt-state').textContent()).toMatch(/Publishing is off/);
  });

  it('never carries a saved login over to the broker of an imported config.yaml', async () => {
    // Regression: with a login saved for one broker, importing another host's config.yaml with
    // `authentication: False` kept the old login (the preview said it was not used), so the
    // password went to the new host.
    const context = await env.newContext();
    const page = await openApp(context, env.url);
    type Pub = { save(s: unknown): Promise<{ problems: unknown[] }>; settings: Record<string, unknown> };
    const saved = await page.evaluate(async () => {
      const p = (window as unknown as { kmpPublishing: Pub }).kmpPublishing;
      return p.save({ ...p.settings, url: 'ws://old.example:9001', username: 'ha', password: 'secret' });
    });
    expect(saved.problems).toEqual([]);
    await page.getByRole('tab', { name: 'Settings' }).click();
    const yaml = 'mqtt:\n  host: 10.9.8.7\n  port: 9001\n  authentication: False\n';
    await page
      .getByLabel('config.yaml')
      .setInputFiles({ name: 'config.yaml', mimeType: 'text/yaml', buffer: Buffer.from(yaml) });
    await expect.poll(() => page.locator('tr[data-level="cleared"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('import-notes').textContent()).toMatch(/password/i);
    await page.getByRole('button', { name: 'Apply these settings' }).click();
    await expect.poll(() => page.getByTestId('import-applied').textContent()).toMatch(/the broker ws:\/\/10\.9\.8\.7/);
    const after = await page.evaluate(() => {
      const s = (window as unknown as { kmpPublishing: Pub }).kmpPublishing.settings;
      return { url: s.url, username: s.username, passwordSaved: s.passwordSaved };
    });
    // The page's settings never carry the password itself; whether one is saved is what they say.
    expect(after).toEqual({ url: 'ws://10.9.8.7:9001', username: '', passwordSaved: false });
  });
});
