import { html, svg, type TemplateResult } from 'lit';
import type { PeriodUse } from './consumption.ts';

const W = 640;
const H = 200;
const PAD = { left: 48, right: 8, top: 20, bottom: 28 };

/** "2026-04" for a month's start, "2026" for a year's, the date for a day's. */
function periodLabel(time: string): string {
  if (time.endsWith('-01-01T00:00:00')) return time.slice(0, 4);
  if (time.endsWith('-01T00:00:00')) return time.slice(0, 7);
  return time.slice(0, 10);
}

function scale(use: readonly PeriodUse[]): { y: (v: number) => number; max: number; zero: number } {
  const max = Math.max(0, ...use.map((u) => u.value));
  const min = Math.min(0, ...use.map((u) => u.value));
  const span = max - min || 1;
  const y = (v: number) => PAD.top + ((max - v) / span) * (H - PAD.top - PAD.bottom);
  return { y, max, zero: y(0) };
}

/**
 * Use per period as bars (monthly and yearly logs), drawn as plain SVG: one bar per period, its
 * exact value in the bar's title (a tooltip, and what a screen reader reads), the largest on the
 * axis. The figure's label says what it shows.
 */
export function renderBars(title: string, use: readonly PeriodUse[]): TemplateResult {
  const { y, max, zero } = scale(use);
  const slot = (W - PAD.left - PAD.right) / use.length;
  const every = Math.ceil(use.length / 12);
  return html`<figure>
    <figcaption>${title}</figcaption>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${title} data-testid="use-bars">
      ${svg`<text x="0" y=${PAD.top}>${max}</text><text x="0" y=${zero}>0</text>`}
      ${use.map((u, i) => {
        const top = Math.min(y(u.value), zero);
        const x = PAD.left + i * slot + slot * 0.15;
        return svg`<rect x=${x} y=${top} width=${slot * 0.7} height=${Math.max(1, Math.abs(zero - y(u.value)))}
          data-period=${periodLabel(u.from)} data-value=${u.decimal}><title>${periodLabel(u.from)}: ${u.decimal} ${u.unit}</title></rect>
          ${i % every === 0 ? svg`<text x=${x} y=${H - 8}>${periodLabel(u.from)}</text>` : ''}`;
      })}
    </svg>
  </figure>`;
}

/** Use per entry as a line (daily and hourly logs), with the same scale rules as the bars. */
export function renderLine(title: string, use: readonly PeriodUse[]): TemplateResult {
  const { y, max, zero } = scale(use);
  const step = (W - PAD.left - PAD.right) / Math.max(1, use.length - 1);
  const points = use.map((u, i) => `${PAD.left + i * step},${y(u.value)}`).join(' ');
  return html`<figure>
    <figcaption>${title}</figcaption>
    <svg viewBox="0 0 ${W} ${H}" role="img" aria-label=${title} data-testid="use-line">
      ${svg`<text x="0" y=${PAD.top}>${max}</text><text x="0" y=${zero}>0</text>
        <polyline points=${points}></polyline>
        <text x=${PAD.left} y=${H - 8}>${periodLabel(use[0]!.from)}</text>
        <text x=${W - PAD.right - 70} y=${H - 8}>${periodLabel(use[use.length - 1]!.from)}</text>`}
    </svg>
  </figure>`;
}
