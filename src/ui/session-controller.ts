import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { MeterSession } from '../link/index.ts';

/** Re-renders its host whenever the meter session changes (state, activity, readings, errors). */
export class SessionController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getSession: () => MeterSession | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = this.getSession()?.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
