import { createContext } from '@lit/context';
import type { AppSettings } from '../../app/app-settings.ts';
import type { InfoCodeWatch } from '../../app/info-code-watch.ts';
import type { MeterApp } from '../../app/meter-app.ts';
import type { PollingWakeLock } from '../../app/polling-wake-lock.ts';
import type { PublishingControl } from '../../app/publishing-control.ts';
import type { StoragePersistence } from '../../app/storage-persistence.ts';
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
  /** Why storage is unavailable, in plain words. */
  storeProblem: () => string | undefined;
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
  /** Downloads one of the connected meter's loggers into the store, going on from what is stored. */
  downloadLogger: MeterApp['downloadLogger'];
}

export const servicesContext = createContext<Services>(Symbol('kmp-services'));
