/**
 * The app layer, loaded by main.ts beside the first screen rather than in it: the session, the store, station mode, publishing and the loggers
 * are needed once the page is there to use, not to draw the header and tabs.
 */
import { MeterApp } from '../../app/meter-app.ts';
import type { AppSettings } from '../../app/app-settings.ts';
import { browserNotifier } from '../../app/info-code-watch.ts';
import { BrowserHeads } from '../common/granted-heads.ts';
import { say } from '../i18n/problem-text.ts';
import type { Services } from './context.ts';

export interface StartedApp {
  meterApp: MeterApp;
  services: Services;
}

/** Makes the app layer over the browser's APIs and the services the pages use. */
export function startServices(settings: AppSettings, appVersion: string): StartedApp {
  const serial = 'serial' in navigator ? navigator.serial : undefined;
  const usb = (navigator as Navigator & { usb?: USB }).usb;
  const heads = new BrowserHeads(settings, serial, usb);
  const meterApp = new MeterApp({
    settings,
    heads,
    appVersion,
    pageUrl: location.href,
    wakeLock: { wakeLock: 'wakeLock' in navigator ? navigator.wakeLock : undefined, document },
    // A system notification is worded when it is shown, in the page's language then.
    notifier: browserNotifier(say),
  });
  const services: Services = {
    session: meterApp.session,
    settings,
    serial,
    heads,
    connectHead: (head) => meterApp.connectHead(head),
    startPolling: (registers, intervalMs) => meterApp.startPolling(registers, intervalMs),
    stopPolling: () => meterApp.stopPolling(),
    disconnect: () => meterApp.disconnect(),
    station: meterApp.station,
    version: meterApp.version,
    store: meterApp.store,
    storeProblem: () => meterApp.storeProblem(),
    claimMeter: () => meterApp.claimMeter(),
    publishing: meterApp.publishing,
    wakeLock: meterApp.wakeLock,
    storagePersistence: meterApp.storagePersistence,
    infoWatch: meterApp.infoWatch,
    readingsSaved: meterApp.readingsSaved,
    scan: (candidates, budget) => meterApp.scan(candidates, budget),
    downloadLogger: (logger, registers, options) => meterApp.downloadLogger(logger, registers, options),
    homeAssistant: () => meterApp.homeAssistant(),
    listLoggers: (options) => meterApp.listLoggers(options),
  };
  return { meterApp, services };
}
