import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import '../../components/kmp-alert.ts';

/**
 * Which registers "Read now" and polling ask for: how many, and, when opened, the list to choose
 * them from (kmp-register-list.ts). The list loads with the first opening rather than with the
 * first screen, where the picker is closed.
 */
@customElement('kmp-register-picker')
export class KmpRegisterPicker extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  @state() private list: 'not-loaded' | 'loading' | 'loaded' | 'failed' = 'not-loaded';
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);

  override render() {
    const chosen = new Set(this.services.settings.values.registers);
    return html`<details @toggle=${this.toggled}>
      <summary>Registers to read (${chosen.size})</summary>
      ${this.renderList()}
    </details>`;
  }

  private renderList() {
    switch (this.list) {
      case 'not-loaded':
        return nothing;
      case 'loading':
        return html`<p class="muted">Loading the registers…</p>`;
      case 'loaded':
        return html`<kmp-register-list></kmp-register-list>`;
      case 'failed':
        return html`<kmp-alert kind="error"
          >The list of registers could not be loaded: the app's files did not arrive (offline before the app was fully
          installed, or an update half-way). Reload when online.</kmp-alert
        >`;
    }
  }

  private toggled(e: Event): void {
    // Opened with no list yet, or after a load that failed: load (again).
    if (!(e.target as HTMLDetailsElement).open || this.list === 'loading' || this.list === 'loaded') return;
    this.list = 'loading';
    import('./kmp-register-list.ts').then(
      () => (this.list = 'loaded'),
      () => (this.list = 'failed'),
    );
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-register-picker': KmpRegisterPicker;
  }
}
