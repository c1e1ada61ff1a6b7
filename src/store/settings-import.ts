import { parse, YAMLParseError } from 'yaml';
import type { Words } from '../kmp/words.ts';
import { readSeedConfig } from './seed-config.ts';
import { isSettingsExport, readSettingsExport } from './settings-file.ts';
import type { ImportNote, MqttDraft, SeedImportResult } from './settings-import-types.ts';
import { skipPart } from './settings-import-notes.ts';
import { importNote, importWords } from './settings-import-words.ts';

/** A settings file is a few kilobytes; anything far larger is not one. */
const MAX_SETTINGS_FILE = 256 * 1024;

const broken = (why: Words): SeedImportResult => ({
  settings: undefined,
  notes: [importNote('file', 'error', why)],
});

/**
 * Reads a settings file: the app's own export (YAML or JSON) or kamstrup-402-mqtt's
 * config.yaml. Nothing is saved here: the result is a preview, one note per field, and the
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

/** The broker settings Apply saves: the import's fields over the saved ones. The preview checks exactly this. */
export function mqttAfterImport<T extends object>(saved: T, draft: MqttDraft): T & MqttDraft {
  return { ...saved, ...draft };
}

/** The shape of src/mqtt's checkMqttSettings, which the store may not import: the UI passes it in. */
export type BrokerSettingsCheck = (
  candidate: Record<string, unknown>,
) => { ok: true } | { ok: false; problems: ReadonlyArray<{ field: string; message: string; words: Words }> };

/**
 * Checks the broker part of a preview the way saving will check it (merged over the saved
 * settings), so the preview never shows as "mapped" what Apply then refuses. When the check
 * fails the broker part is dropped and each problem becomes an error on the file's field.
 */
export function checkImportedBroker(
  result: SeedImportResult,
  saved: object,
  check: BrokerSettingsCheck,
): SeedImportResult {
  const draft = result.settings?.mqtt;
  if (!draft) return result;
  const verdict = check(mqttAfterImport(saved as Record<string, unknown>, draft));
  if (verdict.ok) return result;
  const sources = result.mqttSources ?? {};
  const errors: ImportNote[] = verdict.problems.map((p) => ({
    field: sources[p.field as keyof MqttDraft] ?? `saved mqtt.${p.field}`,
    level: 'error',
    message: p.message,
    words: p.words,
  }));
  const { mqtt: _dropped, ...rest } = result.settings!;
  return {
    ...result,
    settings: rest,
    notes: [...skipPart(result.notes, 'mqtt.', new Set(errors.map((e) => e.field))), ...errors],
  };
}
