import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { AlignCounts } from '../../../link/index.ts';
import { ClockController } from '../../controllers/clock-controller.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';

/** The light's words for the last answer, asked at each render so they follow the page's language. */
const VERDICT: Record<string, { text: () => string; cls: string }> = {
  ok: { text: () => msg('Good: the meter answers'), cls: 'good' },
  'no-answer': { text: () => msg('Nothing comes back'), cls: 'bad' },
  'echo-only': { text: () => msg('Only our own light comes back'), cls: 'bad' },
  'bad-crc': { text: () => msg('Answers arrive damaged'), cls: 'bad' },
  'cut-off': { text: () => msg('Answers arrive damaged'), cls: 'bad' },
  overrun: { text: () => msg('Answers never end'), cls: 'bad' },
};

/**
 * Alignment mode: a tiny request about once a second, a big good/bad light, counters per
 * failure class and the checklist. Capped in time: every request costs meter battery.
 */
@localized()
@customElement('kmp-align-view')
export class KmpAlignView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .light {
        font-size: 1.6rem;
        font-weight: 700;
        padding: 1.2rem;
        border-radius: 10px;
        text-align: center;
        margin: 0.8rem 0;
        border: 3px solid var(--kmp-border);
      }
      .light.good {
        background: var(--kmp-good-bg);
        border-color: var(--kmp-good);
      }
      .light.bad {
        background: var(--kmp-bad-bg);
        border-color: var(--kmp-bad);
      }
      dl {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(8rem, 1fr));
        gap: 0.5rem;
      }
      dt {
        font-size: 0.85rem;
      }
      dd {
        margin: 0;
        font-size: 1.4rem;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];
  @consume({ context: servicesContext }) services!: Services;
  @state() private durationS = 60;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);
  // Keeps countdowns current.
  private readonly clock = new ClockController(this, 500);

  override render() {
    const { session } = this.services;
    const a = session.activity;
    const aligning = a.kind === 'aligning';
    const counts: AlignCounts | undefined = aligning ? a.counts : this.lastCounts;
    if (aligning) this.lastCounts = a.counts;
    const known = aligning && a.last ? VERDICT[a.last] : undefined;
    // A failure class the table does not know yet is named as the link names it.
    const verdict = aligning && a.last ? { text: known?.text() ?? a.last, cls: known?.cls ?? 'bad' } : undefined;
    return html`<section class="card" aria-labelledby="align-title">
      <h2 id="align-title">${msg('Align the head')}</h2>
      <div class="row">
        ${
          aligning
            ? html`<button @click=${() => session.stopAlign()}>${msg('Stop aligning')}</button>`
            : html`<button
                class="primary"
                ?disabled=${!session.canStart('aligning')}
                @click=${() => session.startAlign(this.durationS * 1000)}
              >
                ${msg('Align')}
              </button>`
        }
        <label>${msg(html`For ${this.renderDuration()} seconds`)}</label>
        ${
          aligning
            ? html`<span class="muted" data-testid="align-left"
                >${msg(str`${secondsLeft(a.endsAt, this.clock.now)} s left`)}</span
              >`
            : nothing
        }
      </div>
      <div class="light ${verdict?.cls ?? ''}" role="status" aria-live="polite" data-testid="align-light">
        ${verdict?.text ?? (aligning ? msg('Trying…') : msg('Press Align, then slide the head slowly until this turns green.'))}
      </div>
      ${
        counts
          ? html`<dl data-testid="align-counts">
              <div>
                <dt>${msg('Good answers')}</dt>
                <dd data-count="ok">${counts.ok}</dd>
              </div>
              <div>
                <dt>${msg('Nothing')}</dt>
                <dd data-count="no-answer">${counts['no-answer']}</dd>
              </div>
              <div>
                <dt>${msg('Echo only')}</dt>
                <dd data-count="echo-only">${counts['echo-only']}</dd>
              </div>
              <div>
                <dt>${msg('Damaged (CRC)')}</dt>
                <dd data-count="bad-crc">${counts['bad-crc']}</dd>
              </div>
            </dl>`
          : nothing
      }
      <h3>${msg('Checklist')}</h3>
      <ul>
        <li>
          ${msg('The head’s magnet must sit on the meter: it switches the meter’s optical port on. If nothing happens, turn the magnet (or the head) 180°.')}
        </li>
        <li>
          ${msg('Most heads read best upside down (cable pointing up), and a little above or below where the guides put them (a few millimetres lower on a 603).')}
        </li>
        <li>
          ${msg('Press any button on the meter to wake its optical port; it sleeps after a while without traffic (about 30 minutes, some 403s after 4).')}
        </li>
        <li>
          ${msg('If the display shows segment ③ lit constantly, the optical port is switched off in the meter’s configuration.')}
        </li>
        <li>${msg('“Echo only” means the head sees its own light: it is not flat on the window.')}</li>
        <li>${msg('Shade the head from direct sunlight; damaged answers often come from stray light.')}</li>
      </ul>
    </section>`;
  }

  private lastCounts: AlignCounts | undefined;

  /** The number field inside "For … seconds": one sentence around it, which a language may turn around. */
  private renderDuration() {
    return html`<input
      type="number"
      min="10"
      max="180"
      .value=${String(this.durationS)}
      @change=${this.setDuration}
      aria-label=${msg('Seconds to align')}
    />`;
  }

  private setDuration(e: Event): void {
    const v = Number((e.target as HTMLInputElement).value);
    this.durationS = Number.isFinite(v) ? Math.min(180, Math.max(10, Math.round(v))) : 60;
  }
}

/** Whole seconds until `endsAt`, never below zero. */
function secondsLeft(endsAt: number, now: number): number {
  return Math.max(0, Math.ceil((endsAt - now) / 1000));
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-align-view': KmpAlignView;
  }
}
