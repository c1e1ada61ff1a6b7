/**
 * What a settings import yields: the settings to save, and one note per field of the file saying
 * what happens to it. Shared by the config.yaml reader and the reader of the app's own export.
 */
import type { Words } from '../kmp/words.ts';

/**
 * The languages the app speaks (src/ui/i18n), and 'auto': the browser's first of them, else English.
 * Here, below the app, because settings files carry the choice.
 */
export const LANGUAGE_CHOICES = ['auto', 'en', 'da', 'de', 'nl', 'sv'] as const;
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

/** Broker fields an import sets, under MqttSettings' own names so they can be spread over the saved settings. */
export interface MqttDraft {
  enabled?: boolean;
  url?: string;
  clientId?: string;
  username?: string;
  password?: string;
  keepaliveS?: number;
  qos?: 0 | 1 | 2;
  retain?: boolean;
  baseTopic?: string;
  discovery?: boolean;
  discoveryPrefix?: string;
}

/** The person's app settings an import sets, under the settings page's own names. */
export interface AppSettingsDraft {
  registers?: number[];
  pollIntervalMs?: number;
  serial?: { baudRate: number; dataBits: 7 | 8; stopBits: 1 | 2; parity: 'none' | 'even' | 'odd' };
  firstByteTimeoutMs?: number;
  interByteTimeoutMs?: number;
  showAllPorts?: boolean;
  connectVia?: 'auto' | 'web-serial' | 'webusb';
  demoModel?: '402' | '403' | '603';
  demoEcho?: boolean;
  keepScreenOn?: boolean;
  notifyInfoChanges?: boolean;
  station?: boolean;
  language?: LanguageChoice;
}

/** Settings taken over from a file. A part that is absent is left as it is. */
export interface ImportedSettings {
  /** Every broker field the import covers. Undefined when the file names no broker or its broker part has an error. */
  mqtt?: MqttDraft;
  app?: AppSettingsDraft;
}

/**
 * mapped: saved as the message says. changed: saved, but differently from the file (and why).
 * cleared: a saved value is emptied. ignored: the file's value does not apply and is not saved.
 * skipped: valid, but not saved because another field of its part has an error. error: refused.
 */
export type ImportNoteLevel = 'mapped' | 'changed' | 'cleared' | 'ignored' | 'skipped' | 'error';

export interface ImportNote {
  /** Where in the file: `mqtt.qos`, `kamstrup.poll_interval`, `app.registers`. */
  field: string;
  level: ImportNoteLevel;
  /** What happens to the field, in English (`words` filled in). */
  message: string;
  /** The same as words (settings-import-words.ts), for the UI to say in the reader's language. */
  words: Words;
}

export type SettingsFileKind = 'kamstrup-402-mqtt' | 'kmp-web-settings';

export interface SeedImportResult {
  /** Which kind of file it was; undefined when it could not be read at all. */
  source?: SettingsFileKind;
  /** Only the parts that are valid; undefined when the file itself is broken. Apply it only if the person agrees. */
  settings: ImportedSettings | undefined;
  notes: ImportNote[];
  /** For each broker field in `settings.mqtt`, the field of the file it came from (to name it in a problem). */
  mqttSources?: Partial<Record<keyof MqttDraft, string>>;
}

export { describeValue } from './describe-value.ts';
