import { localized, msg, str } from '@lit/localize';
import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { Station, StationView } from '../../app/station.ts';
import { formatTime } from '../common/format.ts';
import { SubscriptionController } from '../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../services/context.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import { say } from '../i18n/problem-text.ts';

/** What the tab does in station mode, in the page's language (asked at each render). */
function roleText(role: Exclude<StationView['role'], 'off'>): string {
  switch (role) {
    case 'leader':
      return msg('Station: this tab reads the meter.');
    case 'waiting':
      return msg('Station: standing by.');
  }
}

/**
 * Station mode at a glance, on every page while it is on: whether this tab leads, the last and
 * the next reading, the requests sent to the meter today (its battery's cost), and what stops
 * the station, if anything, in words.
 */
@localized()
@customElement('kmp-station-banner')
export class KmpStationBanner extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  @state() private station: Station | undefined;
  @state() private view: StationView | undefined;
  protected readonly stationCtl = new SubscriptionController(
    this,
    () => this.station,
    (v: StationView) => (this.view = v),
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.services?.station.then((s) => (this.station = s));
  }

  override render() {
    const v = this.view;
    if (!v || v.role === 'off') return nothing;
    return html`<div class="card" role="status" data-testid="station-banner" data-role=${v.role}>
      <p><strong data-testid="station-role">${roleText(v.role)}</strong></p>
      <p class="row">
        <span data-testid="station-last"
          >${v.lastAt ? msg(str`Last reading: ${formatTime(v.lastAt)}`) : msg('Last reading: none yet')}</span
        >
        <span data-testid="station-next">${msg(str`Next: ${v.nextAt ? formatTime(v.nextAt) : '—'}`)}</span>
        <span data-testid="station-requests">${msg(str`${v.requestsToday} request(s) to the meter today`)}</span>
      </p>
      ${v.stopped ? html`<p class="warn" data-testid="station-stopped">${say(v.stopped)}</p>` : nothing}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-station-banner': KmpStationBanner;
  }
}
