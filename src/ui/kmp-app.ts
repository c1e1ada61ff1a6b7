import { provide } from '@lit/context';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import './components/kmp-alert.ts';
import './components/kmp-update-banner.ts';
import { SubscriptionController } from './controllers/subscription-controller.ts';
import { PAGES } from './pages/index.ts';
import { mqttStateText, type PublishingView } from './services/publishing-control.ts';
import { servicesContext, type Services } from './services/context.ts';
import { sharedStyles } from './styles/shared-styles.ts';

/** The shell: header, the page tabs and the pages. Hands the services to every element below it. */
@customElement('kmp-app')
export class KmpApp extends LitElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        display: block;
        max-width: 70rem;
        margin: 0 auto;
        padding: 0.8rem;
      }
      header {
        display: flex;
        flex-wrap: wrap;
        align-items: baseline;
        gap: 0.8rem;
      }
      h1 {
        font-size: 1.4rem;
        margin: 0.2rem 0;
      }
      nav {
        display: flex;
        flex-wrap: wrap;
        gap: 0.3rem;
        margin: 0.8rem 0;
        border-bottom: 1px solid var(--kmp-border);
      }
      nav button {
        border-radius: 6px 6px 0 0;
        border-bottom: none;
      }
      nav button[aria-selected='true'] {
        background: var(--kmp-accent);
        color: var(--kmp-accent-fg);
      }
      .badge {
        margin-left: auto;
        font-size: 0.85em;
        padding: 0.2rem 0.6rem;
        border-radius: 999px;
      }
      main {
        display: grid;
        gap: 0.8rem;
      }
    `,
  ];

  @provide({ context: servicesContext }) @property({ attribute: false }) services!: Services;
  @property({ attribute: false }) applyUpdate: (() => Promise<void>) | undefined;
  /** A sentence about something that went wrong outside any page (storage full, another tab upgraded). */
  @property({ attribute: false }) notice: string | undefined;
  @state() private page = PAGES[0]!.id;
  /** Pages whose module has been imported (the ones bundled with the shell from the start). */
  @state() private loaded = new Set(PAGES.filter((p) => !p.load).map((p) => p.id));
  @state() private mqtt: PublishingView | undefined;
  protected readonly publishingCtl = new SubscriptionController(
    this,
    () => this.services?.publishing,
    (v: PublishingView) => (this.mqtt = v),
  );

  override render() {
    return html`
      <header>
        <h1>kmp-web</h1>
        <span class="muted">Read your Kamstrup MULTICAL through an IR head</span>
        ${this.renderMqttBadge()}
      </header>
      <kmp-update-banner .apply=${this.applyUpdate}></kmp-update-banner>
      ${
        this.notice
          ? html`<kmp-alert
              class="card"
              kind="error"
              dismissable
              data-testid="notice"
              @kmp-alert-dismissed=${() => (this.notice = undefined)}
              >${this.notice}</kmp-alert
            >`
          : nothing
      }
      <nav role="tablist" aria-label="Pages">
        ${PAGES.map(
          ({ id, title }) =>
            html`<button role="tab" aria-selected=${this.page === id ? 'true' : 'false'} @click=${() => this.show(id)}>
              ${title}
            </button>`,
        )}
      </nav>
      <main role="tabpanel">${this.renderPage()}</main>
    `;
  }

  /** Publishing at a glance, on every page: state and how many readings wait. */
  private renderMqttBadge() {
    const m = this.mqtt;
    if (!m || (!m.settings.enabled && m.outbox === 0)) return nothing;
    const connected = m.status?.connection.kind === 'connected';
    const text = `MQTT: ${mqttStateText(m)}${m.outbox ? ` · ${m.outbox} waiting` : ''}`;
    return html`<button
      class="badge ${connected ? 'ok' : 'warn'}"
      data-testid="mqtt-badge"
      @click=${() => this.show('publish')}
    >
      ${text}
    </button>`;
  }

  private renderPage() {
    const page = PAGES.find((p) => p.id === this.page);
    if (!page) return nothing;
    return this.loaded.has(page.id) ? page.render() : html`<p class="muted" role="status">Loading…</p>`;
  }

  private async show(id: string): Promise<void> {
    this.page = id;
    const page = PAGES.find((p) => p.id === id);
    if (page?.load && !this.loaded.has(id)) {
      await page.load();
      this.loaded = new Set([...this.loaded, id]);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-app': KmpApp;
  }
}
