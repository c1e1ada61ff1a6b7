import { consume } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { LOGGER_TYPE, REG_DATE_TIME_DST, registerById } from '../../../kmp/index.ts';
import {
  estimateLoggerDownload,
  infoModelOf,
  LinkError,
  SessionBusyError,
  type LoggerProgress,
} from '../../../link/index.ts';
// From the modules, not the store's index: that carries the settings import and its YAML parser.
import { loggerCsvColumns, loggerEntriesToCsv } from '../../../store/export-csv.ts';
import type { KmpStore } from '../../../store/kmp-store.ts';
import { replyRowsKey, type StoredLoggerEntry } from '../../../store/schema.ts';
import { downloadText } from '../../common/download.ts';
import { formatDuration, formatUnit, formatValue, registerLabel } from '../../common/format.ts';
import '../../components/kmp-alert.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import { periodUse } from './consumption.ts';
import { coolingCsv, coolingReport } from './cooling.ts';
import { infoTimeline } from './info-timeline.ts';
import './kmp-ha-send.ts';
import './kmp-logger-list.ts';
import { LOGGER_CHOICES, loggerChoice } from './logger-choices.ts';
import { renderBars, renderLine } from './logger-charts.ts';
import { errorText } from '../../../kmp/error-text.ts';

/** Entries shown in the table; the chart and the CSV have them all. */
const TABLE_ROWS = 60;

/**
 * The meter's own history (CID 0xB8): choose a logger, see what a download costs, download it
 * with progress and Cancel, and see it as bars (monthly, yearly use), a line (daily, hourly) or
 * a timeline (info codes), with the table and a CSV. Entries already stored are never asked for
 * again, so a second download, or one after a cancel or a lost connection, fetches only the rest.
 */
