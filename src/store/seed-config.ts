import type { Words } from '../kmp/words.ts';
import { describeValueWords } from './describe-value.ts';
import {
  type ImportNote,
  type ImportedSettings,
  type MqttDraft,
  type SeedImportResult,
} from './settings-import-types.ts';
import { skipPart } from './settings-import-notes.ts';
import { importNote, importWords, pollIntervalProblem } from './settings-import-words.ts';

const MQTT_KEYS = new Set([
  'host',
  'port',
  'client',
  'topic',
  'qos',
  'retain',
  'authentication',
  'username',
  'password',
  'tls_enabled',
  'tls_ca_cert',
  'tls_cert',
  'tls_keyfile',
  'tls_insecure',
]);

const isGroup = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads kamstrup-402-mqtt's config.yaml, parsed the way its PyYAML parsed it (YAML 1.1: `yes`
 * and `False` are booleans). Strict on types: the daemon crashed on a wrong one, and guessing
 * (`poll_interval: true` as 1, `qos: [1]` as 1) would save something the person never wrote.
 * Credentials always come from the file, never from what was saved: they belong to a broker.
 */
export function readSeedConfig(
  doc: Record<string, unknown>,
  resolveParameter: (name: string) => number | undefined,
): SeedImportResult {
  const notes: ImportNote[] = [];
  const settings: ImportedSettings = {};
  let mqttSources: SeedImportResult['mqttSources'];
  for (const key of Object.keys(doc))
    if (key !== 'mqtt' && key !== 'kamstrup' && key !== 'serial_device')
      notes.push(importNote(key, 'ignored', importWords('store.import.seed.not-ours')));

  if (doc.mqtt !== undefined) {
    if (!isGroup(doc.mqtt))
      notes.push(
        importNote(
          'mqtt',
          'error',
          importWords('store.import.seed.broker-group', { value: describeValueWords(doc.mqtt) }),
        ),
      );
    else {
      const broker = readBroker(doc.mqtt, notes);
      if (broker) ({ draft: settings.mqtt, sources: mqttSources } = broker);
    }
  }
  if (doc.kamstrup !== undefined) {
    if (!isGroup(doc.kamstrup))
      notes.push(
        importNote('kamstrup', 'error', importWords('store.import.group', { value: describeValueWords(doc.kamstrup) })),
      );
    else readKamstrup(doc.kamstrup, resolveParameter, settings, notes);
  }
  if (doc.serial_device !== undefined)
    notes.push(importNote('serial_device', 'ignored', importWords('store.import.seed.serial-device')));
  return { source: 'kamstrup-402-mqtt', settings, notes, ...(mqttSources ? { mqttSources } : {}) };
}

/**
 * The broker part, all or nothing: a broker saved with one field left out could pair a new host
 * with an old setting.
 */
