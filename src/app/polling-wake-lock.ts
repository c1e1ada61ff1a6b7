import type { MeterSession } from '../link/index.ts';
import { fill, type Words } from '../kmp/words.ts';
import type { AppSettings } from './app-settings.ts';
import { appWords, problemWords } from './app-words.ts';

export type WakeLockState =
  | { kind: 'off' }
  | { kind: 'held' }
  /** Wanted but refused or missing: polling goes on only while the computer stays awake. */
  | { kind: 'unavailable'; reason: Words };

/** The parts of the browser this needs (navigator.wakeLock, document), so tests can hand in fakes. */
export interface WakeLockEnv {
  wakeLock:
    | {
        request(
          type: 'screen',
        ): Promise<{ release(): Promise<void>; addEventListener(type: 'release', l: () => void): void }>;
      }
    | undefined;
  document: Pick<Document, 'visibilityState' | 'addEventListener'>;
}

/**
 * Keeps the screen on while the app polls, when the person wants it (on by default): a laptop
 * left by the meter that goes to sleep stops polling, and by the time it wakes the meter's
 * optical port has gone to sleep too. The browser drops the lock whenever the page is hidden,
 * so it is asked for again each time the page is visible and polling still runs.
 */
export class PollingWakeLock {
  state: WakeLockState = { kind: 'off' };
  private sentinel: { release(): Promise<void> } | undefined;
  private asking = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly session: MeterSession,
    private readonly settings: AppSettings,
    private readonly env: WakeLockEnv,
  ) {
    session.subscribe(() => void this.sync());
    settings.subscribe(() => void this.sync());
    env.document.addEventListener('visibilitychange', () => void this.sync());
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private wanted(): boolean {
    return this.session.activity.kind === 'polling' && this.settings.values.keepScreenOn;
  }

  private async sync(): Promise<void> {
    if (!this.wanted()) {
      const held = this.sentinel;
      this.sentinel = undefined;
      this.set({ kind: 'off' });
      await held?.release().catch(() => undefined);
      return;
    }
    if (this.sentinel || this.asking || this.env.document.visibilityState !== 'visible') return;
    if (!this.env.wakeLock) {
      this.set({ kind: 'unavailable', reason: appWords('app.wake-lock.unsupported') });
      return;
    }
    this.asking = true;
    try {
      const sentinel = await this.env.wakeLock.request('screen');
      sentinel.addEventListener('release', () => {
        if (this.sentinel !== sentinel) return;
        this.sentinel = undefined;
        // Released by the browser (page hidden, battery saver): off until it can be asked again.
        this.set(this.wanted() ? { kind: 'unavailable', reason: appWords('app.wake-lock.released') } : { kind: 'off' });
      });
      this.sentinel = sentinel;
      this.set({ kind: 'held' });
      // Polling may have stopped while the request was pending.
      if (!this.wanted()) await this.sync();
    } catch (e) {
      this.set({ kind: 'unavailable', reason: problemWords(e) });
    } finally {
      this.asking = false;
    }
  }

  private set(state: WakeLockState): void {
    if (
      state.kind === this.state.kind &&
      (state.kind !== 'unavailable' ||
        (this.state.kind === 'unavailable' && fill(this.state.reason) === fill(state.reason)))
    )
      return;
    this.state = state;
    for (const l of this.listeners) l();
  }
}
