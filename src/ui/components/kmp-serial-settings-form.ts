import { consume } from '@lit/context';
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

const CONNECT_VIA: ReadonlyArray<[ConnectVia, string]> = [
  ['auto', 'Automatic (WebUSB on Android)'],
  ['web-serial', 'Web Serial (the system’s driver)'],
  ['webusb', 'WebUSB (kmp-web’s drivers)'],
];

/**
 * The advanced panel's form: line settings, timeouts and the way to connect, each checked before
 * it is used. Loaded when the panel is first opened (kmp-serial-settings.ts).
 */
@customElement('kmp-serial-settings-form')
export class KmpSerialSettingsForm extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);
  @state() private error: string | undefined;

  override render() {
    const v = this.services.settings.values;
    return html`
      <p class="muted">
        MULTICAL heat meters talk 1200 baud, 8 data bits, no parity, 2 stop bits. Change these only if you know your
        meter differs; they apply on the next connect.
      </p>
      <div class="row">
        <label
          >Baud rate
          <select
            name="baud"
            @change=${(e: Event) => this.patchSerial({ baudRate: Number((e.target as HTMLSelectElement).value) })}
          >
            ${BAUD_RATES.map((b) => html`<option value=${b} ?selected=${b === v.serial.baudRate}>${b}</option>`)}
          </select>
        </label>
        <label
          >Stop bits
          <select
            name="stopBits"
            @change=${(e: Event) =>
              this.patchSerial({ stopBits: Number((e.target as HTMLSelectElement).value) as 1 | 2 })}
          >
            ${[1, 2].map((b) => html`<option value=${b} ?selected=${b === v.serial.stopBits}>${b}</option>`)}
          </select>
        </label>
        <label
          >Wait for a reply (ms)
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
          >Gap inside a reply (ms)
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
          >Connect through
          <select
            name="connectVia"
            @change=${(e: Event) =>
              this.services.settings.update({ connectVia: (e.target as HTMLSelectElement).value as ConnectVia })}
          >
            ${CONNECT_VIA.map(
              ([value, text]) => html`<option value=${value} ?selected=${value === v.connectVia}>${text}</option>`,
            )}
          </select>
        </label>
        <button @click=${this.reset}>Back to defaults</button>
      </div>
      ${this.error ? html`<kmp-alert kind="error">${this.error}</kmp-alert>` : ''}
    `;
  }

  private patchSerial(patch: Partial<typeof KMP_SERIAL>): void {
    this.services.settings.update({ serial: { ...this.services.settings.values.serial, ...patch } });
  }

  private setTimeoutField(e: Event, key: 'firstByteTimeoutMs' | 'interByteTimeoutMs', min: number, max: number): void {
    const input = e.target as HTMLInputElement;
    const n = Number(input.value);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.error = `${key === 'firstByteTimeoutMs' ? 'Wait for a reply' : 'Gap inside a reply'} must be a whole number of milliseconds from ${min} to ${max}; kept ${this.services.settings.values[key]}.`;
      input.value = String(this.services.settings.values[key]);
      return;
    }
    this.error = undefined;
    this.services.settings.update({ [key]: n });
  }

  private reset(): void {
    this.error = undefined;
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
