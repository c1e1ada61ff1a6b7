import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { KMP_SERIAL } from '../../link/index.ts';
import type { ConnectVia } from '../common/connect-path.ts';
import { DEFAULT_SETTINGS } from '../../app/app-settings.ts';
import { SubscriptionController } from '../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../services/context.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import './kmp-alert.ts';

const BAUD_RATES = [300, 1200, 2400, 4800, 9600];

/** The ways to connect and their names, in the page's language (asked at each render). */
const connectVia = (): ReadonlyArray<[ConnectVia, string]> => [
  ['auto', msg('Automatic (WebUSB on Android)')],
  ['web-serial', msg('Web Serial (the system’s driver)')],
  ['webusb', msg('WebUSB (kmp-web’s drivers)')],
];

/** A timeout field's value not taken: which field, its bounds, and the value kept instead. */
interface Refusal {
  key: 'firstByteTimeoutMs' | 'interByteTimeoutMs';
  min: number;
  max: number;
  kept: number;
}

/**
 * The advanced panel's form: line settings, timeouts and the way to connect, each checked before
 * it is used. Loaded when the panel is first opened (kmp-serial-settings.ts).
 */
@localized()
@customElement('kmp-serial-settings-form')
export class KmpSerialSettingsForm extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);
  /** The last timeout not taken, worded at render so that it follows the language. */
  @state() private refused: Refusal | undefined;

  override render() {
    const v = this.services.settings.values;
    return html`
      <p class="muted">
        ${msg(
          'MULTICAL heat meters talk 1200 baud, 8 data bits, no parity, 2 stop bits. Change these only if you know your meter differs; they apply on the next connect.',
        )}
      </p>
      <div class="row">
        <label
          >${msg('Baud rate')}
          <select
            name="baud"
            @change=${(e: Event) => this.patchSerial({ baudRate: Number((e.target as HTMLSelectElement).value) })}
          >
            ${BAUD_RATES.map((b) => html`<option value=${b} ?selected=${b === v.serial.baudRate}>${b}</option>`)}
          </select>
        </label>
        <label
          >${msg('Stop bits')}
          <select
            name="stopBits"
            @change=${(e: Event) =>
              this.patchSerial({ stopBits: Number((e.target as HTMLSelectElement).value) as 1 | 2 })}
          >
            ${[1, 2].map((b) => html`<option value=${b} ?selected=${b === v.serial.stopBits}>${b}</option>`)}
          </select>
        </label>
        <label
          >${msg('Wait for a reply (ms)')}
          <input
            name="firstByte"
            type="number"
            min="200"
            max="10000"
            step="100"
            .value=${String(v.firstByteTimeoutMs)}
            @change=${(e: Event) => this.setTimeoutField(e, 'firstByteTimeoutMs', 200, 10000)}
          />
        </label>
        <label
          >${msg('Gap inside a reply (ms)')}
          <input
            name="interByte"
            type="number"
            min="20"
            max="2000"
            step="10"
            .value=${String(v.interByteTimeoutMs)}
            @change=${(e: Event) => this.setTimeoutField(e, 'interByteTimeoutMs', 20, 2000)}
          />
        </label>
        <label
          >${msg('Connect through')}
          <select
            name="connectVia"
            @change=${(e: Event) =>
              this.services.settings.update({ connectVia: (e.target as HTMLSelectElement).value as ConnectVia })}
          >
            ${connectVia().map(
              ([value, text]) => html`<option value=${value} ?selected=${value === v.connectVia}>${text}</option>`,
            )}
          </select>
        </label>
        <button @click=${this.reset}>${msg('Back to defaults')}</button>
      </div>
      ${this.refused ? html`<kmp-alert kind="error">${this.refusedText(this.refused)}</kmp-alert>` : ''}
    `;
  }

  private patchSerial(patch: Partial<typeof KMP_SERIAL>): void {
    this.services.settings.update({ serial: { ...this.services.settings.values.serial, ...patch } });
  }

  private setTimeoutField(e: Event, key: 'firstByteTimeoutMs' | 'interByteTimeoutMs', min: number, max: number): void {
    const input = e.target as HTMLInputElement;
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.refused = { key, min, max, kept: this.services.settings.values[key] };
      input.value = String(this.services.settings.values[key]);
      return;
    }
    this.refused = undefined;
    this.services.settings.update({ [key]: n });
  }

  /** Why a timeout was not taken: one whole sentence per field, as the field's name starts it. */
  private refusedText({ key, min, max, kept }: Refusal): string {
    return key === 'firstByteTimeoutMs'
      ? msg(str`Wait for a reply must be a whole number of milliseconds from ${min} to ${max}; kept ${kept}.`)
      : msg(str`Gap inside a reply must be a whole number of milliseconds from ${min} to ${max}; kept ${kept}.`);
  }

  private reset(): void {
    this.refused = undefined;
    this.services.settings.update({
      serial: KMP_SERIAL,
      firstByteTimeoutMs: DEFAULT_SETTINGS.firstByteTimeoutMs,
      interByteTimeoutMs: DEFAULT_SETTINGS.interByteTimeoutMs,
      connectVia: DEFAULT_SETTINGS.connectVia,
    });
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-serial-settings-form': KmpSerialSettingsForm;
  }
}
