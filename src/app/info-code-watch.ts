import { fill, type Words } from '../kmp/words.ts';
import { infoModelOf, type MeterSession } from '../link/index.ts';
import { appWords } from './app-words.ts';
import { INFO_CODE_TABLES_MISSING, loadInfoCodeTables, loadedInfoCodeTables } from './info-code-tables.ts';
import type { AppSettings } from './app-settings.ts';

const INFO_CODE = 99;

type InfoSummary = ReturnType<typeof import('../kmp/info-codes.ts').decodeInfoCode>['summary'] | Words;

export interface InfoCodeChange {
  serial: number;
  from: number;
  to: number;
  at: number;
  /** The new code in plain words (the codec's summary, or words when its tables did not load). */
  summary: InfoSummary;
}

/** How a change reaches the person when they asked for it: a system notification in the app. */
export interface Notifier {
  permission(): NotificationPermission | 'unsupported';
  request(): Promise<NotificationPermission | 'unsupported'>;
  /** Title and body in words: the notifier says them in the page's language. */
  show(title: Words, body: InfoSummary): void;
}

/**
 * Watches the info code from reading to reading: a laptop left polling overnight is the only
 * alarm a person without Home Assistant has for a leak, a failed sensor or a low battery.
 * A change is shown in the app; with the setting on and permission given, also as a system
 * notification. The first code seen for a meter is its starting point, not a change.
 */
export class InfoCodeWatch {
  lastChange: InfoCodeChange | undefined;
  private readonly seen = new Map<number, number>();
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly session: MeterSession,
    private readonly settings: AppSettings,
    private readonly notifier: Notifier,
  ) {
    session.onReading((r) => {
      const info = r.values.find((v) => v.id === INFO_CODE);
      if (!info) return;
      const before = this.seen.get(r.serial);
      this.seen.set(r.serial, info.value);
      // The meter's first code: the tables load now, so that a change is put in words at once.
      if (before === undefined) void loadInfoCodeTables().catch(() => undefined);
      if (before === undefined || before === info.value) return;
      const change = { serial: r.serial, from: before, to: info.value, at: r.takenAt };
      const model = infoModelOf(this.session.identity?.model);
      const tables = loadedInfoCodeTables();
      if (tables) this.report({ ...change, summary: tables.decodeInfoCode(info.value, model).summaryWords });
      else
        void loadInfoCodeTables().then(
          (t) => this.report({ ...change, summary: t.decodeInfoCode(info.value, model).summaryWords }),
          // Still said: a change of info code is the alarm, its words are secondary.
          () => this.report({ ...change, summary: INFO_CODE_TABLES_MISSING }),
        );
    });
  }

  private report(change: InfoCodeChange): void {
    this.lastChange = change;
    if (this.settings.values.notifyInfoChanges && this.notifier.permission() === 'granted')
      this.notifier.show(
        appWords('app.info-code.notification', {
          serial: String(change.serial),
          from: String(change.from),
          to: String(change.to),
        }),
        change.summary,
      );
    this.emit();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dismiss(): void {
    this.lastChange = undefined;
    this.emit();
  }

  /** Turns notifications on (asking the browser first) or off; says why when it cannot. */
  async setNotify(on: boolean): Promise<Words | undefined> {
    if (!on) {
      this.settings.update({ notifyInfoChanges: false });
      return undefined;
    }
    const permission = this.notifier.permission() === 'granted' ? 'granted' : await this.notifier.request();
    if (permission === 'granted') {
      this.settings.update({ notifyInfoChanges: true });
      return undefined;
    }
    this.settings.update({ notifyInfoChanges: false });
    return permission === 'unsupported' ? appWords('app.notify.unsupported') : appWords('app.notify.denied');
  }

  private emit(): void {
    for (const l of this.listeners) l();
  }
}

/**
 * The browser's Notification API, or 'unsupported' where there is none. `say` words the title and
 * body (the page's language, given by main.ts; English unless given).
 */
export function browserNotifier(say: (said: unknown) => string = english): Notifier {
  const N = globalThis.Notification as typeof Notification | undefined;
  return {
    permission: () => (N ? N.permission : 'unsupported'),
    request: async () => (N ? N.requestPermission() : 'unsupported'),
    show: (title, body) => {
      if (N) new N(say(title), { body: say(body), tag: 'kmp-info-code' });
    },
  };
}

function english(said: unknown): string {
  return typeof said === 'string' ? said : fill(said as Words);
}
