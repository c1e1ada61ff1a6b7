import type { Words, WordsParam } from '../kmp/words.ts';
import { describeValueWords } from './describe-value.ts';
import {
  LANGUAGE_CHOICES,
  type AppSettingsDraft,
  type ImportNote,
  type ImportedSettings,
  type MqttDraft,
  type SeedImportResult,
} from './settings-import-types.ts';
import { skipPart } from './settings-import-notes.ts';
import { importNote, importWords, pollIntervalProblem, type ImportSentence } from './settings-import-words.ts';

/** The app's own settings file: `{format, schemaVersion, app, mqtt}`, in YAML or JSON. */
export const SETTINGS_FORMAT = 'kmp-web-settings';
export const SETTINGS_SCHEMA_VERSION = 1;

export function exportSettingsJson(settings: object, options: { includePassword?: boolean } = {}): string {
  return JSON.stringify(settingsEnvelope(settings, options.includePassword ?? false), null, 2);
}

/** What a settings file holds: the format, its version and the settings, the password only when kept. */
export function settingsEnvelope(settings: object, keepPassword: boolean): object {
  const plain = JSON.parse(
    JSON.stringify(settings, (k, v: unknown) => (!keepPassword && /password/i.test(k) ? undefined : v)),
  ) as object;
  return { format: SETTINGS_FORMAT, schemaVersion: SETTINGS_SCHEMA_VERSION, ...plain };
}

/** Whether a parsed file is one of ours (older exports carry no `format`, but an `app` group or a broker `url`). */
export function isSettingsExport(doc: Record<string, unknown>): boolean {
  if (doc.format !== undefined) return doc.format === SETTINGS_FORMAT;
  const mqtt = doc.mqtt;
  return (
    typeof doc.app === 'object' || (typeof mqtt === 'object' && mqtt !== null && 'url' in mqtt && !('host' in mqtt))
  );
}

/** A field's check: its value, or why not, as a sentence naming the field by `key`. */
type Check<T> = (v: unknown, key: string) => { ok: T } | { why: Words };

/** Why not, naming the field; `value` the file's value when the sentence names it. */
const no = (id: ImportSentence, key: string, params: Readonly<Record<string, WordsParam>> = {}) => ({
  why: importWords(id, { key, ...params }),
});
const valueOf = (v: unknown) => ({ value: describeValueWords(v) });

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const text: Check<string> = (v, key) =>
  typeof v !== 'string'
    ? no('store.import.text', key, valueOf(v))
    : v.length > 1000
      ? no('store.import.text.long', key)
      : { ok: v };
const flag: Check<boolean> = (v, key) =>
  typeof v === 'boolean' ? { ok: v } : no('store.import.flag', key, valueOf(v));
const wholeMs =
  (min: number, max: number): Check<number> =>
  (v, key) =>
    isInt(v, min, max) ? { ok: v } : no('store.import.whole-ms', key, { min, max, ...valueOf(v) });
const oneOf =
  <T>(values: readonly T[]): Check<T> =>
  (v, key) =>
    values.includes(v as T)
      ? { ok: v as T }
      : no('store.import.one-of', key, { choices: values.join(', '), ...valueOf(v) });

const APP_FIELDS: { [K in keyof Required<AppSettingsDraft>]: Check<Required<AppSettingsDraft>[K]> } = {
  registers: (v, key) =>
    !Array.isArray(v)
      ? no('store.import.registers.type', key, valueOf(v))
      : v.length === 0 || v.length > 256
        ? no('store.import.registers.count', key)
        : v.every((id) => isInt(id, 0, 0xffff))
          ? { ok: [...new Set(v)] }
          : no('store.import.registers.ids', key),
  pollIntervalMs: (v, key) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return no('store.import.poll-ms.type', key, valueOf(v));
    const why = pollIntervalProblem(v, importWords('store.import.shown.ms', { ms: v }), key);
    return why ? { why } : { ok: v };
  },
  serial: (v, key) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return no('store.import.serial.type', key, valueOf(v));
    const s = v as Record<string, unknown>;
    if (!isInt(s.baudRate, 300, 115_200)) return no('store.import.serial.baud', key);
    if (s.dataBits !== 7 && s.dataBits !== 8) return no('store.import.serial.data-bits', key);
    if (s.stopBits !== 1 && s.stopBits !== 2) return no('store.import.serial.stop-bits', key);
    if (s.parity !== 'none' && s.parity !== 'even' && s.parity !== 'odd') return no('store.import.serial.parity', key);
    return { ok: { baudRate: s.baudRate, dataBits: s.dataBits, stopBits: s.stopBits, parity: s.parity } };
  },
  // The same bounds as the line settings form.
  firstByteTimeoutMs: wholeMs(200, 10_000),
  interByteTimeoutMs: wholeMs(20, 2000),
  showAllPorts: flag,
  connectVia: oneOf(['auto', 'web-serial', 'webusb'] as const),
  demoModel: oneOf(['402', '403', '603'] as const),
  demoEcho: flag,
  keepScreenOn: flag,
  notifyInfoChanges: flag,
  station: flag,
  language: oneOf(LANGUAGE_CHOICES),
};

