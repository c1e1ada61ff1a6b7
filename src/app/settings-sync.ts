import type { KmpStore } from '../store/kmp-store.ts';
import type { AppSettings, SettingsValues } from './app-settings.ts';
import type { Notices } from './notices.ts';

/** The store's key for the app's settings (the broker's have their own, see publishing-control.ts). */
export const APP_SETTING_KEY = 'app';

/**
 * Restores the settings saved last time, then saves every change; a failed save is reported.
 * Returns what stops the saving.
 */
export async function keepSettings(
  settings: AppSettings,
  store: Pick<KmpStore, 'getSetting' | 'putSetting'>,
  notices: Notices,
): Promise<() => void> {
  const saved = await store.getSetting<Partial<SettingsValues>>(APP_SETTING_KEY);
  if (saved) settings.update(saved);
  return settings.subscribe((v) => void store.putSetting(APP_SETTING_KEY, v).catch((e: unknown) => notices.report(e)));
}
