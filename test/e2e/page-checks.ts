/**
 * What every page test checks in the page itself: axe-core run inside it (over DevTools, so the
 * app's own CSP stays as shipped, looking through the open shadow roots) and how much wider than
 * the screen it is — against the screen's width, not innerWidth: a phone browser widens its layout
 * viewport to fit wide content, which would hide the overflow.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: unknown[] }[];
}

export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: unknown[] }> } })
      .axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations as AxeViolation[];
  });
  return violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

export async function overflow(page: Page, screenWidth: number): Promise<number> {
  return page.evaluate(
    (w) => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - w,
    screenWidth,
  );
}
