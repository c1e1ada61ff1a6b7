import { provide } from '@lit/context';
import { localized, msg } from '@lit/localize';
import { LitElement, css, html, nothing } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import './components/kmp-alert.ts';
import { PAGES } from './pages/index.ts';
// Shown once the services are there; light, so that they can be in the first screen.
import './components/kmp-mqtt-badge.ts';
import './components/kmp-station-banner.ts';
import './components/kmp-update-banner.ts';
import { servicesContext, type Services } from './services/context.ts';
import { sharedStyles } from './styles/shared-styles.ts';
import { say } from './i18n/problem-text.ts';

/**
 * The shell: header, the page tabs and the pages. Hands the services to every element below it.
 * It is the whole first screen: it draws before the app layer and the page's module have
 * arrived (main.ts loads them side by side), and shows the page once both are there, with the
 * header's parts that follow the app (update and station banners, the MQTT badge).
 */
@localized()
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
      [role='tablist'] {
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
      /* minmax(0, 1fr): a wide child scrolls inside itself instead of widening the page. */
      main,
      [role='tabpanel'] {
        display: grid;
        grid-template-columns: minmax(0, 1fr);
        gap: 0.8rem;
      }
    `,
  ];

  /** Undefined until the app layer has loaded (or when it failed to: see startFailed). */
  @provide({ context: servicesContext }) @property({ attribute: false }) services!: Services;
  /** The app layer's module did not load: nothing but this can be shown. */
  @property({ type: Boolean }) startFailed = false;
  @property({ attribute: false }) applyUpdate: (() => Promise<void>) | undefined;
  /**
   * Something that went wrong outside any page (storage full, another tab upgraded): the app's
   * words, a Problem or a string, said with say() at each render so it follows the language.
   */
  @property({ attribute: false }) notice: unknown;
  @state() private page = PAGES[0]!.id;
  /** Pages whose module has been imported. */
  @state() private loaded = new Set<string>();
  /** The page whose module failed to load, said in its place instead of "Loading…" for ever. */
  @state() private loadFailed: string | undefined;

  override render() {
    return html`
      <header>
        <h1>kmp-web</h1>
        <span class="muted">${msg('Read your Kamstrup MULTICAL through an IR head')}</span>
        ${this.services ? html`<kmp-mqtt-badge></kmp-mqtt-badge>` : nothing}
      </header>
      <nav aria-label=${msg('Pages')}>
        <div role="tablist" aria-label=${msg('Pages')} @keydown=${this.onTabKey}>
          ${PAGES.map(
            ({ id, title }) =>
              html`<button
                role="tab"
                id="tab-${id}"
                aria-controls="page"
                aria-selected=${this.page === id ? 'true' : 'false'}
                tabindex=${this.page === id ? 0 : -1}
                @click=${() => this.show(id)}
              >
                ${title()}
              </button>`,
          )}
        </div>
      </nav>
      <main>
        ${
          this.services
            ? html`<kmp-update-banner .apply=${this.applyUpdate}></kmp-update-banner>
                <kmp-station-banner></kmp-station-banner>`
            : nothing
        }
        ${
          this.notice
            ? html`<kmp-alert
                class="card"
                kind="error"
                dismissable
                data-testid="notice"
                @kmp-alert-dismissed=${() => (this.notice = undefined)}
                >${say(this.notice)}</kmp-alert
              >`
            : nothing
        }
        <div role="tabpanel" id="page" aria-labelledby="tab-${this.page}">${this.renderPage()}</div>
      </main>
    `;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('hashchange', this.onHash);
    this.addEventListener('kmp-show-page', this.onShowPage);
    // A link to #history (or a bookmark of it) opens that page; else the first page's module loads.
    this.onHash();
    if (!this.loaded.has(this.page)) void this.show(this.page);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('hashchange', this.onHash);
    this.removeEventListener('kmp-show-page', this.onShowPage);
  }

  private readonly onShowPage = (e: Event): void =>
    void this.show((e as CustomEvent<KmpEvents['kmp-show-page']>).detail);

  private readonly onHash = (): void => {
    const id = location.hash.slice(1);
    if (id && id !== this.page && PAGES.some((p) => p.id === id)) void this.show(id);
  };

  /** Tabs the way screen-reader users expect: arrows, Home and End move between them and open the page. */
  private onTabKey(e: KeyboardEvent): void {
    const i = PAGES.findIndex((p) => p.id === this.page);
    const n = PAGES.length;
    const next =
      e.key === 'ArrowRight' || e.key === 'ArrowDown'
        ? (i + 1) % n
        : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
          ? (i - 1 + n) % n
          : e.key === 'Home'
            ? 0
            : e.key === 'End'
              ? n - 1
              : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const id = PAGES[next]!.id;
    void this.show(id);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${id}`)?.focus());
  }

  private renderPage() {
    const page = PAGES.find((p) => p.id === this.page);
    if (!page) return nothing;
    if (this.services && this.loaded.has(page.id)) return page.render();
    return this.startFailed || this.loadFailed === page.id
      ? html`<kmp-alert kind="error" data-testid="page-load-failed"
          >${msg(
            "This page could not be loaded: the app's files did not arrive (offline before the app was fully installed, or an update half-way). Reload when online.",
          )}</kmp-alert
        >`
      : html`<p class="muted" role="status">${msg('Loading…')}</p>`;
  }

  private async show(id: string): Promise<void> {
    this.page = id;
    // The address names the page, so a bookmark or a shared link opens it (replaced, not pushed:
    // Back leaves the app rather than stepping through every tab visited).
    const hash = id === PAGES[0]!.id ? '' : `#${id}`;
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
    const page = PAGES.find((p) => p.id === id);
    if (page && !this.loaded.has(id)) {
      try {
        await page.load();
        this.loaded = new Set([...this.loaded, id]);
        this.loadFailed = undefined;
      } catch {
        this.loadFailed = id;
      }
    }
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'kmp-app': KmpApp;
  }
}
