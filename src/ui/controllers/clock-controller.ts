import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** The current time, refreshed every `periodMs` while the host is on the page, for countdowns. */
export class ClockController implements ReactiveController {
  now = Date.now();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly periodMs = 1000,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.timer = setInterval(() => {
      this.now = Date.now();
      this.host.requestUpdate();
    }, this.periodMs);
  }

  hostDisconnected(): void {
    clearInterval(this.timer);
  }
}
