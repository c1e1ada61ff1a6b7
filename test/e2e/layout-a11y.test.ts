/**
 * Every page on a 390 px phone and a 1280 px desktop, light and dark, before and after a demo
 * reading: nothing wider than the screen, and axe-core (run inside the page, through the open
 * shadow roots) finds no violation.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openApp, useAppServer } from './harness.ts';
import { axeViolations, overflow } from './page-checks.ts';

const env = useAppServer();

// The tab titles of src/ui/pages/index.ts (not imported: its modules define custom elements).
const PAGES = ['Meter', 'Alignment', 'Scan', 'Frame log', 'History', 'Meter history', 'Publish', 'Settings'];

const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

async function visitEveryPage(page: Page, label: string, screenWidth: number): Promise<string[]> {
  const problems: string[] = [];
  for (const title of PAGES) {
    await page.getByRole('tab', { name: title, exact: true }).click();
    await page.waitForFunction(() => !document.querySelector('kmp-app')?.shadowRoot?.textContent?.includes('Loading…'));
    await page.waitForTimeout(200);
    const wider = await overflow(page, screenWidth);
    if (wider > 0) problems.push(`${label} ${title}: ${wider} px wider than the screen`);
    for (const v of await axeViolations(page)) problems.push(`${label} ${title}: ${v}`);
  }
  return problems;
}

describe('layout and accessibility', () => {
  for (const viewport of VIEWPORTS) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`every page at ${viewport.width} px in ${colorScheme} mode, before and after a reading`, async () => {
        const context = await env.newContext({
          viewport: { width: viewport.width, height: viewport.height },
          colorScheme,
          isMobile: viewport.name === 'phone',
          hasTouch: viewport.name === 'phone',
        });
        const page = await openApp(context, env.url);
        const problems = await visitEveryPage(page, `${viewport.name} ${colorScheme} empty`, viewport.width);
        await page.getByRole('tab', { name: 'Meter', exact: true }).click();
        await page.getByRole('button', { name: 'Demo meter' }).click();
        await page.getByTestId('readings').waitFor({ timeout: 20_000 });
        problems.push(...(await visitEveryPage(page, `${viewport.name} ${colorScheme} with data`, viewport.width)));
        expect(problems).toEqual([]);
      });
    }
  }
});

/** The accessible name of the element that has the keyboard focus, looking through shadow roots. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el?.getAttribute('aria-label') ?? el?.textContent?.trim() ?? '';
  });
}

describe('keyboard only', () => {
  it('moves between pages with the arrow keys, Home and End, and opens each', async () => {
    const page = await openApp(await env.newContext(), env.url);
    await page.getByRole('tab', { name: 'Meter', exact: true }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('Alignment');
    expect(await page.getByRole('tab', { name: 'Alignment' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('End');
    expect(await focused(page)).toBe('Settings');
    await page.keyboard.press('ArrowRight');
    expect(await focused(page)).toBe('Meter');
    await page.keyboard.press('ArrowLeft');
    expect(await focused(page)).toBe('Settings');
    await page.keyboard.press('Home');
    expect(await focused(page)).toBe('Meter');
    // One tab stop for the whole tab list: Tab leaves it for the page.
    await page.keyboard.press('Tab');
    expect(await focused(page)).not.toMatch(/^(Alignment|Scan|Frame log|History|Meter history|Publish|Settings)$/);
    expect(page.url()).not.toContain('#');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('ArrowLeft');
    expect(page.url()).toMatch(/#settings$/);
    // The address names the page: a reload (or a bookmark) opens it again.
    await page.reload();
    await expect.poll(() => page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected')).toBe('true');
  });

  it('reaches the Demo meter button and the frame log’s scroll box with Tab alone', async () => {
    const page = await openApp(await env.newContext(), env.url);
    const tabTo = async (name: string) => {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        if ((await focused(page)) === name) return true;
      }
      return false;
    };
    expect(await tabTo('Demo meter')).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('readings').waitFor({ timeout: 20_000 });
    await page.getByRole('tab', { name: 'Frame log' }).focus();
    await page.keyboard.press('Enter');
    expect(await tabTo('Frames sent and received')).toBe(true);
    // A focused scroll box scrolls with the keyboard.
    const before = await page.evaluate(
      () =>
        document
          .querySelector('kmp-app')!
          .shadowRoot!.querySelector('kmp-frame-log')!
          .shadowRoot!.querySelector('.log')!.scrollTop,
    );
    await page.keyboard.press('PageDown');
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            document
              .querySelector('kmp-app')!
              .shadowRoot!.querySelector('kmp-frame-log')!
              .shadowRoot!.querySelector('.log')!.scrollTop,
        ),
      )
      .toBeGreaterThan(before);
  });
});
