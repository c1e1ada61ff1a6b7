import { msg, str } from '@lit/localize';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import '../components/kmp-alert.ts';

/**
 * A part of an element that loads with the first opening of its <details> rather than with the
 * first screen: the module is imported on the first `toggle` to open (again after a failed load),
 * and `render` shows a loading line, the part, or why it did not arrive.
 */
export class LazyPartController implements ReactiveController {
  private status: 'not-loaded' | 'loading' | 'loaded' | 'failed' = 'not-loaded';

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly load: () => Promise<unknown>,
    /**
     * What is loading, for the loading line and the failure: "the registers", in the page's
     * language. A function is asked at each render, so the words follow a change of language.
     */
    private readonly what: string | (() => string),
  ) {
    host.addController(this);
  }

  /** Nothing happens on connecting: the part loads on the first opening, not before. */
  hostConnected(): void {}

  /** The <details> element's toggle listener. */
  readonly toggled = (e: Event): void => {
    if (!(e.target as HTMLDetailsElement).open || this.status === 'loading' || this.status === 'loaded') return;
    this.set('loading');
    this.load().then(
      () => this.set('loaded'),
      () => this.set('failed'),
    );
  };

  render(part: () => TemplateResult): TemplateResult | typeof nothing {
    const what = typeof this.what === 'function' ? this.what() : this.what;
    switch (this.status) {
      case 'not-loaded':
        return nothing;
      case 'loading':
        return html`<p class="muted">${msg(str`Loading ${what}…`)}</p>`;
      case 'loaded':
        return part();
      case 'failed':
        // The phrase opens the English sentence (and those of da, de, nl, sv), so it comes capitalised.
        return html`<kmp-alert kind="error"
          >${msg(
            str`${capitalised(what)} could not be loaded: the app's files did not arrive (offline before the app was fully installed, or an update half-way). Reload when online.`,
          )}</kmp-alert
        >`;
    }
  }

  private set(status: LazyPartController['status']): void {
    this.status = status;
    this.host.requestUpdate();
  }
}

/** A phrase as the start of a sentence: "the settings" → "The settings" (so too in da, de, nl, sv). */
function capitalised(phrase: string): string {
  return phrase.charAt(0).toLocaleUpperCase() + phrase.slice(1);
}
