import { createContext } from '@lit/context';
import type { AppSettings } from '../../app/app-settings.ts';
import type { InfoCodeWatch } from '../../app/info-code-watch.ts';
import type { MeterApp } from '../../app/meter-app.ts';
import type { PollingWakeLock } from '../../app/polling-wake-lock.ts';
import type { PublishingControl } from '../../app/publishing-control.ts';
import type { Station } from '../../app/station.ts';
import type { StoragePersistence } from '../../app/storage-persistence.ts';
import type { BrowserHeads } from '../common/granted-heads.ts';
import type { MeterSession } from '../../link/index.ts';
import type { KmpStore } from '../../store/index.ts';
import type { Observable } from '../controllers/subscription-controller.ts';

/**
 * The app-wide services handed to deep elements through @lit/context, so no element needs
 * them passed down by hand. main.ts hands them over from the app layer (src/app/meter-app.ts).
 */
export interface Services {
  session: MeterSession;
  settings: AppSettings;
  /** navigator.serial, or undefined where the browser has none. */
  serial: Serial | undefined;
  /** App version, for the diagnostics bundle. */
  version: string;
  /** The database; undefined when storage is unavailable (see storeProblem). */
  store: Promise<KmpStore | undefined>;
  /** Why storage is unavailable, in words (say them with say()). */
  storeProblem: MeterApp['storeProblem'];
  /** Takes the one-tab meter lock; false while another tab of the app is connected to a meter. */
  claimMeter: () => Promise<boolean>;
  /** MQTT publishing: settings, connection state, the outbox. */
  publishing: PublishingControl;
  /** Notices info-code changes between readings. */
  infoWatch: InfoCodeWatch;
  /** Whether the browser keeps the data under disk pressure; asked when polling or station mode starts. */
  storagePersistence: StoragePersistence;
  /** Keeps the screen on while polling. */
  wakeLock: PollingWakeLock;
  /** Calls back with the meter's serial each time a reading has been written to the store. */
  readingsSaved: Observable<[serial: number]>;
  /** Scans the connected meter's registers and keeps the result as its last scan. */
  scan: MeterApp['scan'];
  /** The heads allowed before, and how a chosen port becomes a head. */
  heads: BrowserHeads;
  /** Connects through a head, identifies the meter and goes on with what was asked (see head-connection.ts). */
  connectHead: MeterApp['connectHead'];
  /** Polling started and stopped by hand, kept so that a reload or a replug goes on with it. */
  startPolling: MeterApp['startPolling'];
  stopPolling: MeterApp['stopPolling'];
  /** Disconnects by hand: polling is no longer wanted either. */
  disconnect: MeterApp['disconnect'];
  /** Station mode's view, once the store is open. */
  station: Promise<Station | undefined>;
  /** Downloads one of the connected meter's loggers into the store, going on from what is stored. */
  downloadLogger: MeterApp['downloadLogger'];
  /** "Send to Home Assistant" (statistics), loaded on first use. */
  homeAssistant: MeterApp['homeAssistant'];
  /** Reads which loggers the connected meter has and keeps the list with it. */
  listLoggers: MeterApp['listLoggers'];
}

export const servicesContext = createContext<Services>(Symbol('kmp-services'));
