import { consume } from '@lit/context';
import { LOCALE_STATUS_EVENT, localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing, unsafeCSS } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type uPlot from 'uplot';
import uplotCss from 'uplot/dist/uPlot.min.css?inline';
import { registerById } from '../../../kmp/index.ts';
// From the modules, not the store's index: that also carries the settings import and its YAML
// parser, which this page never uses and should not download.
import { csvColumns, readingsToCsv } from '../../../store/export-csv.ts';
import { buildExport } from '../../../store/export-json.ts';
import { importExport } from '../../../store/import-json.ts';
import type { KmpStore } from '../../../store/kmp-store.ts';
import type { RestoreProgress } from '../../../store/restore.ts';
import type { MeterRecord, StoredReading } from '../../../store/schema.ts';
import { StoreError } from '../../../store/store-error.ts';
import { downloadText } from '../../common/download.ts';
import { registerLabel } from '../../common/format.ts';
import { shownRange } from './chart-range.ts';
import { zoomedRange } from './chart-zoom.ts';
import { ALL_MS, DEFAULT_RANGE_MS, quantities, ranges, restoredMessage, TABLE_ROWS } from './history-options.ts';
import { historyTable } from './history-table.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { ActionController } from '../../controllers/action-controller.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import { problemText, say } from '../../i18n/problem-text.ts';
import '../../components/kmp-alert.ts';

