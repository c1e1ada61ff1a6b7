import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { errorText } from '../../kmp/error-text.ts';
import '../components/kmp-alert.ts';

/**
 * The one guard for a page's async buttons: an action runs at most once at a time (a second
 * click on a slow button does not start it again), and a failure is always said, never lost as an
 * unhandled rejection.
 */
export class ActionController implements ReactiveController {
  /** What the last failed action said (errorText), until the next action starts. */
  error: string | undefined;
  /** The last failure itself, for its message and advice apart. */
  private failure: unknown;
  private readonly running = new Set<string>();

  /**
   * @param show where a failure goes; by default into `error`, drawn by `renderError()`. A page
   * that already has an error line of its own passes a setter for it.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly show: (text: string | undefined, e?: unknown) => void = (text, e) => {
      this.error = text;
      this.failure = e;
    },
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** Whether the action of that name is running (to disable its button). */
  isRunning(name: string): boolean {
    return this.running.has(name);
  }

  /** Runs `action` unless the one of that name still runs; its failure is shown, not thrown. */
  async run(name: string, action: () => Promise<unknown>): Promise<void> {
    if (this.running.has(name)) return;
    this.running.add(name);
    this.show(undefined);
    this.host.requestUpdate();
    try {
      await action();
    } catch (e) {
      this.show(errorText(e), e);
    } finally {
      this.running.delete(name);
      this.host.requestUpdate();
    }
  }

  /** An event handler for `@click`/`@submit` that runs `action` through `run`. */
  handler<E extends Event>(name: string, action: (e: E) => Promise<unknown>): (e: E) => void {
    return (e) => void this.run(name, () => action(e));
  }

  /** The error alert, when the last action failed and the default `show` keeps it here. */
  renderError() {
    if (this.error === undefined) return nothing;
    const { message, advice } = (this.failure ?? {}) as { message?: unknown; advice?: unknown };
    // A Problem's advice goes on its own line; anything else is said whole, as errorText has it.
    return typeof advice === 'string' && typeof message === 'string' && message
      ? html`<kmp-alert kind="error" data-testid="action-error" .advice=${advice}>${message}</kmp-alert>`
      : html`<kmp-alert kind="error" data-testid="action-error">${this.error}</kmp-alert>`;
  }
}
