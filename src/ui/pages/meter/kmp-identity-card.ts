import { consume } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { LitElement, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { MeterIdentity } from '../../../link/index.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import '../../components/kmp-alert.ts';

let table: typeof import('./identity-table.ts') | undefined;

/**
 * What meter this is (identity-table.ts), once one is identified. The table loads with the first
 * identity rather than with the first screen, which has none to show.
 */
@localized()
@customElement('kmp-identity-card')
export class KmpIdentityCard extends LitElement {
  static override styles = [sharedStyles];
  @consume({ context: servicesContext }) services!: Services;
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);
  /** The identity for which the table did not load; the next one tries again. */
  @state() private failedFor: MeterIdentity | undefined;

  protected override willUpdate(): void {
    const id = this.services.session.identity;
    if (table || !id || id === this.failedFor) return;
    import('./identity-table.ts').then(
      (m) => {
        table = m;
        this.requestUpdate();
      },
      () => (this.failedFor = id),
    );
  }

  override render() {
    const id = this.services.session.identity;
    if (!id) return nothing;
    if (table) return table.renderIdentity(this.services.session, id);
    return id === this.failedFor
      ? html`<kmp-alert kind="error"
          >${msg(
            "The meter's details could not be shown: the app's files did not arrive (offline before the app was fully installed, or an update half-way). Reload when online.",
          )}</kmp-alert
        >`
      : nothing;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-identity-card': KmpIdentityCard;
  }
}
