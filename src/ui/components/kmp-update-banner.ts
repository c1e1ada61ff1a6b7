import { localized, msg } from '@lit/localize';
import { consume } from '@lit/context';
import { LitElement, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { SubscriptionController } from '../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../services/context.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/**
 * "Update available". Applying an update reloads the page, which would cut a meter session
 * mid-read, so it is offered only while no meter is connected.
 */
@localized()
@customElement('kmp-update-banner')
export class KmpUpdateBanner extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  /** Set by main.ts when the service worker has a new version waiting. */
  @property({ attribute: false }) apply: (() => Promise<void>) | undefined;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);

  override render() {
    if (!this.apply) return nothing;
    const busy = this.services.session.state.kind === 'connected';
    return html`<div class="card row" role="status" data-testid="update-banner">
      <span>${msg('A new version of kmp-web is ready.')}</span>
      ${
        busy
          ? html`<span class="muted">${msg('It will be offered again when you disconnect from the meter.')}</span>`
          : html`<button class="primary" @click=${() => this.apply?.()}>${msg('Update now')}</button>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-update-banner': KmpUpdateBanner;
  }
}
