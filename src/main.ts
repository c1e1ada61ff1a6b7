/**
 * Start-up: mounts the shell (the first screen: header and tabs), follows the language, then
 * loads the app layer (src/app/meter-app.ts, which connects the data's stages: session → store
 * → outbox → MQTT) beside the first page's module and hands its services to the shell; last it
 * registers the service worker. The pages and when they load are in ui/pages/index.ts.
 *
 * No top-level await here: the app layer's chunk imports the shell's, so a shell that waited for
 * it while being evaluated would wait for ever.
 */
import './styles.css';
import { AppSettings } from './app/app-settings.ts';
import { registerById } from './kmp/catalogue.ts';
import './ui/kmp-app.ts';
import { followLanguage } from './ui/i18n/localization.ts';
import type { StartedApp } from './ui/services/start-services.ts';

const shell = document.querySelector('kmp-app')!;
const settings = new AppSettings();
followLanguage(settings);

import('./ui/services/start-services.ts').then(
  ({ startServices }) => started(startServices(settings, __APP_VERSION__)),
  (e: unknown) => {
    // The app's files did not arrive (offline before the app was fully installed, an update
    // half-way): the shell says so in the page's place, and a reload when online mends it. The
    // console keeps the browser's own account, for a bug report.
    shell.startFailed = true;
    console.error('kmp-web: the app layer did not load', e);
  },
);

function started({ meterApp, services }: StartedApp): void {
  // Words: the shell says them with say() at each render, so a notice follows a change of language.
  meterApp.notices.subscribe((said) => (shell.notice = said));
  shell.services = services;
  const { session, store, publishing, wakeLock } = meterApp;
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
}
