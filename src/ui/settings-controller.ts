import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { AppSettings } from './app-settings.ts';

/**
 * Re-renders its host whenever the app settings change: the saved settings arrive from the
 * store after the first render, and one element's edit (Defaults, a config.yaml import) must
 * show in every other element that displays the same setting.
 */
export class SettingsController implements ReactiveController {
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly getSettings: () => AppSettings | undefined,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.unsubscribe = this.getSettings()?.subscribe(() => this.host.requestUpdate());
  }

  hostDisconnected(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }
}
