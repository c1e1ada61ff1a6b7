import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, useAppServer } from './harness.ts';

const env = useAppServer();

async function app(options: Parameters<typeof openApp>[2] = {}): Promise<Page> {
  return openApp(await env.newContext({ acceptDownloads: true }), env.url, options);
}

const state = (page: Page) => page.getByTestId('connection-state');

async function connect(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect.poll(() => state(page).textContent(), { timeout: 15_000 }).toMatch(/Connected/);
  await page.getByTestId('readings').waitFor({ timeout: 20_000 });
}

describe('with a meter on the (fake) serial port', () => {
  for (const echo of [false, true]) {
    it(`connects, identifies and reads with the meter's units (echo ${echo})`, async () => {
      const page = await app({
        fake: { meter: { model: '403', serial: 71234567, energyUnit: 'MWh', echo, frozen: true } },
      });
      await connect(page);
      await expect.poll(() => page.getByTestId('serial').textContent()).toBe('71234567');
      await expect.poll(() => page.getByTestId('model').textContent()).toMatch(/MULTICAL 403/);
      const energyRow = page.locator('tr[data-register="60"]');
      await expect.poll(() => energyRow.textContent()).toMatch(/MWh/);
      // The value shown is exactly what the meter holds.
      const held = await page.evaluate(
        () => window.__kmpFake.meters[0]!.registerValues().find((r) => r.id === 60)!.decimal,
      );
      expect(await energyRow.locator('td.num').textContent()).toBe(held);
      await expect.poll(() => page.getByTestId('info-code').first().textContent()).toMatch(/No irregularities/i);
    });
  }

  it('identifies and takes the first reading in at most 4 requests, drawing the first reply before the last', async () => {
    const page = await app({ fake: { meter: { model: '403', serial: 71234567, turnaroundMs: 50 } } });
    // What the page held when the session first had values to show, recorded in the page itself.
    await page.evaluate(() => {
      const w = window as unknown as {
        kmpSession: {
          firstReadProgress?: { values: unknown[] };
          lastReading?: unknown;
          subscribe(f: () => void): () => void;
        };
        __firstShown?: { values: number; requests: number; replies: number; whole: boolean };
      };
      w.kmpSession.subscribe(() => {
        const p = w.kmpSession.firstReadProgress;
        const meter = window.__kmpFake.meters[0];
        if (!w.__firstShown && p?.values.length && meter)
          w.__firstShown = {
            values: p.values.length,
            requests: meter.stats.requests,
            replies: meter.stats.replies,
            whole: w.kmpSession.lastReading !== undefined,
          };
      });
    });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // At real 1200-baud pacing the first reply's rows are on screen while later requests are outstanding.
    await page.getByTestId('readings-progress').locator('tr[data-register="60"]').waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('readings').count()).toBe(0);
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    const first = await page.evaluate(() => (window as unknown as { __firstShown: unknown }).__firstShown);
    const total = await page.evaluate(() => window.__kmpFake.meters[0]!.stats.requests);
    expect(total).toBeLessThanOrEqual(4);
    // GetType and the first GetRegister had been answered, the rest not yet.
    expect(first).toMatchObject({ values: 8, replies: 2, whole: false });
    expect((first as { requests: number }).requests).toBeLessThan(total);

    // Each quantity once: the counters and the info code in the readings table, the serial on the card.
    const card = page.getByTestId('identity');
    await expect.poll(() => page.getByTestId('serial').textContent()).toBe('71234567');
    const cardText = await card.textContent();
    expect(cardText).not.toMatch(/Operating hours|Info event counter/);
    expect(await page.locator('tr[data-register="1004"]').count()).toBe(1);
    expect(await page.locator('tr[data-register="113"]').count()).toBe(1);
    expect(await page.locator('tr[data-register="1001"]').count()).toBe(0);
    expect(await page.getByText('71234567').count()).toBe(1);
    expect(await page.getByTestId('info-code').count()).toBe(1);
  });

  it('reads again on "Read now" and polls until stopped, counting requests', async () => {
    const page = await app({ fake: { meter: { model: '402' } } });
    await connect(page);
    const before = Number((await page.getByTestId('requests-sent').textContent())!.match(/\d+/)![0]);
    await page.getByRole('button', { name: 'Read now' }).click();
    await expect
      .poll(async () => Number((await page.getByTestId('requests-sent').textContent())!.match(/\d+/)![0]))
      .toBeGreaterThan(before);
    await page.getByLabel('Poll every').selectOption({ label: '1 min' });
    await expect.poll(() => page.getByText(/drains the meter’s battery/).count()).toBe(1);
    await page.getByRole('button', { name: 'Start polling' }).click();
    await expect.poll(() => page.getByTestId('poll-status').textContent(), { timeout: 15_000 }).toMatch(/1 read\(s\)/);
    await page.getByRole('button', { name: 'Stop polling' }).click();
    await expect.poll(() => page.getByTestId('poll-status').count()).toBe(0);
  });

  it('never polls faster than once a minute, whatever interval was stored', async () => {
    // Regression: an imported poll_interval of 0.00002 minutes (1.2 ms), or one an older version
    // stored, polled every few hundred ms and drained the meter's battery.
    const page = await app({ fake: { meter: { model: '403' } } });
    await page.evaluate(async () => {
      const w = window as unknown as {
        kmpStore: Promise<{ putSetting(key: string, value: unknown): Promise<void> } | undefined>;
      };
      const db = (await w.kmpStore)!;
      await db.putSetting('app', { pollIntervalMs: 1.2 });
    });
    await page.reload();
    await connect(page);
    await expect.poll(() => page.getByLabel('Poll every').inputValue()).toBe('60000');
    const sent = () => page.evaluate(() => window.__kmpFake.meters[0]!.stats.requests);
    await page.getByRole('button', { name: 'Start polling' }).click();
    await expect.poll(() => page.getByTestId('poll-status').textContent(), { timeout: 15_000 }).toMatch(/1 read\(s\)/);
    const afterFirst = await sent();
    await page.waitForTimeout(4000);
    expect(await sent()).toBe(afterFirst);
    expect(await page.getByTestId('poll-status').textContent()).toMatch(/next in (59|1:00|1 min|\d\d s)/);
    await page.getByRole('button', { name: 'Stop polling' }).click();
  });

  it('keeps the screen on while polling, unless told not to', async () => {
    const page = await app({ fake: { meter: { model: '403' } } });
    await connect(page);
    await page.getByRole('button', { name: 'Start polling' }).click();
    await expect
      .poll(() => page.getByTestId('wake-lock').textContent(), { timeout: 10_000 })
      .toMatch(/The screen stays on while polling/);
    expect(
      await page.evaluate(
        () => (window as unknown as { kmpWakeLock: { state: { kind: string } } }).kmpWakeLock.state.kind,
      ),
    ).toBe('held');
    await page.getByLabel('Keep the screen on while polling').uncheck();
    await expect.poll(() => page.getByTestId('wake-lock').count()).toBe(0);
    expect(
      await page.evaluate(
        () => (window as unknown as { kmpWakeLock: { state: { kind: string } } }).kmpWakeLock.state.kind,
      ),
    ).toBe('off');
    await page.getByLabel('Keep the screen on while polling').check();
    await expect.poll(() => page.getByTestId('wake-lock').count()).toBe(1);
    await page.getByRole('button', { name: 'Stop polling' }).click();
    await expect
      .poll(() =>
        page.evaluate(() => (window as unknown as { kmpWakeLock: { state: { kind: string } } }).kmpWakeLock.state.kind),
      )
      .toBe('off');
  });

  it('keeps the chosen registers across a reload, and offers to stop asking for ones the meter lacks', async () => {
    const page = await app({ fake: { meter: { model: '403' } } });
    await connect(page);
    const summary = page.getByText(/^Registers to read \(\d+\)$/);
    const count = async () => Number((await summary.textContent())!.match(/\d+/)![0]);
    const n = await count();
    await summary.click();
    await page.getByLabel('Add a register by id or name').fill('155');
    await page.getByLabel('Add a register by id or name').press('Enter');
    await expect.poll(count).toBe(n + 1);
    await page.getByRole('button', { name: 'Read now' }).click();
    // 155 is the 402's high-resolution energy; a 403 leaves it out of its reply.
    await expect
      .poll(() => page.getByTestId('unsupported').textContent(), { timeout: 15_000 })
      .toMatch(/Not on this meter: .*\(155\)/);

    await page.reload();
    await page.locator('kmp-app').waitFor();
    await expect.poll(count).toBe(n + 1);
    await connect(page);
    await expect.poll(() => page.getByTestId('unsupported').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Stop asking for them' }).click();
    await expect.poll(count).toBe(n);
    expect(await page.getByTestId('unsupported').count()).toBe(0);
  });

  it('explains an unplugged cable mid-read and connects again without a reload', async () => {
    const page = await app({ fake: { meter: { model: '603' } } });
    await connect(page);
    await page.getByRole('button', { name: 'Read now' }).click();
    await page.evaluate(() => window.__kmpFake.meters[0]!.unplug());
    await expect.poll(() => state(page).textContent()).toMatch(/Connection lost.*(unplugged|went away)/);
    await expect.poll(() => page.getByTestId('plug-notice').textContent()).toMatch(/was unplugged/);
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => state(page).textContent()).toMatch(/Not connected/);
    await page.evaluate(() => window.__kmpFake.meters[0]!.plugIn());
    await expect.poll(() => page.getByTestId('plug-notice').textContent()).toMatch(/was plugged in/);
    await page
      .getByRole('button', { name: /^Reconnect/ })
      .first()
      .click();
    await expect.poll(() => state(page).textContent(), { timeout: 15_000 }).toMatch(/Connected/);
  });

  it('says what to do when the meter does not answer, and when only the echo comes back', async () => {
    const page = await app({ fake: { meter: { faults: { dropRate: 1 } } } });
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('problem').textContent(), { timeout: 30_000 })
      .toMatch(/did not answer.*button/);
    await page.context().close();
    const echo = await app({ fake: { meter: { echo: true, faults: { dropRate: 1 } } } });
    await echo.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect
      .poll(() => echo.getByTestId('problem').textContent(), { timeout: 30_000 })
      .toMatch(/own request came back.*not seated/);
  });

  it('aligns: counts good answers and failures, with the checklist', async () => {
    const page = await app({ fake: { meter: { model: '403' } } });
    await connect(page);
    await page.getByRole('tab', { name: 'Alignment' }).click();
    await page.getByLabel('Seconds to align').fill('10');
    await page.getByLabel('Seconds to align').dispatchEvent('change');
    await page.getByRole('button', { name: 'Align' }).click();
    await expect.poll(() => page.getByTestId('align-light').textContent(), { timeout: 10_000 }).toMatch(/Good/);
    await page.evaluate(() => (window.__kmpFake.meters[0]!.faults = { dropRate: 1 }));
    await expect.poll(() => page.locator('[data-count="no-answer"]').textContent(), { timeout: 10_000 }).not.toBe('0');
    expect(Number(await page.locator('[data-count="ok"]').textContent())).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('align-light').textContent()).toMatch(/Nothing comes back/);
    expect(await page.getByText(/upside down/).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Stop aligning' }).click();
  });

  it('scans registers and lists what the meter has', async () => {
    const page = await app({ fake: { meter: { model: '402' } } });
    await connect(page);
    await page.getByRole('tab', { name: 'Scan' }).click();
    await page.getByRole('button', { name: 'Scan registers' }).click();
    await expect
      .poll(() => page.getByTestId('scan-summary').innerText(), { timeout: 30_000 })
      .toMatch(/\d+ register\(s\) answered/);
    const ids = await page.getByTestId('scan-results').locator('tbody tr td:first-child').allTextContents();
    const supported = await page.evaluate(() => window.__kmpFake.meters[0]!.supportedRegisters.map(String));
    expect(ids.length).toBeGreaterThan(10);
    for (const id of ids) expect(supported).toContain(id);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download register profile' }).click(),
    ]);
    const chunks: Buffer[] = [];
    for await (const c of await download.createReadStream()) chunks.push(c as Buffer);
    const profile = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(profile).toMatchObject({
      format: 'kmp-web-register-profile',
      meter: { serial: 66123456, model: expect.stringMatching(/402/) },
    });
    expect(profile.registers.map((r: { id: number }) => String(r.id)).sort()).toEqual([...ids].sort());
    expect(profile.registers.find((r: { id: number }) => r.id === 60)).toMatchObject({ name: 'energy', unit: 'GJ' });

    // The scan is remembered for this meter: after a reload it is shown again without a new one.
    // (The reload keeps the Scan page open: the address names it.)
    await page.reload();
    await page.getByRole('tab', { name: 'Meter', exact: true }).click();
    await connect(page);
    const sent = await page.evaluate(() => window.__kmpFake.meters[0]!.stats.requests);
    await page.getByRole('tab', { name: 'Scan' }).click();
    await expect
      .poll(() => page.getByTestId('scan-summary').innerText(), { timeout: 10_000 })
      .toMatch(new RegExp(`^Last scan of this meter, .*: ${ids.length} register\\(s\\) answered`));
    expect(await page.evaluate(() => window.__kmpFake.meters[0]!.stats.requests)).toBe(sent);
  });

  it('logs frames and downloads a diagnostics bundle', async () => {
    const page = await app({ fake: { meter: { echo: true } } });
    await connect(page);
    await page.getByRole('tab', { name: 'Frame log' }).click();
    await expect.poll(() => page.locator('tr[data-kind="echo"]').count()).toBeGreaterThan(0);
    expect(await page.locator('tr[data-kind="response"]').count()).toBeGreaterThan(0);
    expect(await page.locator('tr[data-kind="response"]').first().textContent()).toMatch(/\d+ ms/);
    await expect
      .poll(() => page.getByTestId('reply-times').innerText())
      .toMatch(
        /Replies began \d+.*ms\)? after the request was sent, over \d+ intact repl.*at 1200 baud.*waits up to 1500 ms/s,
      );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download diagnostics' }).click(),
    ]);
    const stream = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    const bundle = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    expect(bundle.format).toBe('kmp-web-diagnostics');
    expect(bundle.identity.serial).toBeGreaterThan(0);
    expect(bundle.frames.some((f: { kind: string }) => f.kind === 'echo')).toBe(true);
    expect(
      bundle.frames
        .filter((f: { kind: string }) => f.kind === 'response')
        .every((f: { replyMs?: number }) => typeof f.replyMs === 'number' && f.replyMs >= 0),
    ).toBe(true);
    expect(bundle.appVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('the demo meter', () => {
  it('falls asleep on request, and the app says the optical port went to sleep, not that the head is off', async () => {
    const page = await app();
    await page.getByRole('button', { name: 'Demo meter' }).click();
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    await page.getByText('Demo meter controls').click();
    await page.getByRole('button', { name: 'Let the optical port sleep' }).click();
    await page.getByRole('button', { name: 'Read now' }).click();
    await expect
      .poll(() => page.getByTestId('problem').textContent(), { timeout: 20_000 })
      .toMatch(/stopped answering.*gone to sleep.*Press a button/);
    await page.getByRole('button', { name: 'Press a button on the meter' }).click();
    await page.getByRole('button', { name: 'Read now' }).click();
    await expect.poll(() => page.getByTestId('problem').count(), { timeout: 20_000 }).toBe(0);
  });

  it('given an info code, decodes it, shows it as the meter display would, flags the reading it spoils, and notifies', async () => {
    const context = await env.newContext();
    // Headless Chromium shows no system notifications: record what the app asks for instead.
    await context.addInitScript(() => {
      const w = window as unknown as { __notes: Array<{ title: string; body?: string }> };
      w.__notes = [];
      class RecordingNotification {
        static permission: NotificationPermission = 'default';
        static async requestPermission(): Promise<NotificationPermission> {
          RecordingNotification.permission = 'granted';
          return 'granted';
        }
        constructor(title: string, options?: NotificationOptions) {
          w.__notes.push({ title, ...(options?.body ? { body: options.body } : {}) });
        }
      }
      Object.defineProperty(window, 'Notification', {
        value: RecordingNotification,
        configurable: true,
        writable: true,
      });
    });
    const page = await openApp(context, env.url);
    await page.getByRole('button', { name: 'Demo meter' }).click();
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    await page.getByLabel('Notify me when the info code changes').check();
    await page.getByText('Demo meter controls').click();
    await page.getByLabel('Give the meter an info code').selectOption({ label: 't1 sensor disconnected' });
    await page.getByRole('button', { name: 'Read now' }).click();
    const info = page.locator('kmp-readings-view').getByTestId('info-code');
    await expect
      .poll(() => info.textContent(), { timeout: 20_000 })
      .toMatch(/Info code 8\b.*t1 above measuring range or disconnected/s);
    expect(await info.getByTestId('info-display').textContent()).toMatch(/INFO 01000000/);
    const t1 = page.locator('tr[data-register="86"]');
    expect(await t1.locator('td.num').textContent()).toBe('185.00');
    expect(await t1.textContent()).toMatch(/Sensor error\?/);
    // The change from the first reading's 0 is called out, and notified.
    expect(await page.getByTestId('info-change').textContent()).toMatch(
      /info code changed from 0 to 8: t1 above measuring range/,
    );
    const notes = await page.evaluate(
      () => (window as unknown as { __notes: Array<{ title: string; body?: string }> }).__notes,
    );
    expect(notes).toEqual([
      { title: expect.stringMatching(/^Meter \d+: info code 0 → 8$/), body: expect.stringMatching(/t1 above/) },
    ]);
    await page.getByRole('button', { name: 'Dismiss' }).click();
    expect(await page.getByTestId('info-change').count()).toBe(0);
  });
});

describe('usable by everyone', () => {
  it('works from the keyboard alone, fits a narrow window, and follows dark mode', async () => {
    const context = await env.newContext({ viewport: { width: 640, height: 800 }, colorScheme: 'dark' });
    const page = await openApp(context, env.url, { fake: { meter: {} } });
    // Tab to "Demo meter" and press Enter: no pointer needed.
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const name = await page.evaluate(() => {
        let el: Element | null = document.activeElement;
        while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
        return el?.textContent?.trim();
      });
      if (name === 'Demo meter') break;
    }
    await page.keyboard.press('Enter');
    await expect.poll(() => state(page).textContent(), { timeout: 15_000 }).toMatch(/Connected: Demo meter/);
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    const bg = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    expect(bg).toBe('rgb(28, 25, 23)');
    // Every input has a label a screen reader can announce.
    const unlabelled = await page.evaluate(() => {
      const all: Element[] = [];
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll('*')) {
          if (el.matches('input, select')) all.push(el);
          if (el.shadowRoot) walk(el.shadowRoot);
        }
      };
      walk(document);
      return all.filter((el) => !el.closest('label') && !el.getAttribute('aria-label')).length;
    });
    expect(unlabelled).toBe(0);
  });
});

describe('without a usable port', () => {
  it('explains a browser without Web Serial and still offers the demo meter', async () => {
    const page = await app({ serial: false });
    await expect.poll(() => page.getByTestId('support-problem').textContent()).toMatch(/no Web Serial.*Chrome or Edge/);
    expect(await page.getByRole('button', { name: 'Connect', exact: true }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Demo meter' }).click();
    await expect.poll(() => state(page).textContent(), { timeout: 15_000 }).toMatch(/Connected: Demo meter/);
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
  });

  it('a cancelled chooser, a denied permission and a busy port each get their own message', async () => {
    const messages: string[] = [];
    for (const fake of [{ cancelChooser: true }, { deny: true }, { busy: true }]) {
      const page = await app({ fake });
      await page.getByRole('button', { name: 'Connect', exact: true }).click();
      const text = page.getByTestId(fake.busy ? 'connection-state' : 'problem');
      await expect
        .poll(() => text.textContent())
        .toMatch(
          fake.cancelChooser ? /No port was chosen/ : fake.deny ? /did not allow/ : /another program or browser tab/,
        );
      messages.push((await text.textContent())!);
      await page.context().close();
    }
    expect(new Set(messages).size).toBe(3);
  });
});