function readBroker(
  m: Record<string, unknown>,
  notes: ImportNote[],
): { draft: MqttDraft; sources: SeedImportResult['mqttSources'] } | undefined {
  const start = notes.length;
  const errors: ImportNote[] = [];
  const refuse = (field: string, why: Words) => errors.push(importNote(`mqtt.${field}`, 'error', why));
  const draft: MqttDraft = {};
  const sources: NonNullable<SeedImportResult['mqttSources']> = {};
  const text = (key: string): string | undefined => {
    const v = m[key];
    if (v === undefined || typeof v === 'string') return v;
    refuse(key, importWords('store.import.seed.text', { value: describeValueWords(v) }));
    return undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const v = m[key];
    if (v === undefined || typeof v === 'boolean') return v;
    refuse(key, importWords('store.import.seed.flag', { value: describeValueWords(v) }));
    return undefined;
  };

  const host = text('host')?.trim();
  if (m.host === undefined || host === '') refuse('host', importWords('store.import.seed.no-host'));
  else if (host !== undefined && (/[\s/\\@]/.test(host) || (host.includes(':') && !/^\[[0-9a-f:.]+\]$/i.test(host))))
    refuse('host', importWords('store.import.seed.host', { host }));
  let port = 1883;
  if (m.port !== undefined) {
    if (typeof m.port !== 'number' || !Number.isInteger(m.port) || m.port < 1 || m.port > 65535)
      refuse('port', importWords('store.import.seed.port', { value: describeValueWords(m.port) }));
    else port = m.port;
  }
  const tls = flag('tls_enabled') ?? false;
  if (host && !errors.some((e) => e.field === 'mqtt.host')) {
    draft.url = `${tls ? 'wss' : 'ws'}://${host}:${tls ? 8884 : 9001}`;
    sources.url = 'mqtt.host';
    notes.push(
      importNote(
        'mqtt.port',
        'changed',
        importWords('store.import.seed.websocket', { port: String(port), url: draft.url }),
      ),
    );
  }

  const client = text('client');
  if (client !== undefined) {
    draft.clientId = client;
    sources.clientId = 'mqtt.client';
    notes.push(importNote('mqtt.client', 'mapped', importWords('store.import.seed.client', { client })));
  }
  const topic = text('topic');
  if (topic !== undefined) {
    draft.baseTopic = topic;
    sources.baseTopic = 'mqtt.topic';
    notes.push(importNote('mqtt.topic', 'mapped', importWords('store.import.seed.topic', { topic })));
  }
  if (m.qos !== undefined) {
    const q = m.qos;
    if (q !== 0 && q !== 1 && q !== 2)
      refuse('qos', importWords('store.import.seed.qos.bad', { value: describeValueWords(q) }));
    else {
      draft.qos = q;
      sources.qos = 'mqtt.qos';
      notes.push(
        importNote(
          'mqtt.qos',
          'mapped',
          q === 0 ? importWords('store.import.seed.qos0') : importWords('store.import.seed.qos', { qos: q }),
        ),
      );
    }
  }
  const retain = flag('retain');
  if (retain !== undefined) {
    draft.retain = retain;
    sources.retain = 'mqtt.retain';
    notes.push(
      importNote(
        'mqtt.retain',
        'mapped',
        importWords(retain ? 'store.import.seed.retain.on' : 'store.import.seed.retain.off'),
      ),
    );
  }

  // The login is always set from the file: a login kept from the last broker would go to this one.
  const auth = flag('authentication');
  sources.username = 'mqtt.username';
  sources.password = 'mqtt.password';
  if (auth) {
    const username = text('username');
    const password = text('password');
    if (!username) refuse('username', importWords('store.import.seed.user-needed'));
    else {
      draft.username = username;
      draft.password = password ?? '';
      notes.push(
        importNote(
          'mqtt.authentication',
          'mapped',
          importWords(password ? 'store.import.seed.user' : 'store.import.seed.user.no-password', { username }),
        ),
      );
    }
  } else if (auth === false || !errors.some((e) => e.field === 'mqtt.authentication')) {
    draft.username = '';
    draft.password = '';
    notes.push(
      importNote(
        'mqtt.authentication',
        'cleared',
        importWords(auth === false ? 'store.import.seed.auth-off' : 'store.import.seed.auth-unset', {
          broker: host ?? importWords('store.import.seed.this-broker'),
        }),
      ),
    );
    for (const key of ['username', 'password'])
      if (m[key] !== undefined)
        notes.push(importNote(`mqtt.${key}`, 'ignored', importWords('store.import.seed.auth-is-off')));
  }

  for (const key of ['tls_ca_cert', 'tls_cert', 'tls_keyfile', 'tls_insecure'])
    if (m[key] !== undefined) notes.push(importNote(`mqtt.${key}`, 'ignored', importWords('store.import.seed.tls')));
  for (const key of Object.keys(m))
    if (!MQTT_KEYS.has(key))
      notes.push(importNote(`mqtt.${key}`, 'ignored', importWords('store.import.seed.not-broker')));

  notes.push(...errors);
  if (!errors.length) return { draft, sources };
  notes.splice(start, notes.length - start, ...skipPart(notes.slice(start), 'mqtt.'));
  return undefined;
}

function readKamstrup(
  k: Record<string, unknown>,
  resolveParameter: (name: string) => number | undefined,
  settings: ImportedSettings,
  notes: ImportNote[],
): void {
  if (k.parameters !== undefined) {
    if (!Array.isArray(k.parameters))
      notes.push(
        importNote(
          'kamstrup.parameters',
          'error',
          importWords('store.import.seed.parameters.type', { value: describeValueWords(k.parameters) }),
        ),
      );
    else {
      const ids: number[] = [];
      for (const p of k.parameters) {
        const id = typeof p === 'string' ? resolveParameter(p) : undefined;
        if (id === undefined)
          notes.push(
            importNote(
              'kamstrup.parameters',
              'error',
              typeof p === 'string'
                ? importWords('store.import.seed.parameter.unknown', { name: p })
                : importWords('store.import.seed.parameter.type', { value: describeValueWords(p) }),
            ),
          );
        else ids.push(id);
      }
      if (ids.length) {
        const registers = [...new Set(ids)];
        (settings.app ??= {}).registers = registers;
        notes.push(
          importNote(
            'kamstrup.parameters',
            'mapped',
            importWords('store.import.seed.parameters', { count: registers.length }),
          ),
        );
      }
    }
  }
  if (k.poll_interval !== undefined) {
    const v = k.poll_interval;
    const minutes = typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    const ms = minutes === undefined ? undefined : Math.round(minutes * 60_000);
    const key = 'poll_interval';
    const why =
      ms === undefined
        ? importWords('store.import.seed.poll-minutes.type', { key, value: describeValueWords(v) })
        : pollIntervalProblem(ms, importWords('store.import.shown.minutes', { minutes: minutes! }), key);
    if (why) notes.push(importNote('kamstrup.poll_interval', 'error', why));
    else if (ms !== undefined) {
      (settings.app ??= {}).pollIntervalMs = ms;
      const minutes = ms / 60_000;
      notes.push(
        importNote(
          'kamstrup.poll_interval',
          'mapped',
          importWords(minutes >= 30 ? 'store.import.seed.poll.sleepy' : 'store.import.seed.poll', { minutes }),
        ),
      );
    }
  }
  for (const key of Object.keys(k))
    if (key !== 'parameters' && key !== 'poll_interval')
      notes.push(importNote(`kamstrup.${key}`, 'ignored', importWords('store.import.seed.not-ours')));
}
