import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { implausibleWords, suspectValueWords, type RegisterValue } from '../../../kmp/index.ts';
import { SERIAL_REGISTER, SessionBusyError, infoModelOf } from '../../../link/index.ts';
import { POLL_PRESETS_MS } from '../../../app/app-settings.ts';
import { formatDuration, formatTime, formatUnit, formatValue, registerLabel } from '../../common/format.ts';
import '../../components/kmp-info-code.ts';
import './kmp-register-picker.ts';
import { ClockController } from '../../controllers/clock-controller.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import '../../components/kmp-alert.ts';
import { problemText, say } from '../../i18n/problem-text.ts';

/** Read now, poll, and the latest values with the meter's own units and sensor-fault flags. */
@localized()
@customElement('kmp-readings-view')
export class KmpReadingsView extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      tr.suspect td {
        background: var(--kmp-warn-bg);
      }
      /* Muted grey on the warning's background is too faint in dark mode: full text colour there. */
      tr.suspect td.muted {
        color: inherit;
      }
    `,
  ];
  @consume({ context: servicesContext }) services!: Services;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);
  /** What the app said when notifications could not be turned on (words, worded at render time). */
  @state() private notifyProblem: unknown;
  /** Why the last "Read now" was refused: the meter was busy with something else. */
  @state() private busy: SessionBusyError | undefined;
  protected readonly wakeLockCtl = new SubscriptionController(this, () => this.services?.wakeLock);
  protected readonly infoWatchCtl = new SubscriptionController(this, () => this.services?.infoWatch);
  // Keeps countdowns current.
  private readonly clock = new ClockController(this, 1000);

  override render() {
    const { session, settings } = this.services;
    const a = session.activity;
    const polling = a.kind === 'polling';
    const interval = settings.values.pollIntervalMs;
    return html`<section class="card" aria-labelledby="readings-title">
      <h2 id="readings-title">${msg('Readings')}</h2>
      <div class="row">
        <button class="primary" ?disabled=${!session.canStart('reading')} @click=${this.readNow}>
          ${msg('Read now')}
        </button>
        ${
          polling
            ? html`<button @click=${() => void this.services.stopPolling()}>${msg('Stop polling')}</button>`
            : html`<button
                ?disabled=${!session.canStart('polling')}
                @click=${() => void this.services.startPolling(settings.values.registers, interval)}
              >
                ${msg('Start polling')}
              </button>`
        }
        <label
          >${msg('Poll every')}
          <select
            @change=${(e: Event) => settings.update({ pollIntervalMs: Number((e.target as HTMLSelectElement).value) })}
            ?disabled=${polling}
          >
            ${[...new Set([...POLL_PRESETS_MS, interval])]
              .sort((a, b) => a - b)
              .map((ms) => html`<option value=${ms} ?selected=${ms === interval}>${formatDuration(ms)}</option>`)}
          </select>
        </label>
        <span class="muted" data-testid="requests-sent"
          >${msg(str`${session.requestsSent} request(s) sent this session`)}</span
        >
      </div>
      <kmp-register-picker></kmp-register-picker>
      ${this.pollNote(interval)}
      ${
        polling
          ? html`<p class="muted" data-testid="poll-status">
              ${msg(str`Polling: ${a.reads} read(s); next in ${formatDuration(Math.max(0, a.nextAt - this.clock.now))}.`)}
            </p>`
          : nothing
      }
      <label
        ><input
          type="checkbox"
          .checked=${settings.values.keepScreenOn}
          @change=${(e: Event) => settings.update({ keepScreenOn: (e.target as HTMLInputElement).checked })}
        />
        ${msg('Keep the screen on while polling')}</label
      >
      ${polling ? this.renderWakeLock() : nothing}
      ${a.kind === 'reading' ? html`<p class="muted" role="status">${msg('Reading the meter…')}</p>` : nothing}
      ${
        this.busy
          ? html`<kmp-alert kind="warning" data-testid="busy-problem">${problemText(this.busy)}</kmp-alert>`
          : nothing
      }
      ${this.renderTable()}
    </section>`;
  }

  private renderWakeLock() {
    const w = this.services.wakeLock.state;
    if (w.kind === 'held')
      return html`<p class="muted" data-testid="wake-lock">
        ${msg('The screen stays on while polling, so this computer does not sleep and stop it.')}
      </p>`;
    if (w.kind === 'unavailable')
      return html`<kmp-alert kind="warning" data-testid="wake-lock">
        ${msg(
          str`Could not keep the screen on (${say(w.reason)}). If this computer sleeps, polling stops until it wakes.`,
        )}
      </kmp-alert>`;
    return nothing;
  }

  private pollNote(interval: number) {
    if (interval < 5 * 60_000)
      return html`<kmp-alert kind="warning">
        ${msg('Reading more often than every 5 minutes drains the meter’s battery faster. Use it for short checks only.')}
      </kmp-alert>`;
    if (interval > 20 * 60_000)
      return html`<kmp-alert kind="warning">
        ${msg(
          'The meter’s optical port goes to sleep after about 30 minutes without traffic (some MULTICAL 403s after 4 minutes); a long interval may find it asleep. Pressing a button on the meter wakes it.',
        )}
      </kmp-alert>`;
    return nothing;
  }

  private renderTable() {
    const { session } = this.services;
    const progress = session.firstReadProgress;
    // The first reading after connecting is drawn reply by reply; only the whole one is stored.
    if (progress)
      return html`<p class="muted">${msg(str`${progress.values.length} of ${progress.chosen} value(s) so far.`)}</p>
        <div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Values of the reading so far')}>
          <table data-testid="readings-progress">
            ${this.renderRows(progress.values)}
          </table>
        </div>`;
    const r = session.lastReading;
    if (!r) return html`<p class="muted">${msg('No reading yet.')}</p>`;
    const info = r.values.find((v) => v.id === 99);
    return html`
      <p class="muted">
        ${
          r.serial === session.identity?.serial
            ? msg(str`Read ${formatTime(r.takenAt)}.`)
            : msg(str`Meter ${r.serial}, read ${formatTime(r.takenAt)}.`)
        }
      </p>
      <div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Values of the last reading')}>
        <table data-testid="readings">
          ${this.renderRows(r.values)}
        </table>
      </div>
      ${
        info
          ? html`<kmp-info-code .raw=${info.value} .model=${infoModelOf(session.identity?.model)}></kmp-info-code>`
          : nothing
      }
      ${this.renderUnsupported()} ${this.renderInfoChange()}
    `;
  }

  private renderRows(values: readonly RegisterValue[]) {
    const suspects = suspectValueWords(values);
    // The serial number is the identity card's: its register is a row only when it says something else.
    const serial = this.services.session.identity?.serial;
    const shown = values.filter((v) => v.id !== SERIAL_REGISTER || (serial !== undefined && v.value !== serial));
    return html`<thead>
        <tr>
          <th scope="col">${msg('Quantity')}</th>
          <th scope="col">${msg('Value')}</th>
          <th scope="col">${msg('Unit')}</th>
          <th scope="col">${msg('Register')}</th>
        </tr>
      </thead>
      <tbody>
        ${shown.map((v) => {
          const why = suspects.get(v.id);
          // A value no meter can produce is shown as sent, flagged, and never published or charted.
          const impossible = implausibleWords(v);
          return html`<tr class=${why || impossible ? 'suspect' : ''} data-register=${v.id}>
            <td>
              ${registerLabel(v.id)}
              ${
                why
                  ? html`<div class="warn">${msg(str`Sensor error? ${registerLabel(v.id)} ${say(why)}.`)}</div>`
                  : nothing
              }
              ${
                impossible
                  ? html`<div class="warn" data-testid="implausible">
                      ${msg(str`Not a value a meter can produce: ${say(impossible)}. It is not published or charted.`)}
                    </div>`
                  : nothing
              }
            </td>
            <td class="num">${formatValue(v)}</td>
            <td>${formatUnit(v)}</td>
            <td class="muted">${v.id}</td>
          </tr>`;
        })}
      </tbody>`;
  }

  /** A changed info code stays on screen until dismissed; notifications on request. */
  private renderInfoChange() {
    const { infoWatch, settings, session } = this.services;
    const c = infoWatch.lastChange;
    return html`${
        c && c.serial === session.lastReading?.serial
          ? html`<kmp-alert
              kind="warning"
              dismissable
              data-testid="info-change"
              @kmp-alert-dismissed=${() => infoWatch.dismiss()}
            >
              ${msg(str`At ${formatTime(c.at)} the info code changed from ${c.from} to ${c.to}: ${say(c.summary)}`)}
            </kmp-alert>`
          : nothing
      }
      <label
        ><input type="checkbox" .checked=${settings.values.notifyInfoChanges} @change=${this.toggleNotify} />
        ${msg('Notify me when the info code changes')}</label
      >
      ${
        this.notifyProblem
          ? html`<kmp-alert kind="warning" data-testid="notify-problem">${say(this.notifyProblem)}</kmp-alert>`
          : nothing
      }`;
  }

  private async toggleNotify(e: Event): Promise<void> {
    const box = e.target as HTMLInputElement;
    this.notifyProblem = await this.services.infoWatch.setNotify(box.checked);
    box.checked = this.services.settings.values.notifyInfoChanges;
  }

  /** Registers still asked for that this meter does not have: each 8 of them cost a request. */
  private renderUnsupported() {
    const { session, settings } = this.services;
    const asked = new Set(settings.values.registers);
    const lacking = session.lastUnsupported.filter((id) => asked.has(id));
    if (!lacking.length) return nothing;
    return html`<p class="muted" data-testid="unsupported">
      ${msg(str`Not on this meter: ${lacking.map((id) => `${registerLabel(id)} (${id})`).join(', ')}.`)}
      <button
        @click=${() => settings.update({ registers: settings.values.registers.filter((id) => !lacking.includes(id)) })}
      >
        ${msg('Stop asking for them')}
      </button>
    </p>`;
  }

  private async readNow(): Promise<void> {
    this.busy = undefined;
    // A link failure shows as the session's last error; a refusal for a busy meter is said here.
    await this.services.session.readNow(this.services.settings.values.registers).catch((e: unknown) => {
      if (e instanceof SessionBusyError) this.busy = e;
    });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-readings-view': KmpReadingsView;
  }
}