@customElement('kmp-meter-history-view')
export class KmpMeterHistoryView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      .chart svg {
        width: 100%;
        height: auto;
        max-height: 16rem;
      }
      .chart rect {
        fill: var(--kmp-accent);
      }
      .chart polyline {
        fill: none;
        stroke: var(--kmp-accent);
        stroke-width: 2;
      }
      .chart text {
        fill: currentColor;
        font-size: 11px;
      }
      progress {
        width: 100%;
      }
    `,
  ];

  @consume({ context: servicesContext, subscribe: true }) services!: Services;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);
  @state() private logger = loggerChoice(3).logger;
  @state() private entries: StoredLoggerEntry[] = [];
  @state() private held = 0;
  /** Rows one reply of this meter held for the chosen log, as learned by an earlier download. */
  @state() private learnedRows: number | undefined;
  /** The meter whose entries are shown (the connected one, else the last one stored). */
  private shownSerial: number | undefined;
  @state() private progress: (LoggerProgress & { startedAt: number }) | undefined;
  @state() private error: { text: string; kind: 'error' | 'warning' } | undefined;
  @state() private message: string | undefined;
  /** The last download ended on the logger module's own "nothing new": offer to read anyway. */
  @state() private nothingNew = false;
  /** Counts loads of the stored entries, so "Send to Home Assistant" plans again after a download. */
  @state() private entriesVersion = 0;
  @state() private shownModel: string | undefined;
  /** The return temperature the utility asks to stay below, °C (the cooling report marks months above it). */
  @state() private returnLimit: number | undefined;
  private abort: AbortController | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  /** The meter whose history is shown: the connected one, else the last one stored. */
  private async serial(db: KmpStore): Promise<number | undefined> {
    return this.services.session.identity?.serial ?? (await db.listMeters())[0]?.serial;
  }

  private async load(): Promise<void> {
    try {
      const db = await this.services.store;
      if (!db) return;
      const serial = await this.serial(db);
      if (serial === undefined) return;
      this.shownSerial = serial;
      const meter = await db.getMeter(serial);
      this.shownModel = this.services.session.identity?.model ?? meter?.model;
      this.learnedRows = meter?.replyRows?.[replyRowsKey(this.logger, loggerChoice(this.logger).registers)];
      this.entries = await db.loggerEntries(serial, this.logger, { newestFirst: true });
      this.held = this.entries.length;
      this.entriesVersion++;
    } catch (e) {
      this.error = { text: errorText(e), kind: 'error' };
    }
  }

  override render() {
    const choice = loggerChoice(this.logger);
    const session = this.services.session;
    const connected = session.state.kind === 'connected';
    const running = this.progress !== undefined;
    return html`<section class="card" aria-labelledby="meter-history-title">
        <h2 id="meter-history-title">Meter history</h2>
        <p class="muted">
          The meter keeps its own yearly, monthly, daily, hourly and info-code logs. Downloading one reads it over the
          optical eye; entries already here are not asked for again.
        </p>
        <div class="row">
          <label
            >Log
            <select
              ?disabled=${running}
              @change=${(e: Event) => this.choose(Number((e.target as HTMLSelectElement).value))}
            >
              ${LOGGER_CHOICES.map(
                (c) => html`<option value=${c.logger} ?selected=${c.logger === this.logger}>${c.name}</option>`,
              )}
            </select>
          </label>
          <button class="primary" ?disabled=${running || !session.canStart('logger')} @click=${() => this.download()}>
            Download ${choice.name} log
          </button>
          ${running ? html`<button @click=${() => this.abort?.abort()}>Cancel</button>` : nothing}
        </div>
        ${connected ? this.renderPlan() : html`<p class="muted">Connect to the meter to download its logs.</p>`}
        <kmp-logger-list .serial=${this.shownSerial} .version=${this.entriesVersion}></kmp-logger-list>
        ${this.renderProgress()}
        ${this.error ? html`<kmp-alert kind=${this.error.kind} data-testid="logger-problem">${this.error.text}</kmp-alert>` : nothing}
        ${
          this.message
            ? html`<kmp-alert kind="success" data-testid="logger-message">${this.message}</kmp-alert> ${
                  this.nothingNew
                    ? html`<p>
                        <button ?disabled=${running || !session.canStart('logger')} @click=${() => this.download(true)}>
                          Download anyway
                        </button>
                      </p>`
                    : nothing
                }
                ${
                  this.logger !== LOGGER_TYPE.info
                    ? html`<p><button @click=${this.toHomeAssistant}>Send to Home Assistant…</button></p>`
                    : nothing
                }`
            : nothing
        }
        ${this.renderEntries()}
      </section>
      ${
        this.shownSerial !== undefined
          ? html`<kmp-ha-send
              .serial=${this.shownSerial}
              .model=${this.shownModel}
              .entriesVersion=${this.entriesVersion}
            ></kmp-ha-send>`
          : nothing
      }`;
  }

  /** What a download will cost before it starts: entries, requests, time at the line's speed. */
  private renderPlan() {
    const choice = loggerChoice(this.logger);
    const toRead = Math.max(0, choice.typicalDepth - this.held);
    const baudRate = this.services.settings.values.serial.baudRate;
    const estimate = estimateLoggerDownload({
      entries: toRead,
      registers: [REG_DATE_TIME_DST, ...choice.registers],
      baudRate,
      ...(this.learnedRows !== undefined ? { rowsPerReply: this.learnedRows } : {}),
    });
    return html`<p data-testid="logger-plan">
      A ${choice.name} log usually holds about ${choice.typicalDepth}
      entries${this.held ? `; ${this.held} are already here` : ''}. Reading
      ${toRead ? `up to ${toRead}` : 'what is new'} takes about ${estimate.requests} request(s),
      ${formatDuration(estimate.seconds * 1000)} at ${baudRate} baud. Every request costs the meter a little battery.
    </p>`;
  }

  private renderProgress() {
    const p = this.progress;
    if (!p) return nothing;
    const elapsed = Date.now() - p.startedAt;
    const left = p.done > 0 && p.total > p.done ? (elapsed / p.done) * (p.total - p.done) : undefined;
    return html`<progress max=${Math.max(1, p.total)} value=${p.done} aria-label="Download progress"></progress>
      <kmp-alert kind="info" data-testid="logger-progress">
        ${p.done} of ${p.total || '?'} entries, ${p.requests}
        request(s)${left !== undefined ? `, about ${formatDuration(left)} left` : ''}.
      </kmp-alert>`;
  }

  private renderEntries() {
    if (!this.entries.length) return html`<p class="muted">No entries of this log stored yet.</p>`;
    const choice = loggerChoice(this.logger);
    return html`<div class="chart" data-testid="logger-chart">${this.renderChart(choice.show)}</div>
      <div class="row">
        <button @click=${this.exportCsv}>Download CSV</button>
        <span class="muted">${this.entries.length} entries stored.</span>
      </div>
      <div class="scroll-x" tabindex="0" role="region" aria-label="Log entries">${this.renderTable()}</div>
      ${this.logger === LOGGER_TYPE.day ? this.renderCooling() : nothing}`;
  }

  private renderChart(show: 'bars' | 'line' | 'timeline') {
    if (show === 'timeline') {
      const periods = infoTimeline(this.entries, infoModelOf(this.services.session.identity?.model));
      if (!periods.length) return html`<p class="muted">No info code was set in the stored entries.</p>`;
      return html`<ol data-testid="info-timeline">
        ${periods.map(
          (p) =>
            html`<li>
              <strong>${p.from.replace('T', ' ')}</strong> until
              ${p.until ? html`<strong>${p.until.replace('T', ' ')}</strong>` : 'now'}: info ${p.code},
              ${p.meanings.join('; ')}
            </li>`,
        )}
      </ol>`;
    }
    return [60, 68].map((id) => {
      const use = periodUse(this.entries, id);
      if (!use.length) return nothing;
      const title = `${registerLabel(id)} used per ${show === 'bars' ? 'period' : 'entry'} [${use[0]!.unit}]`;
      return show === 'bars' ? renderBars(title, use) : renderLine(title, use);
    });
  }

  /** Cooling per month from the daily log: the volume-weighted return temperature and ΔT, against a limit. */
  private renderCooling() {
    const months = coolingReport(this.entries, 'month', this.returnLimit);
    if (!months.length) return nothing;
    // The months, then each year whole: what a utility's yearly bill is charged on.
    const rows = [...months, ...coolingReport(this.entries, 'year', this.returnLimit)];
    const bars = months.map((r) => ({
      from: `${r.period}-01T00:00:00`,
      to: `${r.period}-01T00:00:00`,
      value: r.returnTemp,
      decimal: r.returnTemp.toFixed(2),
      unit: '°C',
    }));
    return html`<section data-testid="cooling" aria-labelledby="cooling-title">
      <h3 id="cooling-title">Cooling</h3>
      <p class="muted">
        The return temperature and ΔT of each month and year, weighted by the volume that flowed (from the day averages
        the meter logs). Utilities charge for a return temperature above their limit.
      </p>
      <label
        >Return temperature limit (°C)
        <input
          type="number"
          inputmode="decimal"
          step="0.5"
          .value=${this.returnLimit === undefined ? '' : String(this.returnLimit)}
          @change=${(e: Event) => {
            const t = (e.target as HTMLInputElement).value;
            this.returnLimit = t === '' || !Number.isFinite(Number(t)) ? undefined : Number(t);
          }}
      /></label>
      <div class="chart">${renderBars('Volume-weighted return temperature per month [°C]', bars)}</div>
      <div class="scroll-x" tabindex="0" role="region" aria-label="Cooling per month and year">
        <table>
          <thead>
            <tr>
              <th scope="col">Month or year</th>
              <th scope="col">Days</th>
              <th scope="col">Volume</th>
              <th scope="col">Return T2</th>
              <th scope="col">ΔT</th>
            </tr>
          </thead>
          <tbody>
            ${rows.map(
              (r) =>
                html`<tr data-period=${r.period}>
                  <td>${r.period}</td>
                  <td class="num">${r.days}</td>
                  <td class="num">${r.volume} ${r.volumeUnit}</td>
                  <td class="num">
                    ${r.returnTemp.toFixed(2)} °C${r.aboveLimit ? html` <strong>above the limit</strong>` : ''}
                  </td>
                  <td class="num">${r.deltaT.toFixed(2)} K</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
      <button
        @click=${() =>
          downloadText(
            `kmp-${this.shownSerial ?? 'meter'}-cooling.csv`,
            coolingCsv(rows, this.returnLimit),
            'text/csv',
          )}
      >
        Download cooling CSV
      </button>
    </section>`;
  }

  private renderTable() {
    const ids = [...new Set(this.entries.flatMap((e) => e.values.map((v) => v.id)))].filter(
      (id) => id !== REG_DATE_TIME_DST,
    );
    return html`<table data-testid="logger-table">
      <thead>
        <tr>
          <th scope="col">Entry</th>
          <th scope="col">Time (meter)</th>
          ${ids.map((id) => html`<th scope="col">${registerLabel(id)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${this.entries.slice(0, TABLE_ROWS).map(
          (e) =>
            html`<tr data-entry=${e.id}>
              <td>${e.id}</td>
              <td>${e.time.replace('T', ' ')}</td>
              ${ids.map((id) => {
                const v = e.values.find((x) => x.id === id);
                return html`<td class="num">${v ? `${formatValue(v)} ${formatUnit(v)}` : ''}</td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  private choose(logger: number): void {
    this.logger = logger;
    this.error = undefined;
    this.message = undefined;
    this.nothingNew = false;
    void this.load();
  }

  /** `anyway`: read the log even where the logger module's flag says nothing was written. */
  private async download(anyway = false): Promise<void> {
    const db = await this.services.store;
    const session = this.services.session;
    const serial = session.identity?.serial;
    if (!db || serial === undefined) return;
    const choice = loggerChoice(this.logger);
    this.error = undefined;
    this.message = undefined;
    this.nothingNew = false;
    this.abort = new AbortController();
    this.progress = { done: 0, total: 0, requests: 0, startedAt: Date.now() };
    try {
      // The app layer stores each page as it arrives: a cancel or a lost connection keeps what was read.
      const result = await this.services.downloadLogger(choice.logger, choice.registers, {
        signal: this.abort.signal,
        ...(anyway ? { askEventStatus: false } : {}),
        onProgress: (p) => (this.progress = { ...p, startedAt: this.progress?.startedAt ?? Date.now() }),
      });
      if (result.historyChanged) {
        this.error = { text: result.historyChanged, kind: 'warning' };
        return;
      }
      const fresh = result.entries.length;
      if (result.nothingNew) {
        this.nothingNew = true;
        this.message = `Nothing new: the meter's logger says it has written no ${choice.name} entry since its log was last read out (${result.requests} request, nothing downloaded).`;
        return;
      }
      const left = result.implausible?.length
        ? ` ${result.implausible.length} entr${result.implausible.length === 1 ? 'y was' : 'ies were'} not stored: a value in ${result.implausible.length === 1 ? 'it' : 'them'} is one no meter can hold (entry ${result.implausible[0]!.id}: ${result.implausible[0]!.why}).`
        : '';
      this.message = result.complete
        ? `${fresh} new entr${fresh === 1 ? 'y' : 'ies'}, ${result.requests} request(s).${left}`
        : `Stopped ${result.stoppedBy === 'cancelled' ? 'on request' : 'at the request budget'} after ${fresh} new entr${fresh === 1 ? 'y' : 'ies'}; download again to go on where it stopped.`;
    } catch (e) {
      if (e instanceof SessionBusyError) {
        // Nothing was asked of the meter: nothing read so far to speak of.
        this.error = { text: errorText(e), kind: 'warning' };
        return;
      }
      const text = errorText(e);
      this.error = {
        text: `${text} What was read so far is kept; download again to go on.`,
        kind: e instanceof LinkError && e.kind === 'no-logger' ? 'warning' : 'error',
      };
    } finally {
      this.progress = undefined;
      this.abort = undefined;
      await this.load();
    }
  }

  /** After a download: to the Home Assistant section, its first field focused. */
  private toHomeAssistant(): void {
    const section = this.renderRoot.querySelector('kmp-ha-send');
    section?.scrollIntoView({ behavior: 'smooth', block: 'start' });
    section?.shadowRoot?.querySelector<HTMLElement>('input[name="address"]')?.focus();
  }

  private exportCsv(): void {
    const serial = this.shownSerial;
    const choice = loggerChoice(this.logger);
    const oldestFirst = [...this.entries].reverse();
    const csv = [
      ...loggerEntriesToCsv(oldestFirst, loggerCsvColumns(oldestFirst), { names: (id) => registerById(id)?.key }),
    ].join('');
    downloadText(`kmp-${serial ?? 'meter'}-${choice.name}-log.csv`, csv, 'text/csv');
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-meter-history-view': KmpMeterHistoryView;
  }
}
