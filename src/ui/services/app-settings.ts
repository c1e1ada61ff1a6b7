import { DEFAULT_LIVE_REGISTERS } from '../../kmp/index.ts';
import { KMP_SERIAL, type SerialSettings } from '../../link/index.ts';

/** What the person chose: registers, polling, line settings. Observable; persisted by main.ts. */
export interface SettingsValues {
  registers: number[];
  pollIntervalMs: number;
  serial: SerialSettings;
  firstByteTimeoutMs: number;
  interByteTimeoutMs: number;
  showAllPorts: boolean;
  demoModel: '402' | '403' | '603';
  demoEcho: boolean;
  /** Hold a screen wake lock while polling, so a laptop left by the meter keeps reading. */
  keepScreenOn: boolean;
  /** A system notification when a meter's info code changes (permission asked when turned on). */
  notifyInfoChanges: boolean;
}

export const POLL_PRESETS_MS = [60_000, 5 * 60_000, 15 * 60_000, 25 * 60_000] as const;

export const DEFAULT_SETTINGS: SettingsValues = {
  registers: [...DEFAULT_LIVE_REGISTERS],
  // 15 minutes: well inside the ~30 minutes after which a MULTICAL's optical port sleeps, and gentle on the battery.
  pollIntervalMs: 15 * 60_000,
  serial: KMP_SERIAL,
  firstByteTimeoutMs: 1500,
  interByteTimeoutMs: 200,
  showAllPorts: false,
  demoModel: '403',
  demoEcho: true,
  keepScreenOn: true,
  notifyInfoChanges: false,
};

export class AppSettings {
  private current: SettingsValues;
  private readonly listeners = new Set<(v: SettingsValues) => void>();

  constructor(initial: Partial<SettingsValues> = {}) {
    this.current = { ...DEFAULT_SETTINGS, ...initial };
  }

  get values(): SettingsValues {
    return this.current;
  }

  update(patch: Partial<SettingsValues>): void {
    this.current = { ...this.current, ...patch };
    for (const l of this.listeners) l(this.current);
  }

  subscribe(listener: (v: SettingsValues) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
