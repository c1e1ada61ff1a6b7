import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import type { HaStatisticsControl } from '../../../app/ha-statistics-control.ts';
import type { StatisticPlan } from '../../../ha/statistic-plan.ts';
import { floatText } from '../../../ha/statistics-import.ts';
import '../../components/kmp-alert.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { problemText, say } from '../../i18n/problem-text.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';

const when = (ms: number, timeZone: string) =>
  new Date(ms).toLocaleString('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' });

/**
 * "Send to Home Assistant": the meter's downloaded history into Home Assistant's long-term
 * statistics, for its Energy dashboard. Address and token, what would be sent (statistics, rows,
 * period, first and last counter) before anything is, then Home Assistant's answer.
 */
@localized()
@customElement('kmp-ha-send')
export class KmpHaSend extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      label.field {
        display: flex;
        flex-direction: column;
        flex: 1 1 16rem;
        max-width: 26rem;
      }
      label.field input {
        width: 100%;
        box-sizing: border-box;
      }
      code {
        overflow-wrap: anywhere;
      }
      table {
        margin-block: 0.5rem;
      }
    `,
  ];

  @consume({ context: servicesContext, subscribe: true }) services!: Services;
  /** The meter whose stored entries are sent. */
  @property({ type: Number }) serial: number | undefined;
  @property() model: string | undefined;
  /** Changes whenever the stored entries may have: the plan is made again. */
  @property({ type: Number }) entriesVersion = 0;
  @state() private control: HaStatisticsControl | undefined;
  @state() private plan: StatisticPlan | undefined;
  /** What failed in loading, planning or saving, worded at render time. */
  @state() private formError: { problem: unknown } | undefined;
  @state() private saved = false;
  protected readonly controlCtl = new SubscriptionController(this, () => this.control);

  override connectedCallback(): void {
    super.connectedCallback();
    void this.services
      .homeAssistant()
      .then((c) => {
        this.control = c;
        return this.replan();
      })
      .catch((e: unknown) => (this.formError = { problem: e }));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('serial') || changed.has('entriesVersion')) void this.replan();
  }

  private async replan(): Promise<void> {
    if (!this.control || this.serial === undefined) return;
    try {
      this.plan = await this.control.preview(this.serial, this.model);
    } catch (e) {
      this.formError = { problem: e };
    }
  }

  override render() {
    const c = this.control;
    if (!c) return html`<p class="muted">${this.formError ? problemText(this.formError.problem) : msg('Loading…')}</p>`;
    const s = c.state;
    return html`<section class="card" aria-labelledby="ha-send-title" id="ha-send">
      <h2 id="ha-send-title">${msg('Send to Home Assistant')}</h2>
      <p class="muted">
        ${msg(
          'Puts the history downloaded above into Home Assistant’s long-term statistics, in the meter’s own unit, for its Energy dashboard. Sending again, or after a later download, changes nothing that is already there.',
        )}
      </p>
      <form @submit=${this.save}>
        <div class="row">
          <label class="field"
            >${msg('Home Assistant address')}
            <input
              type="url"
              name="address"
              inputmode="url"
              placeholder="http://homeassistant.local:8123"
              .value=${s.address}
              autocomplete="url"
          /></label>
          <label class="field"
            >${msg('Long-lived access token')}
            <input
              type="password"
              name="token"
              autocomplete="off"
              placeholder=${s.tokenSaved ? msg('saved (type to replace)') : msg('from your Home Assistant profile')}
          /></label>
        </div>
        <label class="row"
          ><input type="checkbox" name="live" .checked=${s.live} />
          ${msg('Also send the polled readings, once an hour')}</label
        >
        <div class="row">
          <button type="submit">${msg('Save')}</button>
          ${this.saved ? html`<span class="muted" role="status">${msg('Saved.')}</span>` : nothing}
        </div>
      </form>
      <p class="muted">
        ${msg(
          'The token is made in Home Assistant on your profile page, Security tab, “Long-lived access tokens”, by an administrator. It is kept sealed in this browser and never exported.',
        )}
      </p>
      ${this.formError ? html`<kmp-alert kind="error">${problemText(this.formError.problem)}</kmp-alert>` : nothing}
      ${s.warning ? html`<kmp-alert kind="warning" data-testid="ha-warning">${say(s.warning)}</kmp-alert>` : nothing}
      ${this.renderPlan()}
      <div class="row">
        <button
          class="primary"
          data-testid="ha-send"
          ?disabled=${s.sending || !this.plan?.statistics.length || !s.address || !s.tokenSaved}
          @click=${this.send}
        >
          ${s.sending ? msg('Sending…') : msg('Send to Home Assistant')}
        </button>
      </div>
      ${
        s.sending && s.progress
          ? html`<progress
              max=${Math.max(1, s.progress.total)}
              value=${s.progress.sent}
              aria-label=${msg('Sending')}
            ></progress>`
          : nothing
      }
      ${s.error ? html`<kmp-alert kind="error" data-testid="ha-error">${say(s.error)}</kmp-alert>` : nothing}
      ${this.renderResult()}
      ${
        s.liveStatus
          ? html`<p class="muted" data-testid="ha-live">${msg(str`Polled readings: ${say(s.liveStatus)}`)}</p>`
          : nothing
      }
    </section>`;
  }

  private renderPlan() {
    const p = this.plan;
    const zone = this.control!.state.timeZone;
    if (!p) return nothing;
    if (!p.statistics.length && !p.problems.length)
      return html`<p class="muted" data-testid="ha-plan">
        ${msg(
          'No hourly, daily, monthly or yearly entries with heat energy or volume are stored for this meter yet: download a log above first.',
        )}
      </p>`;
    return html`<div class="scroll-x" data-testid="ha-plan">
        <table>
          <caption>
            ${msg(str`What would be sent (the meter's times, read in ${zone})`)}
          </caption>
          <thead>
            <tr>
              <th scope="col">${msg('Statistic')}</th>
              <th scope="col">${msg('Rows')}</th>
              <th scope="col">${msg('First entry')}</th>
              <th scope="col">${msg('Last entry')}</th>
              <th scope="col">${msg('First counter')}</th>
              <th scope="col">${msg('Last counter')}</th>
            </tr>
          </thead>
          <tbody>
            ${p.statistics.map((st) => {
              const first = st.rows[0]!;
              const last = st.rows[st.rows.length - 1]!;
              return html`<tr data-statistic=${st.id}>
                <td>
                  <code>${st.id}</code><br /><span class="muted"
                    >${st.sources.map((x) => msg(str`${x.rows} ${say(x.name)}`)).join(', ')}</span
                  >
                </td>
                <td class="num">${st.rows.length}</td>
                <td>${first.time.replace('T', ' ')}</td>
                <td>${last.time.replace('T', ' ')}</td>
                <td class="num">${first.state} ${st.unit}</td>
                <td class="num">${last.state} ${st.unit}</td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${p.statistics
        .filter((st) => st.unitNote)
        .map((st) => html`<kmp-alert kind="info">${st.id}: ${say(st.unitNote)}.</kmp-alert>`)}
      ${p.problems.map((text) => html`<kmp-alert kind="warning" data-testid="ha-problem">${say(text)}</kmp-alert>`)}`;
  }

  private renderResult() {
    const r = this.control!.state.result;
    if (!r) return nothing;
    const zone = this.control!.state.timeZone;
    return html`<kmp-alert kind="success" data-testid="ha-result">
      ${msg(str`Home Assistant ${r.haVersion} accepted it.`)}
      ${r.statistics.map((st) => {
        const upTo = when(st.last.start + 3_600_000, zone);
        const sum = st.lastSumRead !== undefined ? floatText(st.lastSumRead) : st.last.sum;
        // The statistic's id is code, not words: the sentence after it is the message.
        return html`<br /><code>${st.id}</code>:
          ${
            st.heldBefore
              ? msg(
                  str`${st.rows} row(s) sent, ${st.heldBefore} held before; it now holds ${st.heldAfter} of them, up to ${upTo} (sum ${sum} ${st.unit}).`,
                )
              : msg(
                  str`${st.rows} row(s) sent, it now holds ${st.heldAfter} of them, up to ${upTo} (sum ${sum} ${st.unit}).`,
                )
          }`;
      })}
      ${
        r.statistics.some((st) => st.heldAfter < st.rows)
          ? html`<br />${msg('Home Assistant writes statistics in the background: the rest appears within a minute.')}`
          : nothing
      }
      <br />${msg(
        'In Home Assistant: Settings → Dashboards → Energy, add the statistic (for district heating, under “Gas consumption”), then wait for the next hour.',
      )}
    </kmp-alert>`;
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const text = (name: string) => {
      const v = data.get(name);
      return typeof v === 'string' ? v : '';
    };
    const token = text('token');
    this.formError = undefined;
    this.saved = false;
    try {
      await this.control!.save({
        address: text('address'),
        ...(token ? { token } : {}),
        live: data.get('live') === 'on',
      });
      (form.elements.namedItem('token') as HTMLInputElement).value = '';
      this.saved = true;
      await this.replan();
    } catch (err) {
      this.formError = { problem: err };
    }
  }

  private async send(): Promise<void> {
    if (this.serial === undefined) return;
    await this.control!.send(this.serial, this.model);
    await this.replan();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-ha-send': KmpHaSend;
  }
}
