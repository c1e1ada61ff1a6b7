import { msg } from '@lit/localize';
import { html } from 'lit';
import type { StoredReading } from '../../../store/schema.ts';
import { formatTime, formatUnit, formatValue, registerLabel } from '../../common/format.ts';

/** The newest stored readings of the range, one row each, a column per chosen quantity. */
export function historyTable(rows: readonly StoredReading[], ids: readonly number[]) {
  if (!rows.length) return html`<p class="muted">${msg('No readings stored for this meter in this range.')}</p>`;
  return html`<div class="scroll-x" tabindex="0" role="region" aria-label=${msg('Stored readings')}>
    <table data-testid="history-table">
      <thead>
        <tr>
          <th scope="col">${msg('Time')}</th>
          ${ids.map((id) => html`<th scope="col">${registerLabel(id)}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${rows.map(
          (r) =>
            html`<tr>
              <td>${formatTime(r.takenAt)}</td>
              ${ids.map((id) => {
                const v = r.values.find((x) => x.id === id);
                // As on the Meter page: the exact decimal with the browser's separator, dates as dates.
                return html`<td class="num">${v ? `${formatValue(v)} ${formatUnit(v)}`.trim() : '–'}</td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
