import { parse, YAMLParseError } from 'yaml';
import type { Words } from '../kmp/words.ts';
import { readSeedConfig } from './seed-config.ts';
import { isSettingsExport, readSettingsExport } from './settings-file.ts';
import type { SeedImportResult } from './settings-import-types.ts';
import { importNote, importWords } from './settings-import-words.ts';

/** A settings file is a few kilobytes; anything far larger is not one. */
const MAX_SETTINGS_FILE = 256 * 1024;

const broken = (why: Words): SeedImportResult => ({
  settings: undefined,
  notes: [importNote('file', 'error', why)],
});

/**
 * Reads a settings file: the app's own export (YAML or JSON) or kamstrup-402-mqtt's
 * config.yaml. With the YAML library: the Settings page loads this module when a file is
 * chosen, not when it opens. Nothing is saved here: the result is a preview, one note per field, and the
 * settings to save if the person agrees. Check the broker part with checkImportedBroker first.
 */
export function importSettingsFile(
  text: string,
  resolveParameter: (name: string) => number | undefined,
): SeedImportResult {
  if (text.length > MAX_SETTINGS_FILE) return broken(importWords('store.import.too-large'));
  const modern = parseYaml(text, '1.2');
  if ('error' in modern) return broken(modern.error);
  const doc = modern.doc;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return broken(importWords('store.import.empty'));
  const record = doc as Record<string, unknown>;
  if (record.format === 'kmp-web-export') return broken(importWords('store.import.readings-export'));
  if (record.format !== undefined && !isSettingsExport(record))
    return broken(importWords('store.import.other-format', { format: JSON.stringify(record.format) }));
  if (isSettingsExport(record)) return readSettingsExport(record);
  // The daemon read its file with PyYAML, which follows YAML 1.1: `yes`, `on` and `False` are booleans there.
  const legacy = parseYaml(text, '1.1');
  if ('error' in legacy) return broken(legacy.error);
  return readSeedConfig(legacy.doc as Record<string, unknown>, resolveParameter);
}

function parseYaml(text: string, version: '1.1' | '1.2'): { doc: unknown } | { error: Words } {
  try {
    return { doc: parse(text, { version }) };
  } catch (e) {
    const error = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return {
      error:
        e instanceof YAMLParseError && e.linePos
          ? importWords('store.import.not-yaml.line', { line: e.linePos[0].line, error })
          : importWords('store.import.not-yaml', { error }),
    };
  }
}
