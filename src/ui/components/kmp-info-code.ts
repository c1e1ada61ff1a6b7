import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { localized, msg, str } from '@lit/localize';
import { INFO_CODE_TABLES_MISSING, loadInfoCodeTables, loadedInfoCodeTables } from '../../app/info-code-tables.ts';
import { say, wordsText } from '../i18n/problem-text.ts';
import { sharedStyles } from '../styles/shared-styles.ts';

/** The meter's info code in plain words, with the bit view and what to check for each flag. */
@localized()
@customElement('kmp-info-code')
export class KmpInfoCode extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      ul {
        margin: 0.3rem 0;
        padding-left: 1.2rem;
      }
      code {
        font-size: 0.9em;
      }
    `,
  ];

  /** The raw info code (register 99). */
  @property({ type: Number }) raw: number | undefined;
  /** Model number for the table: '402', '403', '603' … */
  @property() model: string | undefined;
  /** The tables did not load: the code is shown as a number, and why its meaning is missing. */
  @state() private tablesMissing = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    // The tables load with the first code shown (see info-code-tables.ts); then this draws again.
    // After a failed load, the next code tries again.
    if (this.raw === undefined || loadedInfoCodeTables() || (this.tablesMissing && !changed.has('raw'))) return;
    loadInfoCodeTables().then(
      () => {
        this.tablesMissing = false;
        this.requestUpdate();
      },
      () => (this.tablesMissing = true),
    );
  }

  override render() {
    if (this.raw === undefined) return nothing;
    const tables = loadedInfoCodeTables();
    if (!tables)
      return html`<div data-testid="info-code">
        <p class=${this.tablesMissing ? 'warn' : 'muted'}>
          <strong>${msg(str`Info code ${this.raw}`)}</strong
          >${this.tablesMissing ? `. ${say(INFO_CODE_TABLES_MISSING)}` : '…'}
        </p>
      </div>`;
    const d = tables.decodeInfoCode(this.raw, this.model);
    // The same code as the meter's own display shows it, so it can be checked against the LCD.
    const lcd = d.raw === 0 ? undefined : tables.infoCodeDisplay(d.raw, this.model);
    // A flag's words by its table and bit; the decoded flag carries the same words, for a flag of no table.
    const flagWords = (f: (typeof d.flags)[number], part: 'text' | 'hint') =>
      wordsText((d.table && tables.infoFlagWords(d.table, f, part)) || (part === 'text' ? f.textWords : f.hintWords));
    return html`<div data-testid="info-code">
      <p class=${d.raw === 0 ? 'ok' : 'warn'}>
        <strong>${msg(str`Info code ${d.raw}`)}</strong> <code>${d.hex}</code>: ${wordsText(d.summaryWords)}
      </p>
      ${
        lcd
          ? html`<p class="muted" data-testid="info-display">
              ${msg(
                html`On the meter's display: INFO <code>${lcd}</code> (digits: info, t1, t2, t3, V1, V2, input A, input
                  B).`,
              )}
            </p>`
          : nothing
      }
      ${
        d.flags.length
          ? html`<ul>
              ${d.flags.map(
                (f) =>
                  html`<li>
                    <strong>${flagWords(f, 'text')}</strong
                    >${f.display ? html` <span class="muted">(${f.display})</span>` : nothing}. ${flagWords(f, 'hint')}
                  </li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        d.unknownBits.length
          ? html`<p class="warn">
              ${msg(
                str`Bits without a known meaning on this model: ${d.unknownBits.map((b) => `0x${b.toString(16)}`).join(', ')}`,
              )}
            </p>`
          : nothing
      }
      ${d.verified ? nothing : html`<p class="muted">${msg('The meaning of these bits is not verified for this model.')}</p>`}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-info-code': KmpInfoCode;
  }
}
