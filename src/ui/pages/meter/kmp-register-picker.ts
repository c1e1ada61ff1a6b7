import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { LazyPartController } from '../../controllers/lazy-part-controller.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';

/**
 * Which registers "Read now" and polling ask for: how many, and, when opened, the list to choose
 * them from (kmp-register-list.ts). The list loads with the first opening rather than with the
 * first screen, where the picker is closed.
 */
@localized()
@customElement('kmp-register-picker')
export class KmpRegisterPicker extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);
  private readonly list = new LazyPartController(
    this,
    () => import('./kmp-register-list.ts'),
    () => msg('the list of registers'),
  );

  override render() {
    const chosen = new Set(this.services.settings.values.registers);
    return html`<details @toggle=${this.list.toggled}>
      <summary>${msg(str`Registers to read (${chosen.size})`)}</summary>
      ${this.list.render(() => html`<kmp-register-list></kmp-register-list>`)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-register-picker': KmpRegisterPicker;
  }
}
