/**
 * Start-up: creates the app layer (src/app/meter-app.ts, which connects the data's stages:
 * session → store → outbox → MQTT), hands its services to the shell, mounts it and registers
 * the service worker. The pages and which of them load on demand are in ui/pages/index.ts.
 */
import './styles.css';
import { MeterApp } from './app/meter-app.ts';
import { registerById } from './kmp/index.ts';
import { BrowserHeads } from './ui/common/granted-heads.ts';
import { AppSettings } from './app/app-settings.ts';
import './ui/kmp-app.ts';
import { followLanguage } from './ui/i18n/localization.ts';
import { say } from './ui/i18n/problem-text.ts';
import { browserNotifier } from './app/info-code-watch.ts';

const shell = document.querySelector('kmp-app')!;
const serial = 'serial' in navigator ? navigator.serial : undefined;
const usb = (navigator as Navigator & { usb?: USB }).usb;
const settings = new AppSettings();
followLanguage(settings);
const heads = new BrowserHeads(settings, serial, usb);
const meterApp = new MeterApp({
  settings,
  heads,
  appVersion: __APP_VERSION__,
  pageUrl: location.href,
  wakeLock: { wakeLock: 'wakeLock' in navigator ? navigator.wakeLock : undefined, document },
  // A system notification is worded when it is shown, in the page's language then.
  notifier: browserNotifier(say),
});
// Words: the shell says them with say() at each render, so a notice follows a change of language.
meterApp.notices.subscribe((said) => (shell.notice = said));
const { session, store, publishing, wakeLock } = meterApp;

shell.services = {
  session,
  settings,
  serial,
  heads,
  connectHead: (head) => meterApp.connectHead(head),
  startPolling: (registers, intervalMs) => meterApp.startPolling(registers, intervalMs),
  stopPolling: () => meterApp.stopPolling(),
  disconnect: () => meterApp.disconnect(),
  station: meterApp.station,
  version: meterApp.version,
  store,
  storeProblem: () => meterApp.storeProblem(),
  claimMeter: () => meterApp.claimMeter(),
  publishing,
  wakeLock,
  storagePersistence: meterApp.storagePersistence,
  infoWatch: meterApp.infoWatch,
  readingsSaved: meterApp.readingsSaved,
  scan: (candidates, budget) => meterApp.scan(candidates, budget),
  downloadLogger: (logger, registers, options) => meterApp.downloadLogger(logger, registers, options),
  homeAssistant: () => meterApp.homeAssistant(),
  listLoggers: (options) => meterApp.listLoggers(options),
};

// Exposed for the end-to-end tests and for curious people in the console. Publishing only as a
// handle of closures: the control itself leads to the connection, which holds the broker password.
const publishingHandle = {
  get settings() {
    return publishing.settings;
  },
  get view() {
    return publishing.view;
  },
  save: (input: unknown) => publishing.save(input),
  subscribe: (listener: Parameters<typeof publishing.subscribe>[0]) => publishing.subscribe(listener),
};
Object.assign(globalThis, {
  kmpSession: session,
  kmpStore: store,
  kmpPublishing: publishingHandle,
  kmpStoragePersistence: meterApp.storagePersistence,
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
          shell.applyUpdate = async () => {
            // Never reload under an open meter session; the banner offers it again after disconnecting.
            if (session.state.kind !== 'connected') await updateSW(true);
          };
        },
      });
    },
    () => undefined,
  );
}
