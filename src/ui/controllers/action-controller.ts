import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import { problemParts, problemText } from '../i18n/problem-text.ts';
import '../components/kmp-alert.ts';

/**
 * The one guard for a page's async buttons: an action runs at most once at a time (a second
 * click on a slow button does not start it again), and a failure is always said, never lost as an
 * unhandled rejection.
 */
export class ActionController implements ReactiveController {
  /**
   * The last failure itself, until the next action starts, kept rather than its sentence so
   * that it is worded in the page's language at each render.
   */
  private failure: { error: unknown } | undefined;
  private readonly running = new Set<string>();

  /**
   * @param show where a failure goes; by default into `error`, drawn by `renderError()`. A page
   * that already has an error line of its own passes a setter for it.
   */
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly show: (text: string | undefined, e?: unknown) => void = (text, e) => {
      this.failure = text === undefined ? undefined : { error: e };
    },
  ) {
    host.addController(this);
  }

  hostConnected(): void {}

  /** What the last failed action said (problemText), until the next action starts. */
  get error(): string | undefined {
    return this.failure && problemText(this.failure.error);
  }

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
      this.show(problemText(e), e);
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
    if (!this.failure) return nothing;
    const e = this.failure.error;
    const worded = problemParts(e);
    // A Problem not (yet) in words has only its English message and advice.
    const { message, advice } = (e ?? {}) as { message?: unknown; advice?: unknown };
    const parts =
      worded.advice === undefined && typeof advice === 'string' && typeof message === 'string' && message
        ? { message, advice }
        : worded;
    // A Problem's advice goes on its own line; anything else is said whole, as problemText has it.
    return parts.advice !== undefined
      ? html`<kmp-alert kind="error" data-testid="action-error" .advice=${parts.advice}>${parts.message}</kmp-alert>`
      : html`<kmp-alert kind="error" data-testid="action-error">${parts.message}</kmp-alert>`;
  }
}
