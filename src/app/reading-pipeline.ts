import type { MeterSession } from '../link/index.ts';
import type { KmpStore } from '../store/kmp-store.ts';
import type { AppSettings } from './app-settings.ts';
import type { Notices } from './notices.ts';
import type { PublishingControl } from './publishing-control.ts';

/**
 * The data's way for readings: each reading the session takes is written to the store first,
 * with its outbox entry while publishing is on, one after the other in the order taken. Only a
 * written reading is handed on (publishing told, `stored` called); a failed write is reported
 * and the reading goes no further, so nothing unsaved is ever published.
 * Returns what stops it.
 */
export function storeReadings(
  session: Pick<MeterSession, 'onReading'>,
  store: Pick<KmpStore, 'saveReading'>,
  publishing: Pick<PublishingControl, 'settings' | 'readingStored'>,
  notices: Notices,
  stored: (serial: number) => void,
): () => void {
  let previous: Promise<unknown> = Promise.resolve();
  return session.onReading((r) => {
    previous = previous.then(() =>
      store.saveReading(r, { outbox: publishing.settings.enabled }).then(
        () => {
          publishing.readingStored();
          stored(r.serial);
        },
        (e: unknown) => notices.report(e),
      ),
    );
  });
}

/**
 * Tells the broker which meter the app is connected to, and about failed reads (never an empty
 * reading); not about the failures alignment and scanning provoke on purpose, nor about a port
 * that was closed or refused, which say nothing about the meter. Returns what stops it.
 */
export function reportMeterEvents(
  session: Pick<MeterSession, 'subscribe' | 'state' | 'activity' | 'identity' | 'lastError'>,
  publishing: Pick<PublishingControl, 'setMeterOnline' | 'readFailed' | 'setActivity'>,
  now: () => number = Date.now,
): () => void {
  let lastError: unknown;
  const tell = () => {
    const connected = session.state.kind === 'connected';
    publishing.setMeterOnline(connected ? session.identity?.serial : undefined);
    publishing.setActivity(!connected ? 'no meter' : session.activity.kind === 'polling' ? 'polling' : 'connected');
    const e = session.lastError;
    if (e === lastError) return;
    lastError = e;
    const serial = session.identity?.serial;
    const deliberate = session.activity.kind === 'aligning' || session.activity.kind === 'scanning';
    if (e && serial !== undefined && !deliberate && e.kind !== 'closed' && e.kind !== 'refused')
      publishing.readFailed(serial, { kind: e.kind, message: e.message, advice: e.advice, at: now() });
  };
  tell();
  return session.subscribe(tell);
}

/** Calls `told` with the interval readings come at: polling's own while it runs, else the chosen one. Returns what stops it. */
export function followPollInterval(
  session: Pick<MeterSession, 'subscribe' | 'activity'>,
  settings: Pick<AppSettings, 'subscribe' | 'values'>,
  told: (intervalMs: number) => void,
): () => void {
  const tell = () => {
    const a = session.activity;
    told(a.kind === 'polling' ? a.intervalMs : settings.values.pollIntervalMs);
  };
  tell();
  const stops = [session.subscribe(tell), settings.subscribe(tell)];
  return () => stops.forEach((stop) => stop());
}
