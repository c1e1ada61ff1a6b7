import { provide } from '@lit/context';
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import './components/kmp-connect-panel.ts';
import './pages/meter/kmp-identity-card.ts';
import './pages/meter/kmp-readings-view.ts';
import './components/kmp-update-banner.ts';
import { mqttStateText, type PublishingView } from './services/publishing-control.ts';
import { servicesContext, type Services } from './services/context.ts';
import { sharedStyles } from './styles/shared-styles.ts';

type Page = 'meter' | (string & {});

/**
 * A page loaded on demand, registered by main.ts: every page but the meter's, so the first
 * screen carries only what a first reading needs.
 */
export interface LazyPage {
  id: string;
  title: string;
  /** Imports the element's module; the tag is rendered once it resolves. */
  load: () => Promise<unknown>;
  render: () => TemplateResult;
}

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
  @property({ attribute: false }) lazyPages: LazyPage[] = [];
  @property({ attribute: false }) applyUpdate: (() => Promise<void>) | undefined;
  /** A sentence about something that went wrong outside any page (storage full, another tab upgraded). */
  @property({ attribute: false }) notice: string | undefined;
  @state() private page: Page = 'meter';
  @state() private loaded = new Set<string>();
  @state() private mqtt: PublishingView | undefined;
  private unsubscribeMqtt: (() => void) | undefined;

  override willUpdate(changed: Map<PropertyKey, unknown>): void {
    if (changed.has('services') && this.services?.publishing) {
      this.unsubscribeMqtt?.();
      this.unsubscribeMqtt = this.services.publishing.subscribe((v) => (this.mqtt = v));
    }
  }

  override render() {
    const tabs: Array<[Page, string]> = [
      ['meter', 'Meter'],
      ...this.lazyPages.map((p): [Page, string] => [p.id, p.title]),
    ];
    return html`
      <header>
        <h1>kmp-web</h1>
        <span class="muted">Read your Kamstrup MULTICAL through an IR head</span>
        ${this.renderMqttBadge()}
      </header>
      <kmp-update-banner .apply=${this.applyUpdate}></kmp-update-banner>
      ${this.notice ? html`<p class="card error" role="alert" data-testid="notice">${this.notice} <button @click=${() => (this.notice = undefined)}>Dismiss</button></p>` : nothing}
      <nav role="tablist" aria-label="Pages">
        ${tabs.map(([id, title]) => html`<button role="tab" aria-selected=${this.page === id ? 'true' : 'false'} @click=${() => this.show(id)}>${title}</button>`)}
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
    switch (this.page) {
      case 'meter':
        return html`<kmp-connect-panel></kmp-connect-panel><kmp-identity-card></kmp-identity-card
          ><kmp-readings-view></kmp-readings-view>`;
      default: {
        const lazy = this.lazyPages.find((p) => p.id === this.page);
        if (!lazy) return nothing;
        return this.loaded.has(lazy.id) ? lazy.render() : html`<p class="muted" role="status">Loading…</p>`;
      }
    }
  }

  private async show(page: Page): Promise<void> {
    this.page = page;
    const lazy = this.lazyPages.find((p) => p.id === page);
    if (lazy && !this.loaded.has(lazy.id)) {
      await lazy.load();
      this.loaded = new Set([...this.loaded, lazy.id]);
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-app': KmpApp;
  }
}
