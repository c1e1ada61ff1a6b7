import { msg, str } from '@lit/localize';
import { html, nothing, type TemplateResult } from 'lit';
import { infoModelOf, type MeterIdentity, type MeterSession } from '../../../link/index.ts';
import { formatValue, registerLabel } from '../../common/format.ts';
import '../../components/kmp-info-code.ts';

/**
 * The identity card's content (see kmp-identity-card.ts): what meter this is: serial, type code,
 * revision, model (marked when guessed), its clock and configuration numbers. Counters and the
 * info code it read while identifying appear here only when the readings table does not show
 * them: each quantity once on the page.
 */
export function renderIdentity(session: MeterSession, id: MeterIdentity): TemplateResult {
  const inReadings = new Set((session.firstReadProgress?.values ?? session.lastReading?.values ?? []).map((v) => v.id));
  const reg = (n: number) => id.registers.find((r) => r.id === n);
  const info = reg(99);
  const clock = reg(1002);
  const date = reg(1003);
  return html`<section class="card" aria-labelledby="identity-title" data-testid="identity">
    <h2 id="identity-title">${msg('Meter')}</h2>
    <table>
      <tr>
        <th scope="row">${msg('Serial number')}</th>
        <td data-testid="serial">${id.serial}</td>
      </tr>
      <tr>
        <th scope="row">${msg('Model')}</th>
        <td data-testid="model">
          ${id.model ?? msg('unknown')}${
            id.basis === 'registers'
              ? html` <span class="muted">${msg('(a guess from the registers it answers)')}</span>`
              : nothing
          }
        </td>
      </tr>
      <tr>
        <th scope="row">${msg('Type code')}</th>
        <td>${id.type?.typeHex ?? msg('not answered')}</td>
      </tr>
      <tr>
        <th scope="row">${msg('Software revision')}</th>
        <td>${id.type?.softwareRevision ?? msg('not available')}</td>
      </tr>
      ${
        clock && date
          ? html`<tr>
              <th scope="row">${msg('Meter clock')}</th>
              <td>
                ${formatValue(date)} ${formatValue(clock)}
                <span class="muted">${msg(str`(this computer: ${new Date().toLocaleString()})`)}</span>
              </td>
            </tr>`
          : nothing
      }
      ${id.registers
        .filter((r) => ![99, 1002, 1003].includes(r.id) && !inReadings.has(r.id))
        .map(
          (r) =>
            html`<tr>
              <th scope="row">${registerLabel(r.id)}</th>
              <td>${formatValue(r)} ${r.unit}</td>
            </tr>`,
        )}
    </table>
    ${
      inReadings.has(99)
        ? nothing // the readings card shows the current info code
        : html`<kmp-info-code .raw=${info?.value} .model=${infoModelOf(id.model)}></kmp-info-code>`
    }
  </section>`;
}
