import { consume } from '@lit/context';
import { localized } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import type { PublishingView } from '../../app/publishing-control.ts';
import { fireEvent } from '../common/fire-event.ts';
import { SubscriptionController } from '../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../services/context.ts';
import { sharedStyles } from '../styles/shared-styles.ts';
import { say } from '../i18n/problem-text.ts';

declare global {
  interface KmpEvents {
    /** Asks the shell to show a page (its id in src/ui/pages/index.ts). */
    'kmp-show-page': string;
  }
}

/**
 * Publishing at a glance in the header, on every page: the broker, its state and how many
 * readings wait; a click opens the Publish page. In the first screen, so it imports nothing of
 * publishing: the words come from the control itself once the services are there.
 */
@localized()
@customElement('kmp-mqtt-badge')
export class KmpMqttBadge extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        margin-left: auto;
      }
      button {
        font-size: 0.85em;
        padding: 0.2rem 0.6rem;
        border-radius: 999px;
      }
    `,
  ];

  @consume({ context: servicesContext, subscribe: true }) services: Services | undefined;
  @state() private view: PublishingView | undefined;
  protected readonly publishingCtl = new SubscriptionController(
    this,
    () => this.services?.publishing,
    (v: PublishingView) => (this.view = v),
  );

  override render() {
    const m = this.view;
    if (!m || (!m.settings.enabled && m.outbox === 0)) return nothing;
    const connected = m.status?.connection.kind === 'connected';
    return html`<button
      class="badge ${connected ? 'ok' : 'warn'}"
      data-testid="mqtt-badge"
      @click=${() => fireEvent(this, 'kmp-show-page', 'publish')}
    >
      ${say(this.services?.publishing.badgeText(m))}
    </button>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-mqtt-badge': KmpMqttBadge;
  }
}
