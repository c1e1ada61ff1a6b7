import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { fireEvent } from '../common/fire-event.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

export type AlertKind = 'error' | 'warning' | 'info' | 'success';

/**
 * The one way a page says something went wrong, needs attention or went well (Home Assistant's
 * ha-alert): the text goes in the slot, and what to try, when there is something, in `advice`
 * (a Problem's message and advice, as errorText joins them). Errors and warnings are `role="alert"`, read out at
 * once; info and success are `role="status"`, read out when the reader is idle. The role sits
 * on the element itself, so the slotted text is the live region's content.
 *
 * @fires kmp-alert-dismissed when its Dismiss button is pressed (with `dismissable`); the owner
 * decides what dismissing means and removes the alert.
 */
@localized()
@customElement('kmp-alert')
export class KmpAlert extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.6rem;
        margin: 0.8rem 0;
      }
      :host([kind='error']) {
        color: var(--kmp-bad);
      }
      :host([kind='warning']) {
        color: var(--kmp-warn);
      }
      :host([kind='success']) {
        color: var(--kmp-good);
      }
      .advice {
        display: block;
        margin-top: 0.3rem;
      }
    `,
  ];

  @property({ reflect: true }) kind: AlertKind = 'info';
  @property({ type: Boolean }) dismissable = false;
  /** What the person can try, shown under the message. */
  @property() advice: string | undefined;

  override willUpdate(): void {
    this.setAttribute('role', this.kind === 'error' || this.kind === 'warning' ? 'alert' : 'status');
  }

  override render() {
    return html`<span
        ><slot></slot>${this.advice ? html`<span class="advice" part="advice">${this.advice}</span>` : nothing}</span
      >${
        this.dismissable
          ? html`<button @click=${() => fireEvent(this, 'kmp-alert-dismissed', undefined)}>${msg('Dismiss')}</button>`
          : nothing
      }`;
  }
}

declare global {
  interface KmpEvents {
    'kmp-alert-dismissed': undefined;
  }
  interface HTMLElementEventMap {
    'kmp-alert-dismissed': CustomEvent<undefined>;
  }
  interface HTMLElementTagNameMap {
    'kmp-alert': KmpAlert;
  }
}
