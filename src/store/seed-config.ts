import {
  describeValue,
  pollIntervalProblem,
  type ImportNote,
  type ImportedSettings,
  type MqttDraft,
  type SeedImportResult,
} from './settings-import-types.ts';
import { skipPart } from './settings-import-notes.ts';

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
      notes.push({ field: key, level: 'ignored', message: 'Not a kamstrup-402-mqtt setting; not saved.' });

  if (doc.mqtt !== undefined) {
    if (!isGroup(doc.mqtt))
      notes.push({
        field: 'mqtt',
        level: 'error',
        message: `Must be a group of broker settings, not ${describeValue(doc.mqtt)}.`,
      });
    else {
      const broker = readBroker(doc.mqtt, notes);
      if (broker) ({ draft: settings.mqtt, sources: mqttSources } = broker);
    }
  }
  if (doc.kamstrup !== undefined) {
    if (!isGroup(doc.kamstrup))
      notes.push({
        field: 'kamstrup',
        level: 'error',
        message: `Must be a group of settings, not ${describeValue(doc.kamstrup)}.`,
      });
    else readKamstrup(doc.kamstrup, resolveParameter, settings, notes);
  }
  if (doc.serial_device !== undefined)
    notes.push({
      field: 'serial_device',
      level: 'ignored',
      message: 'The browser asks you to pick the serial port when you connect.',
    });
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
  const refuse = (field: string, message: string) => errors.push({ field: `mqtt.${field}`, level: 'error', message });
  const draft: MqttDraft = {};
  const sources: NonNullable<SeedImportResult['mqttSources']> = {};
  const text = (key: string): string | undefined => {
    const v = m[key];
    if (v === undefined || typeof v === 'string') return v;
    refuse(key, `Must be text, not ${describeValue(v)}; put it in quotes if it looks like a number or True/False.`);
    return undefined;
  };
  const flag = (key: string): boolean | undefined => {
    const v = m[key];
    if (v === undefined || typeof v === 'boolean') return v;
    refuse(key, `Must be True or False, not ${describeValue(v)}.`);
    return undefined;
  };

  const host = text('host')?.trim();
  if (m.host === undefined || host === '') refuse('host', 'No broker host given.');
  else if (host !== undefined && (/[\s/\\@]/.test(host) || (host.includes(':') && !/^\[[0-9a-f:.]+\]$/i.test(host))))
    refuse(
      'host',
      `"${host}" is not a host name: give the host name only (no scheme, port or path), e.g. 192.168.1.10; an IPv6 address in [brackets].`,
    );
  let port = 1883;
  if (m.port !== undefined) {
    if (typeof m.port !== 'number' || !Number.isInteger(m.port) || m.port < 1 || m.port > 65535)
      refuse('port', `Must be a port number from 1 to 65535, not ${describeValue(m.port)}.`);
    else port = m.port;
  }
  const tls = flag('tls_enabled') ?? false;
  if (host && !errors.some((e) => e.field === 'mqtt.host')) {
    draft.url = `${tls ? 'wss' : 'ws'}://${host}:${tls ? 8884 : 9001}`;
    sources.url = 'mqtt.host';
    notes.push({
      field: 'mqtt.port',
      level: 'changed',
      message: `A browser cannot open MQTT over TCP (port ${port}); it needs the broker's WebSocket listener. Saved as ${draft.url}: Mosquitto and the Home Assistant Mosquitto add-on commonly serve WebSockets on 1884 or 9001 (plain) and 8884 (TLS). Check your broker's listener and change the port if needed.`,
    });
  }

  const client = text('client');
  if (client !== undefined) {
    draft.clientId = client;
    sources.clientId = 'mqtt.client';
    notes.push({ field: 'mqtt.client', level: 'mapped', message: `Client id "${client}".` });
  }
  const topic = text('topic');
  if (topic !== undefined) {
    draft.baseTopic = topic;
    sources.baseTopic = 'mqtt.topic';
    notes.push({
      field: 'mqtt.topic',
      level: 'mapped',
      message: `Base topic "${topic}": readings go to ${topic}/values as before.`,
    });
  }
  if (m.qos !== undefined) {
    const q = m.qos;
    if (q !== 0 && q !== 1 && q !== 2) refuse('qos', `QoS must be 0, 1 or 2, not ${describeValue(q)}.`);
    else {
      draft.qos = q;
      sources.qos = 'mqtt.qos';
      notes.push({
        field: 'mqtt.qos',
        level: 'mapped',
        message: `QoS ${q}${q === 0 ? ' (the outbox still publishes with QoS 1 so it knows what arrived)' : ''}.`,
      });
    }
  }
  const retain = flag('retain');
  if (retain !== undefined) {
    draft.retain = retain;
    sources.retain = 'mqtt.retain';
    notes.push({ field: 'mqtt.retain', level: 'mapped', message: `Retain ${retain ? 'on' : 'off'}.` });
  }

  // The login is always set from the file: a login kept from the last broker would go to this one.
  const auth = flag('authentication');
  sources.username = 'mqtt.username';
  sources.password = 'mqtt.password';
  if (auth) {
    const username = text('username');
    const password = text('password');
    if (!username) refuse('username', 'authentication is True, so a user name is needed.');
    else {
      draft.username = username;
      draft.password = password ?? '';
      notes.push({
        field: 'mqtt.authentication',
        level: 'mapped',
        message: `User name "${username}" ${password ? 'and its password' : 'with no password (the file has none)'}.`,
      });
    }
  } else if (auth === false || !errors.some((e) => e.field === 'mqtt.authentication')) {
    draft.username = '';
    draft.password = '';
    notes.push({
      field: 'mqtt.authentication',
      level: 'cleared',
      message: `Authentication is ${auth === false ? 'off' : 'not set'}: no user name or password is saved, and a saved login is cleared so it is not sent to ${host ?? 'this broker'}.`,
    });
    for (const key of ['username', 'password'])
      if (m[key] !== undefined)
        notes.push({ field: `mqtt.${key}`, level: 'ignored', message: 'Not saved: authentication is off.' });
  }

  for (const key of ['tls_ca_cert', 'tls_cert', 'tls_keyfile', 'tls_insecure'])
    if (m[key] !== undefined)
      notes.push({
        field: `mqtt.${key}`,
        level: 'ignored',
        message: 'The browser checks the broker certificate itself; certificate files and insecure mode do not apply.',
      });
  for (const key of Object.keys(m))
    if (!MQTT_KEYS.has(key))
      notes.push({
        field: `mqtt.${key}`,
        level: 'ignored',
        message: 'Not a kamstrup-402-mqtt broker setting; not saved.',
      });

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
      notes.push({
        field: 'kamstrup.parameters',
        level: 'error',
        message: `Must be a list of parameter names, not ${describeValue(k.parameters)}.`,
      });
    else {
      const ids: number[] = [];
      for (const p of k.parameters) {
        const id = typeof p === 'string' ? resolveParameter(p) : undefined;
        if (id === undefined)
          notes.push({
            field: 'kamstrup.parameters',
            level: 'error',
            message:
              typeof p === 'string'
                ? `Unknown parameter "${p}".`
                : `A parameter must be a name, not ${describeValue(p)}.`,
          });
        else ids.push(id);
      }
      if (ids.length) {
        const registers = [...new Set(ids)];
        (settings.app ??= {}).registers = registers;
        notes.push({
          field: 'kamstrup.parameters',
          level: 'mapped',
          message: `${registers.length} parameter(s) to read.`,
        });
      }
    }
  }
  if (k.poll_interval !== undefined) {
    const v = k.poll_interval;
    const minutes = typeof v === 'number' && Number.isFinite(v) ? v : undefined;
    const ms = minutes === undefined ? undefined : Math.round(minutes * 60_000);
    const why =
      ms === undefined
        ? `must be a number of minutes, not ${describeValue(v)}.`
        : pollIntervalProblem(ms, `${minutes} minutes`);
    if (why || ms === undefined)
      notes.push({ field: 'kamstrup.poll_interval', level: 'error', message: `poll_interval ${why}` });
    else {
      (settings.app ??= {}).pollIntervalMs = ms;
      const minutes = ms / 60_000;
      notes.push({
        field: 'kamstrup.poll_interval',
        level: 'mapped',
        message: `Poll every ${minutes} minute(s).${minutes >= 30 ? ' The meter’s optical port may sleep between reads this far apart.' : ''}`,
      });
    }
  }
  for (const key of Object.keys(k))
    if (key !== 'parameters' && key !== 'poll_interval')
      notes.push({
        field: `kamstrup.${key}`,
        level: 'ignored',
        message: 'Not a kamstrup-402-mqtt setting; not saved.',
      });
}
