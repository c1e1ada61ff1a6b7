import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** Anything that calls back when it changes: the meter session, the settings, the wake lock … */
export interface Observable {
  subscribe(listener: () => void): () => unknown;
}

/**
 * Re-renders its host whenever its source changes, subscribed while the host is connected.
 * One per source an element shows: the session (state, activity, readings, errors), the
 * settings (saved ones arrive from the store after the first render; one element's edit must
 * show in every other), the wake lock, the info-code watch.
 */
export class RerenderController implements ReactiveController {
  private unsubscribe: (() => unknown) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getSource: () => Observable | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = this.getSource()?.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
