/**
 * The broker part of a settings import (settings-import.ts): checked as saving will check it.
 * Apart from the file's reading, which needs the YAML library, so that the Settings page has it
 * from the start.
 */
import type { Words } from '../kmp/words.ts';
import type { ImportNote, MqttDraft, SeedImportResult } from './settings-import-types.ts';
import { skipPart } from './settings-import-notes.ts';

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
