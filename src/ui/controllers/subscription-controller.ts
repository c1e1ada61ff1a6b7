import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Anything that calls back when it changes: the meter session, the settings, the wake lock … */
export interface Observable<A extends unknown[] = []> {
  subscribe(listener: (...change: A) => void): () => unknown;
}

/**
 * The one way an element follows a service: subscribed while the host is connected, and again
 * whenever the source itself changes (the shell gets its services after it is connected).
 *
 * Without `onChange` every change re-renders the host: the session (state, activity, readings,
 * errors), the settings (saved ones arrive from the store after the first render; one
 * element's edit must show in every other), the wake lock, the info-code watch. With `onChange`
 * the change is handed over instead and the host decides (keep a copy in a @state field, batch
 * a burst of frames into one render).
 */
export class SubscriptionController<A extends unknown[] = []> implements ReactiveController {
  private source: Observable<A> | undefined;
  private unsubscribe: (() => unknown) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getSource: () => Observable<A> | undefined,
    private readonly onChange?: (...change: A) => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.follow();
  }

  /** Before each render: a source handed over since (the shell's services) is subscribed to now. */
  hostUpdate(): void {
    this.follow();
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.source = undefined;
  }

  private follow(): void {
    const source = this.getSource();
    if (source === this.source) return;
    this.unsubscribe?.();
    this.source = source;
    this.unsubscribe = source?.subscribe((...change: A) =>
      this.onChange ? this.onChange(...change) : this.host.requestUpdate(),
    );
  }
}