/** Readings kept on this computer: a chart, the latest rows, delete, export and restore. */
@localized()
@customElement('kmp-history-view')
export class KmpHistoryView extends LitElement {
  static override styles = [
    sharedStyles,
    unsafeCSS(uplotCss),
    css`
      .chart {
        min-height: 340px;
        color: var(--kmp-fg);
      }
      fieldset {
        border: 1px solid var(--kmp-border);
        border-radius: 6px;
      }
    `,
  ];
  @consume({ context: servicesContext }) services!: Services;
  @state() private meters: MeterRecord[] = [];
  @state() private serial: number | undefined;
  @state() private rangeMs = DEFAULT_RANGE_MS;
  @state() private chosen = new Set<number>([86, 87]);
  @state() private rows: StoredReading[] = [];
  @state() private total = 0;
  @state() private points = 0;
  @state() private message: string | undefined;
  /** Readings of the file dealt with so far, while a restore runs. */
  @state() private restoring: RestoreProgress | undefined;
  @state() private error: string | undefined;
  // A getter rather than @query: the decorator, the app's only use of it, came into the first
  // screen's bundle through lit/decorators.js although only this page needs it.
  private get chartBox(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('.chart')!;
  }
  private chart: uPlot | undefined;
  protected readonly savedCtl = new SubscriptionController(
    this,
    () => this.services?.readingsSaved,
    (serial: number) => this.follow(serial),
  );
  /** Export, delete and forget: each once at a time, a storage failure said in the error line. */
  protected readonly actions = new ActionController(this, (text) => (this.error = text));
  private following = false;
  /** Counts loads, so a load that a newer one overtook does not draw. */
  private loads = 0;
  private followAgain = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener(LOCALE_STATUS_EVENT, this.languageChanged);
    this.refresh().catch((err: unknown) => this.failed(err));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener(LOCALE_STATUS_EVENT, this.languageChanged);
    this.chart?.destroy();
  }

  /** The chart's series names are drawn by uPlot, not by render(): a new language redraws it. */
  private readonly languageChanged = (e: WindowEventMap[typeof LOCALE_STATUS_EVENT]): void => {
    if (e.detail.status === 'ready') this.load({ keepZoom: true }).catch((err: unknown) => this.failed(err));
  };

  /**
   * A new reading was stored: redraw while the view is open, so polling fills the chart live.
   * Readings that land during a redraw are coalesced into one more redraw, not one each.
   */
  private follow(serial: number): void {
    if (this.serial !== undefined && serial !== this.serial) return;
    if (this.following) {
      this.followAgain = true;
      return;
    }
    this.following = true;
    void (async () => {
      try {
        do {
          this.followAgain = false;
          await this.refresh({ keepZoom: true });
        } while (this.followAgain);
      } catch (err) {
        this.failed(err);
      } finally {
        this.following = false;
      }
    })();
  }

  /** A store read that failed (IndexedDB gone, quota, a blocked upgrade) is said, not swallowed. */
  private failed(err: unknown): void {
    this.error = problemText(err);
  }

  private async db(): Promise<KmpStore | undefined> {
    const db = await this.services.store;
    if (!db) {
      const problem = this.services.storeProblem();
      this.error = problem !== undefined ? say(problem) : msg('Storage is not available.');
    }
    return db;
  }

  private async refresh(how: { keepZoom?: boolean } = {}): Promise<void> {
    const db = await this.db();
    if (!db) return;
    this.meters = await db.listMeters();
    this.serial ??= this.services.session.identity?.serial ?? this.meters[0]?.serial;
    await this.load(how);
  }

  private range(): [number, number] {
    const to = Date.now() + 60_000;
    return [this.rangeMs === ALL_MS ? 0 : to - this.rangeMs, to];
  }

  private async load(how: { keepZoom?: boolean } = {}): Promise<void> {
    // Loads overlap (a quantity ticked while the first load or a new reading's redraw runs);
    // only the newest may draw, or a slower, older one puts back what the user just changed.
    const mine = ++this.loads;
    const db = await this.db();
    if (!db || this.serial === undefined) return;
    const [from, to] = this.range();
    const rows = await db.readings(this.serial, { from, to, newestFirst: true, limit: TABLE_ROWS });
    const ids = [...this.chosen];
    const width = Math.max(300, (this.chartBox?.clientWidth || 800) - 10);
    const series = await db.series(this.serial, ids, from, to, Math.min(2000, width * 2));
    if (mine !== this.loads) return;
    this.rows = rows;
    this.total = series.total;
    this.points = series.times.length;
    // The chart library (uPlot) loads with the first chart drawn, after the page and its table
    // are on screen, rather than with the page; started now, it arrives while they draw.
    const chartPart = series.times.length && ids.length ? import('./history-chart.ts') : undefined;
    await this.updateComplete;
    const drawChart = (await chartPart)?.drawChart;
    if (mine !== this.loads) return;
    const zoom = how.keepZoom ? zoomedRange(this.chart) : undefined;
    this.chart?.destroy();
    this.chart = undefined;
    if (drawChart) {
      this.chart = drawChart(this.chartBox, series, registerLabel, width, shownRange([from, to], series.times));
      // A redraw for a new reading or another quantity keeps the stretch of time the user zoomed to.
      if (zoom) this.chart.setScale('x', zoom);
    }
  }

  override render() {
    return html`<section class="card" aria-labelledby="history-title">
      <h2 id="history-title">${msg('History')}</h2>
      ${this.error ? html`<kmp-alert kind="error">${this.error}</kmp-alert>` : nothing}
      <div class="row">
        <label
          >${msg('Meter')}
          <select @change=${(e: Event) => this.pick(Number((e.target as HTMLSelectElement).value))}>
            ${this.meters.map(
              (m) =>
                html`<option value=${m.serial} ?selected=${m.serial === this.serial}>
                  ${m.serial}${m.model ? ` (${m.model})` : ''}
                </option>`,
            )}
          </select>
        </label>
        <span role="group" aria-label=${msg('Time range')} class="row">
          ${ranges().map(
            ([label, ms]) =>
              html`<button
                aria-pressed=${this.rangeMs === ms ? 'true' : 'false'}
                class=${this.rangeMs === ms ? 'primary' : ''}
                @click=${() => this.setRange(ms)}
              >
                ${label}
              </button>`,
          )}
        </span>
      </div>
      <fieldset class="row">
        <legend>${msg('Show')}</legend>
        ${quantities().map(
          ([id, label]) =>
            html`<label
              ><input
                type="checkbox"
                .checked=${this.chosen.has(id)}
                @change=${(e: Event) => this.toggle(id, (e.target as HTMLInputElement).checked)}
              />
              ${label}</label
            >`,
        )}
      </fieldset>
      <p class="muted" data-testid="history-count">
        ${
          this.points && this.points < this.total
            ? msg(
                str`${this.total} reading(s) in this range, drawn as ${this.points} points. Drag across the chart to zoom; double-click to zoom out.`,
              )
            : msg(str`${this.total} reading(s) in this range. Drag across the chart to zoom; double-click to zoom out.`)
        }
      </p>
      <div class="chart" data-testid="chart"></div>
      ${historyTable(this.rows, [...this.chosen])}
      <div class="row">
        <button @click=${this.actions.handler('csv', () => this.exportCsv())} ?disabled=${!this.total}>
          ${msg('Export CSV')}
        </button>
        <button @click=${this.actions.handler('json', () => this.exportJson())}>${msg('Export JSON')}</button>
        <label
          >${msg('Restore from a JSON export')}
          <input
            type="file"
            accept="application/json,.json"
            ?disabled=${this.restoring !== undefined}
            @change=${this.importJson}
        /></label>
        <button @click=${this.actions.handler('delete', () => this.deleteRange())} ?disabled=${!this.total}>
          ${msg('Delete readings in this range')}
        </button>
        <button
          @click=${this.actions.handler('forget', () => this.clearMeter())}
          ?disabled=${this.serial === undefined}
        >
          ${msg('Forget this meter')}
        </button>
      </div>
      ${
        this.restoring
          ? html`<progress
                max=${this.restoring.total}
                value=${this.restoring.done}
                aria-label=${msg('Restore progress')}
              ></progress>
              <kmp-alert kind="info" data-testid="restore-progress"
                >${msg(str`Restoring… ${this.restoring.done} of ${this.restoring.total} readings.`)}</kmp-alert
              >`
          : nothing
      }
      ${
        this.message
          ? html`<kmp-alert kind="success" data-testid="history-message">${this.message}</kmp-alert>`
          : nothing
      }
    </section>`;
  }

  private async pick(serial: number): Promise<void> {
    this.serial = serial;
    await this.load();
  }

  private async setRange(ms: number): Promise<void> {
    this.rangeMs = ms;
    await this.load();
  }

  private async toggle(id: number, on: boolean): Promise<void> {
    const next = new Set(this.chosen);
    if (on) next.add(id);
    else next.delete(id);
    this.chosen = next;
    await this.load({ keepZoom: true });
  }

  private async exportCsv(): Promise<void> {
    const db = await this.db();
    if (!db || this.serial === undefined) return;
    const [from, to] = this.range();
    const rows = await db.readings(this.serial, { from, to });
    const csv = [...readingsToCsv(rows, csvColumns(rows), { names: (id) => registerById(id)?.key })].join('');
    downloadText(`kmp-${this.serial}-${new Date().toISOString().slice(0, 10)}.csv`, csv, 'text/csv');
  }

  private async exportJson(): Promise<void> {
    const db = await this.db();
    if (!db) return;
    const meters = await db.listMeters();
    const readings = (await Promise.all(meters.map((m) => db.readings(m.serial)))).flat();
    downloadText(
      `kmp-web-export-${new Date().toISOString().slice(0, 10)}.json`,
      JSON.stringify(buildExport(meters, readings, this.services.version)),
    );
  }

  private async importJson(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    const db = await this.db();
    if (!file || !db) return;
    this.error = undefined;
    this.message = undefined;
    // The input is disabled while this runs; the store refuses a second restore in any case.
    this.restoring = { done: 0, total: 0 };
    try {
      const r = await importExport(db, await file.text(), { onProgress: (p) => (this.restoring = p) });
      this.message = restoredMessage(r);
      await this.refresh();
    } catch (err) {
      // A restore that failed part-way says itself what was stored; a refused file changed nothing.
      const text = problemText(err);
      this.error = err instanceof StoreError && err.kind === 'invalid' ? msg(str`${text} Nothing was changed.`) : text;
    } finally {
      this.restoring = undefined;
      input.value = '';
    }
  }

  private async deleteRange(): Promise<void> {
    const db = await this.db();
    if (!db || this.serial === undefined) return;
    const [from, to] = this.range();
    const serial = this.serial;
    if (
      !confirm(msg(str`Delete the ${this.total} reading(s) of meter ${serial} in this range? This cannot be undone.`))
    )
      return;
    const n = await db.deleteReadings(this.serial, from, to);
    this.message = msg(str`Deleted ${n} reading(s).`);
    await this.load();
  }

  private async clearMeter(): Promise<void> {
    const db = await this.db();
    if (!db || this.serial === undefined) return;
    const serial = this.serial;
    if (!confirm(msg(str`Forget meter ${serial} and all its readings? This cannot be undone.`))) return;
    await db.clearMeter(this.serial);
    this.message = msg(str`Meter ${serial} forgotten.`);
    this.serial = undefined;
    await this.refresh();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-history-view': KmpHistoryView;
  }
}
