/**
 * Wiring: creates the services, mounts the app, registers the service worker. Pages with heavy
 * code (history chart, MQTT) are registered as lazy pages and loaded only when opened.
 */
import './styles.css';
import { registerSW } from 'virtual:pwa-register';
import { MeterSession } from './link/index.ts';
import { AppSettings } from './ui/app-settings.ts';
import './ui/kmp-app.ts';

const session = new MeterSession();
const settings = new AppSettings();
const app = document.querySelector('kmp-app')!;
app.services = { session, settings, serial: 'serial' in navigator ? navigator.serial : undefined, version: __APP_VERSION__ };

// Exposed for the end-to-end tests and for curious people in the console.
Object.assign(globalThis, { kmpSession: session });

if ('serviceWorker' in navigator && import.meta.env.PROD) {
  const updateSW = registerSW({
    onNeedRefresh() {
      app.applyUpdate = async () => {
        // Never reload under an open meter session; the banner offers it again after disconnecting.
        if (session.state.kind !== 'connected') await updateSW(true);
      };
    },
  });
}
