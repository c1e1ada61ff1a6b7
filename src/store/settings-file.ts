import { stringify } from 'yaml';
import {
  LANGUAGE_CHOICES,
  describeValue,
  pollIntervalProblem,
  type AppSettingsDraft,
  type ImportNote,
  type ImportedSettings,
  type MqttDraft,
  type SeedImportResult,
} from './settings-import-types.ts';
import { skipPart } from './settings-import-notes.ts';

/** The app's own settings file: `{format, schemaVersion, app, mqtt}`, in YAML or JSON. */
export const SETTINGS_FORMAT = 'kmp-web-settings';
export const SETTINGS_SCHEMA_VERSION = 1;

/** Settings as YAML for people who keep their configuration in files; the password only when asked. */
export function exportSettingsYaml(settings: object, options: { includePassword?: boolean } = {}): string {
  return stringify(envelope(settings, options.includePassword ?? false));
}

export function exportSettingsJson(settings: object, options: { includePassword?: boolean } = {}): string {
  return JSON.stringify(envelope(settings, options.includePassword ?? false), null, 2);
}

function envelope(settings: object, keepPassword: boolean): object {
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

type Check<T> = (v: unknown) => { ok: T } | { why: string };

const isInt = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const text: Check<string> = (v) =>
  typeof v !== 'string'
    ? { why: `must be text, not ${describeValue(v)}` }
    : v.length > 1000
      ? { why: 'is longer than 1000 characters' }
      : { ok: v };
const flag: Check<boolean> = (v) =>
  typeof v === 'boolean' ? { ok: v } : { why: `must be true or false, not ${describeValue(v)}` };
const wholeMs =
  (min: number, max: number): Check<number> =>
  (v) =>
    isInt(v, min, max)
      ? { ok: v }
      : { why: `must be a whole number of milliseconds from ${min} to ${max}, not ${describeValue(v)}` };
const oneOf =
  <T>(values: readonly T[]): Check<T> =>
  (v) =>
    values.includes(v as T) ? { ok: v as T } : { why: `must be one of ${values.join(', ')}, not ${describeValue(v)}` };

const APP_FIELDS: { [K in keyof Required<AppSettingsDraft>]: Check<Required<AppSettingsDraft>[K]> } = {
  registers: (v) =>
    !Array.isArray(v)
      ? { why: `must be a list of register ids, not ${describeValue(v)}` }
      : v.length === 0 || v.length > 256
        ? { why: 'must list 1 to 256 register ids' }
        : v.every((id) => isInt(id, 0, 0xffff))
          ? { ok: [...new Set(v)] }
          : { why: 'must hold only register ids (whole numbers 0 to 65535)' },
  pollIntervalMs: (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return { why: `must be a number of milliseconds, not ${describeValue(v)}` };
    const why = pollIntervalProblem(v, `${v} ms`);
    return why ? { why } : { ok: v };
  },
  serial: (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      return { why: `must be a group of line settings, not ${describeValue(v)}` };
    const s = v as Record<string, unknown>;
    if (!isInt(s.baudRate, 300, 115_200)) return { why: 'baudRate must be a whole number from 300 to 115200' };
    if (s.dataBits !== 7 && s.dataBits !== 8) return { why: 'dataBits must be 7 or 8' };
    if (s.stopBits !== 1 && s.stopBits !== 2) return { why: 'stopBits must be 1 or 2' };
    if (s.parity !== 'none' && s.parity !== 'even' && s.parity !== 'odd')
      return { why: 'parity must be none, even or odd' };
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
  keepaliveS: (v) =>
    isInt(v, 0, 65535) ? { ok: v } : { why: `must be whole seconds from 0 to 65535, not ${describeValue(v)}` },
  qos: oneOf([0, 1, 2] as const),
  retain: flag,
  baseTopic: text,
  discovery: flag,
  discoveryPrefix: text,
};

/** What the settings page shows for a value that will be saved. */
const shown = (field: string, v: unknown): string =>
  /password/i.test(field) ? (v ? '(set)' : '(none)') : typeof v === 'string' ? `"${v}"` : JSON.stringify(v);

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
        {
          field: 'schemaVersion',
          level: 'error',
          message: `The file has settings version ${describeValue(doc.schemaVersion)}; this app reads version ${SETTINGS_SCHEMA_VERSION}.`,
        },
      ],
    };
  for (const key of Object.keys(doc))
    if (!['format', 'schemaVersion', 'app', 'mqtt'].includes(key))
      notes.push({ field: key, level: 'ignored', message: 'Not a kmp-web setting; not saved.' });

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
          notes.push({
            field: 'mqtt.password',
            level: 'cleared',
            message:
              'The file has no password (exports leave it out unless asked): none is saved. Enter it on the Publish page.',
          });
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
    notes.push({ field: name, level: 'error', message: `Must be a group of settings, not ${describeValue(group)}.` });
    return undefined;
  }
  const raw = group as Record<string, unknown>;
  const out: Partial<T> = {};
  for (const key of Object.keys(fields) as (keyof T & string)[]) {
    if (raw[key] === undefined) continue;
    const r = fields[key](raw[key]);
    if ('why' in r) notes.push({ field: `${name}.${key}`, level: 'error', message: `${key} ${r.why}.` });
    else {
      out[key] = r.ok;
      notes.push({ field: `${name}.${key}`, level: 'mapped', message: `${key} ${shown(key, r.ok)}.` });
    }
  }
  for (const key of Object.keys(raw))
    if (!(key in fields))
      notes.push({ field: `${name}.${key}`, level: 'ignored', message: 'Not a kmp-web setting; not saved.' });
  return out as T;
}