const MQTT_FIELDS: { [K in keyof Required<MqttDraft>]: Check<Required<MqttDraft>[K]> } = {
  enabled: flag,
  url: text,
  clientId: text,
  username: text,
  password: text,
  keepaliveS: (v, key) => (isInt(v, 0, 65535) ? { ok: v } : no('store.import.keepalive', key, valueOf(v))),
  qos: oneOf([0, 1, 2] as const),
  retain: flag,
  baseTopic: text,
  discovery: flag,
  discoveryPrefix: text,
};

/** What the settings page shows for a value that will be saved: the file's value, or whether a password is set. */
const shown = (field: string, v: unknown): WordsParam =>
  /password/i.test(field)
    ? importWords(v ? 'store.import.password.set' : 'store.import.password.none')
    : typeof v === 'string'
      ? `"${v}"`
      : JSON.stringify(v);

/**
 * Reads the app's own settings export. Every field is checked by type and range; a broker part
 * with any error is not saved at all. A password left out of the file (the default when
 * exporting) is cleared rather than kept: the file may name another broker.
 */
export function readSettingsExport(doc: Record<string, unknown>): SeedImportResult {
  const notes: ImportNote[] = [];
  const settings: ImportedSettings = {};
  if (doc.schemaVersion !== undefined && doc.schemaVersion !== SETTINGS_SCHEMA_VERSION)
    return {
      source: 'kmp-web-settings',
      settings: undefined,
      notes: [
        importNote(
          'schemaVersion',
          'error',
          importWords('store.import.version', {
            version: describeValueWords(doc.schemaVersion),
            ours: SETTINGS_SCHEMA_VERSION,
          }),
        ),
      ],
    };
  for (const key of Object.keys(doc))
    if (!['format', 'schemaVersion', 'app', 'mqtt'].includes(key))
      notes.push(importNote(key, 'ignored', importWords('store.import.not-ours')));

  if (doc.app !== undefined) {
    const app = readGroup('app', doc.app, APP_FIELDS, notes);
    if (app) {
      settings.app = app;
    }
  }
  let mqttSources: SeedImportResult['mqttSources'];
  if (doc.mqtt !== undefined) {
    const start = notes.length;
    const mqtt = readGroup('mqtt', doc.mqtt, MQTT_FIELDS, notes);
    if (mqtt && notes.slice(start).some((n) => n.level === 'error')) {
      const refused = new Set(
        notes
          .slice(start)
          .filter((n) => n.level === 'error')
          .map((n) => n.field),
      );
      notes.splice(start, notes.length - start, ...skipPart(notes.slice(start), 'mqtt.', refused));
    } else if (mqtt) {
      if (mqtt.password === undefined || mqtt.password === '(hidden)') {
        mqtt.password = '';
        if (mqtt.username)
          notes.push(importNote('mqtt.password', 'cleared', importWords('store.import.password-cleared')));
      }
      mqttSources = Object.fromEntries(Object.keys(MQTT_FIELDS).map((k) => [k, `mqtt.${k}`]));
      settings.mqtt = mqtt;
    }
  }
  return { source: 'kmp-web-settings', settings, notes, ...(mqttSources ? { mqttSources } : {}) };
}

function readGroup<T extends object>(
  name: string,
  group: unknown,
  fields: { [K in keyof T]-?: Check<T[K]> },
  notes: ImportNote[],
): T | undefined {
  if (typeof group !== 'object' || group === null || Array.isArray(group)) {
    notes.push(importNote(name, 'error', importWords('store.import.group', { value: describeValueWords(group) })));
    return undefined;
  }
  const raw = group as Record<string, unknown>;
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    if (raw[key] === undefined) continue;
    const r = fields[key](raw[key], key);
    if ('why' in r) notes.push(importNote(`${name}.${key}`, 'error', r.why));
    else {
      out[key] = r.ok;
      notes.push(
        importNote(`${name}.${key}`, 'mapped', importWords('store.import.mapped', { key, value: shown(key, r.ok) })),
      );
    }
  }
  for (const key of Object.keys(raw))
    if (!(key in fields)) notes.push(importNote(`${name}.${key}`, 'ignored', importWords('store.import.not-ours')));
  return out as T;
}
