import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { SCAN_CANDIDATES } from '../../../kmp/index.ts';
import { scanStopWords } from '../../../link/session/scan-runner.ts';
import type { ScanRecord } from '../../../store/index.ts';
import { downloadText } from '../../common/download.ts';
import { formatTime, formatUnit, formatValue, registerLabel } from '../../common/format.ts';
import { meterRecordOf } from '../../../app/meter-record.ts';
import { buildRegisterProfile } from './register-profile.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import { problemText, say } from '../../i18n/problem-text.ts';
import '../../components/kmp-alert.ts';

/**
 * Register scan: which registers does this meter have? Reads a curated candidate list in
 * batches of 8 within a budget, and stops after repeated empty batches. The last scan of the
 * connected meter is shown again from the store (no need to spend battery on it twice) and
 * can be downloaded as a register profile to share. The app layer scans and keeps the result
 * per meter; this page only shows it.
 */
@localized()
@customElement('kmp-scan-view')
export class KmpScanView extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  @state() private budget = 64;
  @state() private result: ScanRecord | undefined;
  /** The serial the result belongs to; a result read from the store says so. */
  @state() private resultOf: { serial: number; saved: boolean } | undefined;
  @state() private error: string | undefined;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);

  override willUpdate(): void {
    const serial = this.services.session.identity?.serial;
    if (serial !== undefined && this.resultOf?.serial !== serial) void this.showSaved(serial);
  }

  /** The connected meter's last scan, from the store, until a new scan replaces it. */
  private async showSaved(serial: number): Promise<void> {
    this.resultOf = { serial, saved: true };
    this.result = undefined;
    const saved = (await (await this.services.store)?.getMeter(serial).catch(() => undefined))?.lastScan;
    if (this.resultOf.serial === serial && this.resultOf.saved && saved) this.result = saved;
  }

  override render() {
    const { session } = this.services;
    const a = session.activity;
    const scanning = a.kind === 'scanning';
    // The field sits inside the label's one phrase, where each language puts it.
    const budgetInput = html`<input
      type="number"
      min="8"
      max=${SCAN_CANDIDATES.length}
      step="8"
      .value=${String(this.budget)}
      @change=${this.setBudget}
    />`;
    return html`<section class="card" aria-labelledby="scan-title">
      <h2 id="scan-title">${msg('Register scan')}</h2>
      <p class="muted">
        ${msg(
          str`Asks the meter for ${SCAN_CANDIDATES.length} known register ids, 8 per request, to find the ones it has. Each request costs a little battery, so the scan has a budget.`,
        )}
      </p>
      <div class="row">
        ${
          scanning
            ? html`<button @click=${() => session.stopScan()}>${msg('Stop scan')}</button>`
            : html`<button class="primary" ?disabled=${!session.canStart('scanning')} @click=${this.scan}>
                ${msg('Scan registers')}
              </button>`
        }
        <label>${msg(html`Budget ${budgetInput} registers`)}</label>
      </div>
      ${
        scanning
          ? html`<progress max=${a.total} value=${a.done} aria-label=${msg('Scan progress')}></progress>
              <span>${msg(str`${a.done} / ${a.total}, ${a.found} found`)}</span>`
          : nothing
      }
      ${this.error ? html`<kmp-alert kind="error">${this.error}</kmp-alert>` : nothing}
      ${this.result ? this.renderResult(this.result) : nothing}
    </section>`;
  }

  private renderResult(r: ScanRecord) {
    return html`<p data-testid="scan-summary">${this.summary(r)}</p>
      <div class="row">
        <button @click=${() => this.downloadProfile(r)}>${msg('Download register profile')}</button>
      </div>
      <div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Registers the meter has')}>
        <table data-testid="scan-results">
          <thead>
            <tr>
              <th scope="col">${msg('Register')}</th>
              <th scope="col">${msg('Name')}</th>
              <th scope="col">${msg('Value')}</th>
              <th scope="col">${msg('Unit')}</th>
            </tr>
          </thead>
          <tbody>
            ${r.supported.map(
              (v) =>
                html`<tr>
                  <td>${v.id}</td>
                  <td>${registerLabel(v.id)}</td>
                  <td class="num">${formatValue(v)}</td>
                  <td>${formatUnit(v)}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>`;
  }

  /**
   * When, how many answered, how many not, and why it stopped early: each case one whole
   * sentence, as word order differs between languages. Why it stopped is the scan's own words.
   */
  private summary(r: ScanRecord): string {
    const when = formatTime(r.at);
    const answered = r.supported.length;
    const absent = r.unsupported.length;
    if (this.resultOf?.saved) {
      if (r.stoppedEarly) {
        const why = say(scanStopWords(r.stoppedEarly));
        return msg(
          str`Last scan of this meter, ${when}: ${answered} register(s) answered, ${absent} not on this meter. Stopped early: ${why}.`,
        );
      }
      return msg(str`Last scan of this meter, ${when}: ${answered} register(s) answered, ${absent} not on this meter.`);
    }
    if (r.stoppedEarly) {
      const why = say(scanStopWords(r.stoppedEarly));
      return msg(
        str`Scanned ${when}: ${answered} register(s) answered, ${absent} not on this meter. Stopped early: ${why}.`,
      );
    }
    return msg(str`Scanned ${when}: ${answered} register(s) answered, ${absent} not on this meter.`);
  }

  private setBudget(e: Event): void {
    const v = Number((e.target as HTMLInputElement).value);
    this.budget = Number.isFinite(v) ? Math.min(SCAN_CANDIDATES.length, Math.max(8, Math.round(v))) : 64;
  }

  private async scan(): Promise<void> {
    this.error = undefined;
    try {
      const { serial, record } = await this.services.scan(SCAN_CANDIDATES, this.budget);
      if (serial !== undefined) this.resultOf = { serial, saved: false };
      this.result = record;
    } catch (e) {
      this.error = problemText(e);
    }
  }

  private downloadProfile(r: ScanRecord): void {
    const id = this.services.session.identity;
    const serial = this.resultOf?.serial ?? id?.serial ?? 0;
    const meter = id?.serial === serial ? meterRecordOf(id) : { serial };
    const profile = buildRegisterProfile(meter, r, this.services.version);
    downloadText(
      `kmp-registers-${serial}${meter.model ? `-${meter.model.replace(/\W+/g, '-')}` : ''}.json`,
      JSON.stringify(profile, null, 2),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-scan-view': KmpScanView;
  }
}
