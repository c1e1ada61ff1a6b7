import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
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
import { infoTimeline, type InfoPeriod } from './info-timeline.ts';
import './kmp-ha-send.ts';
import './kmp-logger-list.ts';
import { LOGGER_CHOICES, loggerChoice, loggerTitle } from './logger-choices.ts';
import { renderBars, renderLine } from './logger-charts.ts';
import { problemText, say } from '../../i18n/problem-text.ts';

/** Entries shown in the table; the chart and the CSV have them all. */
const TABLE_ROWS = 60;

/**
 * The meter's own history (CID 0xB8): choose a logger, see what a download costs, download it
 * with progress and Cancel, and see it as bars (monthly, yearly use), a line (daily, hourly) or
 * a timeline (info codes), with the table and a CSV. Entries already stored are never asked for
 * again, so a second download, or one after a cancel or a lost connection, fetches only the rest.
 */
@localized()
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
  /**
   * What went wrong, worded at render time: a Problem, words or a string from the app layer;
   * `kept` when what was read before the failure is stored and a download goes on from there.
   */
  @state() private error: { problem: unknown; kind: 'error' | 'warning'; kept?: boolean } | undefined;
  /** How the last download went, as a function: worded at render time, in the page's language. */
  @state() private message: (() => string) | undefined;
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
      this.error = { problem: e, kind: 'error' };
    }
  }

  override render() {
    const choice = loggerChoice(this.logger);
    const session = this.services.session;
    const connected = session.state.kind === 'connected';
    const running = this.progress !== undefined;
    return html`<section class="card" aria-labelledby="meter-history-title">
        <h2 id="meter-history-title">${msg('Meter history')}</h2>
        <p class="muted">
          ${msg(
            'The meter keeps its own yearly, monthly, daily, hourly and info-code logs. Downloading one reads it over the optical eye; entries already here are not asked for again.',
          )}
        </p>
        <div class="row">
          <label
            >${msg('Log')}
            <select
              ?disabled=${running}
              @change=${(e: Event) => this.choose(Number((e.target as HTMLSelectElement).value))}
            >
              ${LOGGER_CHOICES.map(
                (c) =>
                  html`<option value=${c.logger} ?selected=${c.logger === this.logger}>
                    ${loggerTitle(c.logger)}
                  </option>`,
              )}
            </select>
          </label>
          <button class="primary" ?disabled=${running || !session.canStart('logger')} @click=${() => this.download()}>
            ${msg(str`Download ${loggerTitle(choice.logger)} log`)}
          </button>
          ${running ? html`<button @click=${() => this.abort?.abort()}>${msg('Cancel')}</button>` : nothing}
        </div>
        ${
          connected
            ? this.renderPlan()
            : html`<p class="muted">${msg('Connect to the meter to download its logs.')}</p>`
        }
        <kmp-logger-list .serial=${this.shownSerial} .version=${this.entriesVersion}></kmp-logger-list>
        ${this.renderProgress()}
        ${
          this.error
            ? html`<kmp-alert kind=${this.error.kind} data-testid="logger-problem"
                >${this.errorText(this.error)}</kmp-alert
              >`
            : nothing
        }
        ${
          this.message
            ? html`<kmp-alert kind="success" data-testid="logger-message">${this.message()}</kmp-alert> ${
                  this.nothingNew
                    ? html`<p>
                        <button ?disabled=${running || !session.canStart('logger')} @click=${() => this.download(true)}>
                          ${msg('Download anyway')}
                        </button>
                      </p>`
                    : nothing
                }
                ${
                  this.logger !== LOGGER_TYPE.info
                    ? html`<p><button @click=${this.toHomeAssistant}>${msg('Send to Home Assistant…')}</button></p>`
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

  private errorText(error: NonNullable<KmpMeterHistoryView['error']>): string {
    return error.kept
      ? msg(str`${problemText(error.problem)} What was read so far is kept; download again to go on.`)
      : say(error.problem);
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
    const name = loggerTitle(choice.logger);
    const depth = choice.typicalDepth;
    const time = formatDuration(estimate.seconds * 1000);
    return html`<p data-testid="logger-plan">
      ${
        this.held
          ? msg(str`A ${name} log usually holds about ${depth} entries; ${this.held} are already here.`)
          : msg(str`A ${name} log usually holds about ${depth} entries.`)
      }
      ${
        toRead
          ? msg(str`Reading up to ${toRead} takes about ${estimate.requests} request(s), ${time} at ${baudRate} baud.`)
          : msg(str`Reading what is new takes about ${estimate.requests} request(s), ${time} at ${baudRate} baud.`)
      }
      ${msg('Every request costs the meter a little battery.')}
    </p>`;
  }

  private renderProgress() {
    const p = this.progress;
    if (!p) return nothing;
    const elapsed = Date.now() - p.startedAt;
    const left = p.done > 0 && p.total > p.done ? (elapsed / p.done) * (p.total - p.done) : undefined;
    const total = p.total || '?';
    return html`<progress max=${Math.max(1, p.total)} value=${p.done} aria-label=${msg('Download progress')}></progress>
      <kmp-alert kind="info" data-testid="logger-progress">
        ${
          left !== undefined
            ? msg(str`${p.done} of ${total} entries, ${p.requests} request(s), about ${formatDuration(left)} left.`)
            : msg(str`${p.done} of ${total} entries, ${p.requests} request(s).`)
        }
      </kmp-alert>`;
  }

  private renderEntries() {
    if (!this.entries.length) return html`<p class="muted">${msg('No entries of this log stored yet.')}</p>`;
    const choice = loggerChoice(this.logger);
    return html`<div class="chart" data-testid="logger-chart">${this.renderChart(choice.show)}</div>
      <div class="row">
        <button @click=${this.exportCsv}>${msg('Download CSV')}</button>
        <span class="muted">${msg(str`${this.entries.length} entries stored.`)}</span>
      </div>
      <div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Log entries')}>${this.renderTable()}</div>
      ${this.logger === LOGGER_TYPE.day ? this.renderCooling() : nothing}`;
  }

  private renderChart(show: 'bars' | 'line' | 'timeline') {
    if (show === 'timeline') {
      const periods = infoTimeline(this.entries, infoModelOf(this.services.session.identity?.model));
      if (!periods.length) return html`<p class="muted">${msg('No info code was set in the stored entries.')}</p>`;
      return html`<ol data-testid="info-timeline">
        ${periods.map((p) => html`<li>${this.renderPeriod(p)}</li>`)}
      </ol>`;
    }
    return [60, 68].map((id) => {
      const use = periodUse(this.entries, id);
      if (!use.length) return nothing;
      const [label, unit] = [registerLabel(id), use[0]!.unit];
      const title =
        show === 'bars' ? msg(str`${label} used per period [${unit}]`) : msg(str`${label} used per entry [${unit}]`);
      return show === 'bars' ? renderBars(title, use) : renderLine(title, use);
    });
  }

  /** One stretch of the info timeline: from when until when (or now), the code and what it means. */
  private renderPeriod(p: InfoPeriod) {
    const from = html`<strong>${p.from.replace('T', ' ')}</strong>`;
    const meanings = p.meanings.join('; ');
    if (!p.until) return msg(html`${from} until now: info ${p.code}, ${meanings}`);
    const until = html`<strong>${p.until.replace('T', ' ')}</strong>`;
    return msg(html`${from} until ${until}: info ${p.code}, ${meanings}`);
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
      <h3 id="cooling-title">${msg('Cooling')}</h3>
      <p class="muted">
        ${msg(
          'The return temperature and ΔT of each month and year, weighted by the volume that flowed (from the day averages the meter logs). Utilities charge for a return temperature above their limit.',
        )}
      </p>
      <label
        >${msg('Return temperature limit (°C)')}
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
      <div class="chart">${renderBars(msg('Volume-weighted return temperature per month [°C]'), bars)}</div>
      <div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Cooling per month and year')}>
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('Month or year')}</th>
              <th scope="col">${msg('Days')}</th>
              <th scope="col">${msg('Volume')}</th>
              <th scope="col">${msg('Return T2')}</th>
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
                    ${r.returnTemp.toFixed(2)}
                    °C${r.aboveLimit ? html` <strong>${msg('above the limit')}</strong>` : ''}
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
        ${msg('Download cooling CSV')}
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
          <th scope="col">${msg('Entry')}</th>
          <th scope="col">${msg('Time (meter)')}</th>
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
        this.error = { problem: result.historyChanged, kind: 'warning' };
        return;
      }
      const fresh = result.entries.length;
      const requests = result.requests;
      if (result.nothingNew) {
        this.nothingNew = true;
        this.message = () =>
          msg(
            str`Nothing new: the meter's logger says it has written no ${loggerTitle(choice.logger)} entry since its log was last read out (${requests} request, nothing downloaded).`,
          );
        return;
      }
      const implausible = result.implausible;
      this.message = () => {
        if (!result.complete) return stoppedText(result.stoppedBy === 'cancelled', fresh);
        const said =
          fresh === 1
            ? msg(str`${fresh} new entry, ${requests} request(s).`)
            : msg(str`${fresh} new entries, ${requests} request(s).`);
        return implausible?.length ? `${said} ${notStoredText(implausible)}` : said;
      };
    } catch (e) {
      if (e instanceof SessionBusyError) {
        // Nothing was asked of the meter: nothing read so far to speak of.
        this.error = { problem: e, kind: 'warning' };
        return;
      }
      this.error = {
        problem: e,
        kind: e instanceof LinkError && e.kind === 'no-logger' ? 'warning' : 'error',
        kept: true,
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

/** A download stopped before the end: on request (Cancel) or at the request budget; each a whole sentence. */
function stoppedText(cancelled: boolean, fresh: number): string {
  if (cancelled)
    return fresh === 1
      ? msg(str`Stopped on request after ${fresh} new entry; download again to go on where it stopped.`)
      : msg(str`Stopped on request after ${fresh} new entries; download again to go on where it stopped.`);
  return fresh === 1
    ? msg(str`Stopped at the request budget after ${fresh} new entry; download again to go on where it stopped.`)
    : msg(str`Stopped at the request budget after ${fresh} new entries; download again to go on where it stopped.`);
}

/** Entries left out of the store for a value no meter can hold, with the first of them as the example. */
function notStoredText(implausible: ReadonlyArray<{ id: number; why: unknown }>): string {
  const n = implausible.length;
  const { id } = implausible[0]!;
  const why = say(implausible[0]!.why);
  return n === 1
    ? msg(str`${n} entry was not stored: a value in it is one no meter can hold (entry ${id}: ${why}).`)
    : msg(str`${n} entries were not stored: a value in them is one no meter can hold (entry ${id}: ${why}).`);
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-meter-history-view': KmpMeterHistoryView;
  }
}
