/**
 * The settings file as YAML. Apart from settings-file.ts because of the YAML library (some
 * 30 KB gzip): the Settings page loads this module when YAML is asked for, not when it opens.
 */
import { stringify } from 'yaml';
import { settingsEnvelope } from './settings-file.ts';

/** Settings as YAML for people who keep their configuration in files; the password only when asked. */
export function exportSettingsYaml(settings: object, options: { includePassword?: boolean } = {}): string {
  return stringify(settingsEnvelope(settings, options.includePassword ?? false));
}
