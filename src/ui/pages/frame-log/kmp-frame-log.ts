import { consume } from '@lit/context';
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
    return html`<p class="muted" data-testid="log-port">Port: ${s.label} — ${describePortInfo(s.port)}.</p>`;
  }

  override render() {
    const shown = this.entries.slice(-SHOWN).reverse();
    return html`<section class="card" aria-labelledby="log-title">
      <h2 id="log-title">Frame log</h2>
      <div class="row">
        <button class="primary" @click=${this.download}>Download diagnostics</button>
        <button @click=${this.clear}>Clear log</button>
        <span class="muted" data-testid="log-count">${this.entries.length} frame(s)</span>
      </div>
      ${this.renderPort()} ${this.renderReplyTimes()}
      <div class="log" tabindex="0" role="region" aria-label="Frames sent and received">
        <table data-testid="frame-log">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Dir</th>
              <th scope="col">Kind</th>
              <th scope="col">CRC</th>
              <th scope="col" title="From the request to the reply's last byte">Reply done after</th>
              <th scope="col">Bytes</th>
              <th scope="col">Meaning</th>
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
                    ${e.crcOk === undefined ? '–' : e.crcOk ? 'ok' : 'bad'}
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
    if (!t) return html`<p class="muted" data-testid="reply-times">No intact reply yet, so no reply times.</p>`;
    const tight = t.max > wait * 0.7;
    return html`<p class=${tight ? 'warn' : 'muted'} data-testid="reply-times">
      Replies began ${t.min === t.max ? `${t.min} ms` : `${t.min}–${t.max} ms (median ${t.median} ms)`} after the
      request was sent, over ${t.count} intact repl${t.count === 1 ? 'y' : 'ies'} (estimated: when each ended, as the
      “Reply done after” column shows, less its length at ${serial.baudRate} baud). The app waits up to ${wait} ms for a
      reply to begin (Wait for a reply, in the advanced serial
      settings)${tight ? '; that is close: raise it if replies time out.' : '.'}
    </p>`;
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
