/**
 * What the person configures for publishing, and the field-by-field check that keeps invalid
 * settings from ever being saved or used.
 */
import { DEFAULT_MQTT_SETTINGS, type MqttSettings } from './mqtt-defaults.ts';

export { DEFAULT_MQTT_SETTINGS, type MqttSettings, type Qos } from './mqtt-defaults.ts';

export interface FieldProblem {
  field: keyof MqttSettings;
  message: string;
}

export type MqttSettingsCheck = { ok: true; settings: MqttSettings } | { ok: false; problems: FieldProblem[] };

const TCP_HINT =
  'A browser can reach a broker only over WebSockets. Use the broker’s WebSocket listener, for example ws://192.168.1.10:9001; the Home Assistant Mosquitto add-on serves ws:// on port 1884 and wss:// on 8884.';

/** Checks a broker URL; returns why it cannot be used, or undefined when it can. */
export function urlProblem(url: string): string | undefined {
  const text = url.trim();
  if (!text) return 'Enter the broker’s WebSocket address, for example ws://192.168.1.10:9001.';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) return 'The address needs a scheme: ws:// or wss://, for example ws://192.168.1.10:9001.';
  if (scheme === 'mqtt' || scheme === 'mqtts' || scheme === 'tcp' || scheme === 'ssl' || scheme === 'tls')
    return `${scheme}:// is MQTT over TCP. ${TCP_HINT}`;
  if (scheme !== 'ws' && scheme !== 'wss') return `${scheme}:// is not a broker address: use ws:// or wss://.`;
  // Checked before URL parsing, which rejects a bad port without saying so.
  const port = /^wss?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/:?#@]*)(?::([^/?#]*))?/i.exec(text)?.[1];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)
      return `Port "${port}" is not a port number: use 1 to 65535.`;
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return 'That is not a valid address.';
  }
  if (!parsed.hostname) return 'The address has no host name.';
  if (parsed.username || parsed.password)
    return 'Put the user name and password in their own fields, not in the address.';
  if (parsed.hash) return 'A broker address has no #fragment.';
  return undefined;
}

/** Why a topic (or topic prefix) cannot be published to, or undefined when it can. */
/** C0 controls and DEL: MQTT forbids them in topics, and brokers drop client ids with them. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x1f || c === 0x7f) return true;
  }
  return false;
}

export function topicProblem(topic: string): string | undefined {
  if (!topic) return 'The topic is empty.';
  if (/[+#]/.test(topic)) return 'A topic to publish to may not contain the wildcards + or #.';
  if (topic.split('/').some((level) => level === ''))
    return 'The topic has an empty level (a leading, trailing or double /).';
  if (topic.startsWith('$')) return 'Topics starting with $ are reserved for the broker.';
  if (hasControlCharacter(topic)) return 'The topic contains a control character.';
  if (new TextEncoder().encode(topic).length > 1000) return 'The topic is too long.';
  return undefined;
}

/**
 * Checks settings from any source (the form, a saved record, an imported file): every field
 * that is wrong is named with the reason. Unknown input fields are ignored; missing ones take
 * the defaults.
 */
export function checkMqttSettings(input: unknown): MqttSettingsCheck {
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const problems: FieldProblem[] = [];
  const s: MqttSettings = { ...DEFAULT_MQTT_SETTINGS };
  const str = (field: keyof MqttSettings): string | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      problems.push({ field, message: 'Must be text.' });
      return undefined;
    }
    return v;
  };
  const bool = (field: 'enabled' | 'retain' | 'discovery'): void => {
    const v = raw[field];
    if (v === undefined) return;
    if (typeof v === 'boolean') s[field] = v;
    else problems.push({ field, message: 'Must be on or off.' });
  };

  bool('enabled');
  bool('retain');
  bool('discovery');

  const url = str('url');
  if (url !== undefined) s.url = url.trim();
  const urlWhy = urlProblem(s.url);
  if (urlWhy) problems.push({ field: 'url', message: urlWhy });

  const clientId = str('clientId');
  if (clientId !== undefined) {
    s.clientId = clientId.trim();
    if (s.clientId.length > 128)
      problems.push({ field: 'clientId', message: 'At most 128 characters (many brokers want 23 or fewer).' });
    else if (/\s/.test(s.clientId) || hasControlCharacter(s.clientId))
      problems.push({ field: 'clientId', message: 'No spaces or control characters.' });
  }

  const username = str('username');
  if (username !== undefined) s.username = username;
  const password = str('password');
  if (password !== undefined) s.password = password;
  if (s.password && !s.username)
    problems.push({
      field: 'username',
      message: 'MQTT sends a password only with a user name: enter the user name too.',
    });

  if (raw.keepaliveS !== undefined) {
    const k = Number(raw.keepaliveS);
    if (typeof raw.keepaliveS === 'boolean' || raw.keepaliveS === '' || !Number.isInteger(k) || k < 0 || k > 65535)
      problems.push({ field: 'keepaliveS', message: 'Keepalive is whole seconds from 0 to 65535.' });
    else s.keepaliveS = k;
  }

  if (raw.qos !== undefined) {
    const q = Number(raw.qos);
    if (typeof raw.qos === 'boolean' || raw.qos === '' || (q !== 0 && q !== 1 && q !== 2))
      problems.push({ field: 'qos', message: 'QoS must be 0, 1 or 2.' });
    else s.qos = q;
  }

  for (const field of ['baseTopic', 'discoveryPrefix'] as const) {
    const t = str(field);
    if (t !== undefined) s[field] = t.trim();
    const why = topicProblem(s[field]);
    if (why) problems.push({ field, message: why });
  }

  return problems.length ? { ok: false, problems } : { ok: true, settings: s };
}

/** The settings as safe to show or export: the password replaced by a marker when one is set. */
export function withoutPassword(s: MqttSettings): MqttSettings {
  return { ...s, password: s.password ? '(hidden)' : '' };
}
