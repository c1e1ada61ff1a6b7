import { consume } from '@lit/context';
import { localized, msg, str } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, state } from 'lit/decorators.js';
import { byteTimeMs, type WireEntry } from '../../../link/index.ts';
import { buildDiagnostics, describePortInfo } from '../../common/diagnostics.ts';
import { downloadText } from '../../common/download.ts';
import { clockTime } from '../../common/format.ts';
import { servicesContext, type Services } from '../../services/context.ts';
import { SubscriptionController } from '../../controllers/subscription-controller.ts';
import { sharedStyles } from '../../styles/shared-styles.ts';

/** How many lines the page shows; the full log goes into the download. */
const SHOWN = 300;

/** Every frame sent and received, with time, hex, decoded view and CRC status; and the diagnostics download. */
@localized()
@customElement('kmp-frame-log')
export class KmpFrameLog extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      .log table {
        /* Seven columns do not fit a phone: the box scrolls sideways rather than squeeze them. */
        min-width: 44rem;
      }
      .log {
        max-height: 28rem;
        overflow: auto;
        font-family: ui-monospace, monospace;
        font-size: 0.85rem;
      }
      td {
        vertical-align: top;
      }
      .hex {
        word-break: break-all;
      }
    `,
  ];
  @consume({ context: servicesContext }) services!: Services;
  @state() private entries: readonly WireEntry[] = [];
  private pending = false;
  // Batch updates: a burst of frames re-renders once per animation frame, not once per frame.
  protected readonly logCtl = new SubscriptionController(
    this,
    () => this.services?.session.log,
    () => {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.entries = [...this.services.session.log.all()];
      });
    },
  );

  // The port line follows the connection.
  protected readonly sessionCtl = new SubscriptionController(this, () => this.services?.session);

  override connectedCallback(): void {
    super.connectedCallback();
    this.entries = [...this.services.session.log.all()];
  }

  /** Which path, driver and chip the frames crossed: what a report about a misbehaving head needs first. */
  private renderPort() {
    const s = this.services.session.state;
    if (!('port' in s) || !s.port) return nothing;
    return html`<p class="muted" data-testid="log-port">
      ${msg(str`Port: ${s.label} — ${describePortInfo(s.port)}.`)}
    </p>`;
  }

  override render() {
    const shown = this.entries.slice(-SHOWN).reverse();
    return html`<section class="card" aria-labelledby="log-title">
      <h2 id="log-title">${msg('Frame log')}</h2>
      <div class="row">
        <button class="primary" @click=${this.download}>${msg('Download diagnostics')}</button>
        <button @click=${this.clear}>${msg('Clear log')}</button>
        <span class="muted" data-testid="log-count">${msg(str`${this.entries.length} frame(s)`)}</span>
      </div>
      ${this.renderPort()} ${this.renderReplyTimes()}
      <div class="log" tabindex="0" role="region" aria-label=${msg('Frames sent and received')}>
        <table data-testid="frame-log">
          <thead>
            <tr>
              <th scope="col">${msg('Time')}</th>
              <th scope="col">${msg('Dir')}</th>
              <th scope="col">${msg('Kind')}</th>
              <th scope="col">CRC</th>
              <th scope="col" title=${msg("From the request to the reply's last byte")}>${msg('Reply done after')}</th>
              <th scope="col">${msg('Bytes')}</th>
              <th scope="col">${msg('Meaning')}</th>
            </tr>
          </thead>
          <tbody>
            ${shown.map(
              (e) =>
                html`<tr data-kind=${e.kind}>
                  <td>${clockTime(e.at)}</td>
                  <td>${e.dir === 'tx' ? '→' : '←'} ${e.dir.toUpperCase()}</td>
                  <td>${e.kind}</td>
                  <td class=${e.crcOk === false ? 'error' : e.crcOk ? 'ok' : 'muted'}>
                    ${e.crcOk === undefined ? '–' : e.crcOk ? msg('ok') : msg('bad')}
                  </td>
                  <td class="num">${e.replyMs !== undefined ? `${e.replyMs} ms` : ''}</td>
                  <td class="hex">${e.hex}</td>
                  <td>${e.decoded}</td>
                </tr>`,
            )}
          </tbody>
        </table>
      </div>
    </section>`;
  }

  /**
   * When replies began after each request (their end, less their own time on the line), next to
   * how long the app waits for one to begin: the numbers to look at when replies time out
   * (peers raised their timeouts blind, from 0.2 s to 1 s to 2 s).
   */
  private renderReplyTimes() {
    const { serial, firstByteTimeoutMs: wait } = this.services.settings.values;
    const t = this.services.session.log.replyTimes(byteTimeMs(serial));
    if (!t)
      return html`<p class="muted" data-testid="reply-times">${msg('No intact reply yet, so no reply times.')}</p>`;
    const tight = t.max > wait * 0.7;
    const baud = serial.baudRate;
    // One reply has one time, so its sentence needs no range.
    const began =
      t.count === 1
        ? msg(
            str`Replies began ${t.min} ms after the request was sent, over 1 intact reply (estimated: when each ended, as the “Reply done after” column shows, less its length at ${baud} baud).`,
          )
        : t.min === t.max
          ? msg(
              str`Replies began ${t.min} ms after the request was sent, over ${t.count} intact replies (estimated: when each ended, as the “Reply done after” column shows, less its length at ${baud} baud).`,
            )
          : msg(
              str`Replies began ${t.min}–${t.max} ms (median ${t.median} ms) after the request was sent, over ${t.count} intact replies (estimated: when each ended, as the “Reply done after” column shows, less its length at ${baud} baud).`,
            );
    const waits = tight
      ? msg(
          str`The app waits up to ${wait} ms for a reply to begin (Wait for a reply, in the advanced serial settings); that is close: raise it if replies time out.`,
        )
      : msg(
          str`The app waits up to ${wait} ms for a reply to begin (Wait for a reply, in the advanced serial settings).`,
        );
    return html`<p class=${tight ? 'warn' : 'muted'} data-testid="reply-times">${began} ${waits}</p>`;
  }

  private download(): void {
    const { session, settings, version, publishing } = this.services;
    const p = publishing.view;
    const connection = p.status?.connection;
    const bundle = buildDiagnostics(session, { app: settings.values, mqtt: p.settings }, version, {
      state: connection?.kind ?? 'off',
      ...(connection && 'problem' in connection ? { problem: connection.problem.message } : {}),
      outbox: p.outbox,
      otherTabPublishes: p.otherTabPublishes,
    });
    downloadText(
      `kmp-web-diagnostics-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      JSON.stringify(bundle, null, 2),
    );
  }

  private clear(): void {
    this.services.session.log.clear();
    this.entries = [];
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-frame-log': KmpFrameLog;
  }
}
