import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { loggerConfigHeaderNames } from '../../../kmp/logger.ts';
import type { HistoryChangeRecord, LoggerListRecord } from '../../../store/schema.ts';
import { registerLabel } from '../../common/format.ts';
import '../../components/kmp-alert.ts';
import { problemText } from '../../i18n/problem-text.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';

/** A logger's name in this list, in the page's language; undefined for a type without one. */
function loggerTitle(type: number): string | undefined {
  switch (type) {
    case 0:
      return msg('configuration');
    case 1:
      return msg('info codes');
    case 2:
      return msg('yearly');
    case 3:
      return msg('monthly');
    case 4:
      return msg('daily');
    case 5:
      return msg('hourly');
    case 6:
      return msg('minute 1');
    case 7:
      return msg('minute 2');
    default:
      return undefined;
  }
}

/** A logger of the list, named; one without a name by its type number. */
const typeTitle = (type: number) => loggerTitle(type) ?? msg(str`type ${type}`);

const hex = (n: number) => n.toString(16).padStart(2, '0');

/**
 * Every logger the meter has, as it describes itself (0xB8 sub 05): depth, registers and the
 * header fields under the public reader's names. Read once on request and kept with the meter.
 */
@localized()
@customElement('kmp-logger-list')
export class KmpLoggerList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
      }
      td.registers {
        min-width: 14rem;
      }
    `,
  ];

  @consume({ context: servicesContext, subscribe: true }) services!: Services;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);
  @property({ type: Number }) serial: number | undefined;
  /** Changes after each download: the kept history changes are read again. */
  @property({ type: Number }) version = 0;
  @state() private list: LoggerListRecord | undefined;
  @state() private changes: HistoryChangeRecord[] = [];
  @state() private running = false;
  /** Why the last reading of the list failed, worded at render time. */
  @state() private error: { problem: unknown } | undefined;

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('serial') || changed.has('version')) void this.load();
  }

  private async load(): Promise<void> {
    const db = await this.services.store;
    if (!db || this.serial === undefined) return;
    const meter = (await db.listMeters()).find((m) => m.serial === this.serial);
    this.list = meter?.loggers;
    this.changes = meter?.historyChanges ?? [];
  }

  override render() {
    const session = this.services.session;
    const connected = session.state.kind === 'connected';
    return html`<details ?open=${this.list !== undefined || this.changes.length > 0} data-testid="logger-list">
      <summary>${msg('Loggers of this meter')}</summary>
      <p class="muted">
        ${msg(
          'What the meter says of each of its loggers: how many entries it keeps and what each entry records. Reading the list asks once per logger (up to 8 requests) and is kept here.',
        )}
      </p>
      ${
        connected
          ? html`<button ?disabled=${this.running || !session.canStart('logger')} @click=${this.read}>
              ${this.list ? msg('Read the list again') : msg('Read the list of loggers')}
            </button>`
          : nothing
      }
      ${this.error ? html`<kmp-alert kind="warning">${problemText(this.error.problem)}</kmp-alert>` : nothing}
      ${this.renderList()} ${this.renderChanges()}
    </details>`;
  }

  private renderList() {
    const l = this.list;
    if (!l) return nothing;
    return html`<div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Loggers of this meter')}>
        <table>
          <thead>
            <tr>
              <th scope="col">${msg('Logger')}</th>
              <th scope="col">${msg('Entries kept')}</th>
              <th scope="col">${msg('Records')}</th>
              <th scope="col">${msg('Header (names of the public reader)')}</th>
            </tr>
          </thead>
          <tbody>
            ${l.configs.map((c) => {
              const h = loggerConfigHeaderNames(c.header);
              return html`<tr data-logger=${c.logger}>
                <td>${typeTitle(c.logger)}</td>
                <td class="num">${c.depth}</td>
                <td class="registers">${c.registers.map((id) => `${registerLabel(id)} (${id})`).join(', ')}</td>
                <td>
                  ${
                    h
                      ? msg(
                          str`date 1 ${hex(h.date1[0])}-${hex(h.date1[1])} (format ${h.date1Format}), date 2 ${hex(h.date2[0])}-${hex(h.date2[1])} (format ${h.date2Format}), interval ${h.interval} (format ${h.intervalFormat}), most interval records ${h.maxIntervalRecords}`,
                        )
                      : ''
                  }
                  <span class="muted">[${c.header.map(hex).join(' ')}]</span>
                </td>
              </tr>`;
            })}
          </tbody>
        </table>
      </div>
      <p class="muted">
        ${msg(str`Read ${new Date(l.at).toLocaleString()}.`)}
        ${l.absent.length ? msg(str`Not on this meter: ${l.absent.map(typeTitle).join(', ')}.`) : ''}
      </p>`;
  }

  /** Entries the meter later gave otherwise: both versions, as kept (src/app/history-check.ts). */
  private renderChanges() {
    if (!this.changes.length) return nothing;
    return html`<kmp-alert kind="warning" data-testid="history-changes">
      ${
        this.changes.length === 1
          ? msg(
              str`The meter gave ${this.changes.length} entry otherwise than when downloaded (a replaced or reset meter, or the head on another meter); both versions are kept:`,
            )
          : msg(
              str`The meter gave ${this.changes.length} entries otherwise than when downloaded (a replaced or reset meter, or the head on another meter); both versions are kept:`,
            )
      }
      <ul>
        ${this.changes.map((c) => {
          const differ = c.stored.values
            .flatMap((v) => {
              const w = c.again.values.find((x) => x.id === v.id);
              return w && w.decimal !== v.decimal
                ? [`${registerLabel(v.id)} ${v.decimal} ${v.unit} → ${w.decimal} ${w.unit}`]
                : [];
            })
            .join('; ');
          const logger = loggerTitle(c.stored.logger) ?? msg(str`logger ${c.stored.logger}`);
          const id = c.stored.id;
          const times = `${c.stored.time.replace('T', ' ')}${c.again.time !== c.stored.time ? ` → ${c.again.time.replace('T', ' ')}` : ''}`;
          const noticed = new Date(c.at).toLocaleString();
          return html`<li>
            ${
              differ
                ? msg(str`${logger} entry ${id} (${times}): ${differ}; noticed ${noticed}`)
                : msg(str`${logger} entry ${id} (${times}); noticed ${noticed}`)
            }
          </li>`;
        })}
      </ul>
    </kmp-alert>`;
  }

  private async read(): Promise<void> {
    this.running = true;
    this.error = undefined;
    try {
      this.list = await this.services.listLoggers();
    } catch (e) {
      this.error = { problem: e };
    } finally {
      this.running = false;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-logger-list': KmpLoggerList;
  }
}
