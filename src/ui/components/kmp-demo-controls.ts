import { localized, msg } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
// Type only: the virtual meter itself loads on demand with demo mode (demo-port.ts).
import type { VirtualMeter } from '../../sim/index.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/**
 * Info codes the demo meter can be given, to see them decoded and their effect on the readings;
 * a function, so that the names are in the page's language at each render.
 */
const demoInfoCodes = (): ReadonlyArray<[number, string]> => [
  [0, msg('None')],
  [0x2, msg('Low battery')],
  [0x8, msg('t1 sensor disconnected')],
  [0x40, msg('t2 sensor short-circuited')],
  [0x100, msg('Air in flow sensor V1')],
  [0x1000, msg('Leak on pulse input A')],
];

/**
 * Makes the demo meter misbehave the way real ones do (cable pulled, damaged reply, sleeping
 * optical port, an info code), so a person without the hardware sees how the app explains each.
 */
@localized()
@customElement('kmp-demo-controls')
export class KmpDemoControls extends LitElement {
  static override styles = [sharedStyles];

  @property({ attribute: false }) meter: VirtualMeter | undefined;

  override render() {
    const meter = this.meter;
    if (!meter) return nothing;
    return html`<details>
      <summary>${msg('Demo meter controls')}</summary>
      <p class="muted">
        ${msg('Make the virtual meter misbehave the way real ones do, to see how the app explains it.')}
      </p>
      <div class="row">
        <button @click=${() => meter.unplug()}>${msg('Pull the cable')}</button>
        <button @click=${() => meter.injectOnce('corrupt')}>${msg('Damage the next reply')}</button>
        ${
          meter.asleep
            ? html`<button @click=${() => this.poke(() => meter.pressButton())}>
                ${msg('Press a button on the meter')}
              </button>`
            : html`<button @click=${() => this.poke(() => meter.sleepNow())}>
                ${msg('Let the optical port sleep')}
              </button>`
        }
        <label
          >${msg('Give the meter an info code')}
          <select
            @change=${(e: Event) => this.poke(() => (meter.infoCode = Number((e.target as HTMLSelectElement).value)))}
          >
            ${demoInfoCodes().map(
              ([code, label]) => html`<option value=${code} ?selected=${meter.infoCode === code}>${label}</option>`,
            )}
          </select>
        </label>
      </div>
    </details>`;
  }

  /** Changes the demo meter (nothing the session sees), then redraws the controls. */
  private poke(change: () => void): void {
    change();
    this.requestUpdate();
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-demo-controls': KmpDemoControls;
  }
}
