/**
 * Whether the browser keeps the readings and the outbox under disk pressure. Asked when it
 * starts to matter (polling starts, or station mode is switched on), not at every open: Chrome
 * answers by its own rules, Firefox asks the person, and a question out of nowhere is no help.
 */
import type { Words } from '../kmp/words.ts';
import type { MeterSession } from '../link/index.ts';
import type { AppSettings } from './app-settings.ts';
import { appWords } from './app-words.ts';

/** The browser parts this needs (navigator.storage), so tests can hand in a fake. */
export interface PersistenceStorage {
  persist?(): Promise<boolean>;
  persisted?(): Promise<boolean>;
}

export type PersistenceState = 'unknown' | 'persistent' | 'best-effort' | 'unsupported';

export interface PersistenceView {
  state: PersistenceState;
  /** The state in words, for the Settings page and the station banner. */
  text: Words;
  /** The browser declined: the person may ask again (Firefox asks them; Chrome decides again). */
  canAskAgain: boolean;
}

const TEXT: Record<PersistenceState, Words> = {
  unknown: appWords('app.persistence.unknown'),
  persistent: appWords('app.persistence.persistent'),
  'best-effort': appWords('app.persistence.best-effort'),
  unsupported: appWords('app.persistence.unsupported'),
};

/** The answer about persistent storage, kept and observable; asked at most once per page unless the person asks again. */
export class StoragePersistence {
  private state: PersistenceState;
  private asked = false;
  private readonly listeners = new Set<(v: PersistenceView) => void>();

  constructor(private readonly storage: PersistenceStorage | undefined) {
    this.state = storage?.persist ? 'unknown' : 'unsupported';
  }

  get view(): PersistenceView {
    return { state: this.state, text: TEXT[this.state], canAskAgain: this.state === 'best-effort' };
  }

  /** Calls back with the view now and at each change. */
  subscribe(listener: (v: PersistenceView) => void): () => void {
    this.listeners.add(listener);
    listener(this.view);
    return () => this.listeners.delete(listener);
  }

  /** Reads whether the data is already kept, without asking (an earlier page may have been granted it). */
  async check(): Promise<void> {
    const granted = await this.storage?.persisted?.().catch(() => undefined);
    if (granted) this.set('persistent');
  }

  /** Asks once per page; later calls (every start of polling) do nothing. */
  async request(): Promise<void> {
    if (this.asked || this.state === 'persistent' || this.state === 'unsupported') return;
    await this.askAgain();
  }

  /** Asks now, whatever was answered before: the Settings page's "Ask again". */
  async askAgain(): Promise<void> {
    if (!this.storage?.persist) return;
    this.asked = true;
    const granted = await this.storage.persist().catch(() => false);
    this.set(granted ? 'persistent' : 'best-effort');
  }

  /** Asks when polling starts or station mode is switched on; returns what stops watching. */
  watch(session: Pick<MeterSession, 'activity' | 'subscribe'>, settings: AppSettings): () => void {
    let polling = session.activity.kind === 'polling';
    let station = settings.values.station;
    const stops = [
      session.subscribe(() => {
        const now = session.activity.kind === 'polling';
        if (now && !polling) void this.request();
        polling = now;
      }),
      settings.subscribe((v) => {
        if (v.station && !station) void this.request();
        station = v.station;
      }),
    ];
    if (polling || station) void this.request();
    return () => stops.forEach((stop) => stop());
  }

  private set(state: PersistenceState): void {
    if (state === this.state) return;
    this.state = state;
    const v = this.view;
    for (const l of this.listeners) l(v);
  }
}
