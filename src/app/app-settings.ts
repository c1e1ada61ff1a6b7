// Straight from the modules, not the layers' indexes: the settings are in the first screen
// (the language follows them), the rest of those layers is not.
import { DEFAULT_LIVE_REGISTERS } from '../kmp/catalogue.ts';
import { MAX_POLL_INTERVAL_MS, MIN_POLL_INTERVAL_MS } from '../kmp/polling.ts';
import { KMP_SERIAL, type SerialSettings } from '../link/web-serial.ts';
import { LANGUAGE_CHOICES, type LanguageChoice } from '../store/settings-import-types.ts';

/**
 * Which browser API the Connect button uses. Web Serial where the browser's own drivers reach the
 * head (Chrome and Edge on a computer); WebUSB with our drivers (src/usb) on Android, whose Web
 * Serial drives USB CDC-ACM devices only and so lists none of the FTDI, CP210x, CH34x or PL2303
 * chips in almost every IR head. Our WebUSB path drives CDC-ACM heads too, so on a phone it is
 * the one chooser for every head.
 */
export type ConnectVia = 'auto' | 'web-serial' | 'webusb';

/** What the person chose: registers, polling, line settings. Observable; the app keeps it in the store. */
export interface SettingsValues {
  registers: number[];
  pollIntervalMs: number;
  serial: SerialSettings;
  firstByteTimeoutMs: number;
  interByteTimeoutMs: number;
  showAllPorts: boolean;
  /** Which browser API Connect uses: 'auto' is WebUSB on Android (its Web Serial drives CDC-ACM only), else Web Serial. */
  connectVia: ConnectVia;
  demoModel: '402' | '403' | '603';
  demoEcho: boolean;
  /** Hold a screen wake lock while polling, so a laptop left by the meter keeps reading. */
  keepScreenOn: boolean;
  /** A system notification when a meter's info code changes (permission asked when turned on). */
  notifyInfoChanges: boolean;
  /**
   * Station mode: the person wants the app to keep reading by itself, on a machine left by the
   * meter. Off by default. So far it only asks the browser to keep the data (see
   * storage-persistence.ts); reconnecting on open and on replug is not built yet.
   */
  station: boolean;
  /** The language of the page: 'auto' follows the browser (src/ui/i18n/localization.ts). */
  language: LanguageChoice;
}

export const POLL_PRESETS_MS = [MIN_POLL_INTERVAL_MS, 5 * 60_000, 15 * 60_000, 25 * 60_000] as const;

/**
 * A polling interval as settings keep it, however it got there (an import, a restore, a value an
 * older version stored): within [MIN_POLL_INTERVAL_MS, MAX_POLL_INTERVAL_MS], whole milliseconds;
 * undefined for something that is not a number at all, which is then not taken.
 */
export function pollIntervalWithinLimits(ms: unknown): number | undefined {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return undefined;
  return Math.round(Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, ms)));
}

export const DEFAULT_SETTINGS: SettingsValues = {
  registers: [...DEFAULT_LIVE_REGISTERS],
  // 15 minutes: well inside the ~30 minutes after which a MULTICAL's optical port sleeps, and gentle on the battery.
  pollIntervalMs: 15 * 60_000,
  serial: KMP_SERIAL,
  firstByteTimeoutMs: 1500,
  interByteTimeoutMs: 200,
  showAllPorts: false,
  connectVia: 'auto',
  demoModel: '403',
  demoEcho: true,
  keepScreenOn: true,
  notifyInfoChanges: false,
  station: false,
  language: 'auto',
};

export class AppSettings {
  private current: SettingsValues;
  private readonly listeners = new Set<(v: SettingsValues) => void>();

  constructor(initial: Partial<SettingsValues> = {}) {
    this.current = { ...DEFAULT_SETTINGS, ...withinLimits(initial, DEFAULT_SETTINGS) };
  }

  get values(): SettingsValues {
    return this.current;
  }

  /** Every change passes here, so a value no timer should run (a poll every 300 ms) never gets in. */
  update(patch: Partial<SettingsValues>): void {
    this.current = { ...this.current, ...withinLimits(patch, this.current) };
    for (const l of this.listeners) l(this.current);
  }

  subscribe(listener: (v: SettingsValues) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function withinLimits(patch: Partial<SettingsValues>, current: SettingsValues): Partial<SettingsValues> {
  let out = patch;
  if ('pollIntervalMs' in patch)
    out = { ...out, pollIntervalMs: pollIntervalWithinLimits(patch.pollIntervalMs) ?? current.pollIntervalMs };
  // A language this version does not speak (saved by a newer one) keeps the current choice.
  if ('language' in patch && !(LANGUAGE_CHOICES as readonly unknown[]).includes(patch.language))
    out = { ...out, language: current.language };
  return out;
}
