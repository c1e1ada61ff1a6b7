/**
 * Wiring: creates the services, connects the stages (session → store → outbox → MQTT), mounts
 * the app and registers the service worker. The pages and which of them load on demand are in
 * ui/pages/index.ts.
 */
import './styles.css';
import { registerById } from './kmp/index.ts';
import { MeterSession } from './link/index.ts';
// Straight from the modules, not the store's index: that also re-exports the YAML import,
// which must stay out of the first screen's bundle.
import { KmpStore } from './store/kmp-store.ts';
import { StoreError } from './store/store-error.ts';
import { acquireMeterLock, type MeterLock } from './store/tab-lock.ts';
import { AppSettings, type SettingsValues } from './app/app-settings.ts';
import { InfoCodeWatch, browserNotifier } from './app/info-code-watch.ts';
import { meterRecordOf } from './app/meter-record.ts';
import { PollingWakeLock } from './app/polling-wake-lock.ts';
import { PublishingControl } from './app/publishing-control.ts';
import './ui/kmp-app.ts';

const session = new MeterSession();
const settings = new AppSettings();
const app = document.querySelector('kmp-app')!;

let storeProblem: string | undefined;
const store: Promise<KmpStore | undefined> = KmpStore.open({
  onVersionChange: () =>
    (app.notice = 'kmp-web was updated in another tab or window. Reload this one to keep saving readings.'),
}).catch((e: unknown) => {
  storeProblem = e instanceof StoreError ? e.message : `Storage is not available: ${String(e)}`;
  return undefined;
});

const publishing = new PublishingControl(store, __APP_VERSION__, location.href);
const infoWatch = new InfoCodeWatch(session, settings, browserNotifier());
const wakeLock = new PollingWakeLock(session, settings, {
  wakeLock: 'wakeLock' in navigator ? navigator.wakeLock : undefined,
  document,
});

// Views that show stored readings (History) follow new ones as they are written.
const savedListeners = new Set<(serial: number) => void>();

let lock: MeterLock | undefined;
app.services = {
  session,
  settings,
  serial: 'serial' in navigator ? navigator.serial : undefined,
  version: __APP_VERSION__,
  store,
  storeProblem: () => storeProblem,
  claimMeter: async () => (lock ??= await acquireMeterLock()) !== undefined,
  publishing,
  wakeLock,
  infoWatch,
  readingsSaved: {
    subscribe: (listener) => {
      savedListeners.add(listener);
      return () => savedListeners.delete(listener);
    },
  },
};

// The meter lock goes with the connection.
session.subscribe(() => {
  if (lock && (session.state.kind === 'disconnected' || session.state.kind === 'failed')) {
    lock.release();
    lock = undefined;
  }
});

void store.then(async (db) => {
  if (!db) return;
  // Settings: restore what was saved, then save every change.
  const saved = await db.getSetting<Partial<SettingsValues>>('app');
  if (saved) settings.update(saved);
  settings.subscribe(
    (v) =>
      void db.putSetting('app', v).catch((e: unknown) => (app.notice = e instanceof Error ? e.message : String(e))),
  );
  // Readings are written before anything else happens to them (with their outbox entry when
  // publishing is on); a failed write is said, not hidden, and nothing unsaved is published.
  session.onReading((r) => {
    db.saveReading(r, { outbox: publishing.settings.enabled })
      .then(() => {
        publishing.readingStored();
        for (const listener of savedListeners) listener(r.serial);
      })
      .catch((e: unknown) => (app.notice = e instanceof Error ? e.message : String(e)));
  });
  // The broker hears which meter the app is connected to, and about failed reads (never an
  // empty reading); not about the failures alignment and scanning provoke on purpose.
  let lastError: unknown;
  session.subscribe(() => {
    publishing.setMeterOnline(session.state.kind === 'connected' ? session.identity?.serial : undefined);
    const e = session.lastError;
    if (e === lastError) return;
    lastError = e;
    const serial = session.identity?.serial;
    const deliberate = session.activity.kind === 'aligning' || session.activity.kind === 'scanning';
    if (e && serial !== undefined && !deliberate && e.kind !== 'closed' && e.kind !== 'refused')
      publishing.readFailed(serial, { kind: e.kind, message: e.message, advice: e.advice, at: Date.now() });
  });
  void publishing
    .init()
    .catch((e: unknown) => (app.notice = `Publishing could not start: ${e instanceof Error ? e.message : String(e)}`));
  // Identity and scan results are remembered per meter serial.
  let lastIdentity: unknown;
  session.subscribe(() => {
    const id = session.identity;
    if (id && id !== lastIdentity) {
      lastIdentity = id;
      void db.putMeter(meterRecordOf(id));
    }
  });
  app.addEventListener('kmp-scan-done', (e) => {
    const serial = session.identity?.serial;
    if (serial !== undefined) void db.putMeter({ serial, lastScan: e.detail });
  });
  // The frame log is kept too (capped), in batches so a burst of frames is one write.
  let pending: Parameters<KmpStore['appendFrames']>[0][number][] = [];
  session.log.subscribe((entry) => {
    pending.push({
      at: entry.at,
      dir: entry.dir,
      kind: entry.kind,
      hex: entry.hex,
      decoded: entry.decoded,
      ...(entry.crcOk !== undefined ? { crcOk: entry.crcOk } : {}),
      ...(entry.replyMs !== undefined ? { replyMs: entry.replyMs } : {}),
    });
    if (pending.length === 1)
      setTimeout(() => {
        const batch = pending;
        pending = [];
        void db.appendFrames(batch).catch(() => undefined);
      }, 2000);
  });
  void db.requestPersistence();
});

// Exposed for the end-to-end tests and for curious people in the console.
Object.assign(globalThis, {
  kmpSession: session,
  kmpStore: store,
  kmpPublishing: publishing,
  kmpWakeLock: wakeLock,
  kmpRegisterById: registerById,
});

// The registration code loads after the first screen: the service worker registers at the
// page's load event in any case. Should it not load, this start runs without offline support
// or update offers, as when the worker itself fails to register; the next start tries again.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  void import('virtual:pwa-register').then(
    ({ registerSW }) => {
      const updateSW = registerSW({
        onNeedRefresh() {
          app.applyUpdate = async () => {
            // Never reload under an open meter session; the banner offers it again after disconnecting.
            if (session.state.kind !== 'connected') await updateSW(true);
          };
        },
      });
    },
    () => undefined,
  );
}
