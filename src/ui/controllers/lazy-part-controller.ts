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
    /** What is loading, for the loading line and the failure: "the registers". */
    private readonly what: string,
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
    switch (this.status) {
      case 'not-loaded':
        return nothing;
      case 'loading':
        return html`<p class="muted">Loading ${this.what}…</p>`;
      case 'loaded':
        return part();
      case 'failed':
        return html`<kmp-alert kind="error"
          >${this.what[0]!.toUpperCase() + this.what.slice(1)} could not be loaded: the app's files did not arrive
          (offline before the app was fully installed, or an update half-way). Reload when online.</kmp-alert
        >`;
    }
  }

  private set(status: LazyPartController['status']): void {
    this.status = status;
    this.host.requestUpdate();
  }
}
