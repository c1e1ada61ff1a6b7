import { localized, msg } from '@lit/localize';
import { LitElement, html } from 'lit';
import { customElement } from 'lit/decorators.js';
import { LazyPartController } from '../controllers/lazy-part-controller.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/**
 * The advanced serial settings, closed on the first screen: the form (kmp-serial-settings-form.ts)
 * loads with the first opening, so a person who never changes the line settings never downloads it.
 */
@localized()
@customElement('kmp-serial-settings')
export class KmpSerialSettings extends LitElement {
  static override styles = [sharedStyles];
  private readonly form = new LazyPartController(
    this,
    () => import('./kmp-serial-settings-form.ts'),
    () => msg('the settings'),
  );

  override render() {
    return html`<details @toggle=${this.form.toggled}>
      <summary>${msg('Advanced serial settings')}</summary>
      ${this.form.render(() => html`<kmp-serial-settings-form></kmp-serial-settings-form>`)}
    </details>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-serial-settings': KmpSerialSettings;
  }
}
