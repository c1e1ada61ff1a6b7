import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { DEFAULT_LIVE_REGISTERS, REGISTERS, parseRegisterRef, KmpError } from '../../../kmp/index.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';
import '../../components/kmp-alert.ts';
import { registerLabel } from '../../common/format.ts';
import { problemParts } from '../../i18n/problem-text.ts';

/**
 * The register picker's list (see kmp-register-picker.ts): catalogue checkboxes plus any id
 * typed in. Loaded when the picker is first opened.
 */
@localized()
@customElement('kmp-register-list')
export class KmpRegisterList extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr));
        gap: 0.2rem 1rem;
        max-height: 18rem;
        overflow: auto;
      }
    `,
  ];
  @consume({ context: servicesContext }) services!: Services;
  /** Why the last change was refused: the last register unticked, or the KmpError of an id typed in. */
  @state() private error: 'keep-one' | KmpError | undefined;
  protected readonly settingsCtl = new SubscriptionController(this, () => this.services?.settings);

  override render() {
    const chosen = new Set(this.services.settings.values.registers);
    const extra = [...chosen].filter((id) => !REGISTERS.some((r) => r.id === id));
    return html`<p class="muted">
        ${msg('Every 8 registers cost one request to the meter. Registers the meter does not have are skipped.')}
      </p>
      <div class="grid">
        ${REGISTERS.map(
          (r) =>
            html`<label
              ><input
                type="checkbox"
                .checked=${chosen.has(r.id)}
                @change=${(e: Event) => this.toggle(r.id, (e.target as HTMLInputElement).checked)}
              />
              ${registerLabel(r.id)} <span class="muted">(${r.id})</span></label
            >`,
        )}
        ${extra.map(
          (id) =>
            html`<label
              ><input type="checkbox" checked @change=${() => this.toggle(id, false)} />
              ${msg(str`Register ${id}`)}</label
            >`,
        )}
      </div>
      <div class="row">
        <label
          >${msg('Add a register by id or name')}
          <input
            name="addRegister"
            placeholder=${msg('e.g. 0x3C or 266')}
            @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.add(e)}
        /></label>
        <button @click=${() => this.services.settings.update({ registers: [...DEFAULT_LIVE_REGISTERS] })}>
          ${msg('Defaults')}
        </button>
      </div>
      ${this.error ? html`<kmp-alert kind="error">${this.errorText(this.error)}</kmp-alert>` : ''}`;
  }

  private errorText(error: 'keep-one' | KmpError): string {
    // The error's own sentence, without advice, as the field has always said it.
    return error === 'keep-one' ? msg('Keep at least one register.') : problemParts(error).message;
  }

  private toggle(id: number, on: boolean): void {
    const current = this.services.settings.values.registers.filter((x) => x !== id);
    if (!on && current.length === 0) {
      this.error = 'keep-one';
      this.requestUpdate();
      return;
    }
    this.error = undefined;
    this.services.settings.update({ registers: on ? [...current, id] : current });
    this.requestUpdate();
  }

  private add(e: KeyboardEvent): void {
    const input = e.target as HTMLInputElement;
    try {
      this.toggle(parseRegisterRef(input.value), true);
      input.value = '';
    } catch (err) {
      if (!(err instanceof KmpError)) throw err;
      this.error = err;
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-register-list': KmpRegisterList;
  }
}
