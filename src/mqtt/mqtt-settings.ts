/**
 * What the person configures for publishing, and the field-by-field check that keeps invalid
 * settings from ever being saved or used.
 */
import { fill, type Words } from '../kmp/words.ts';
import { DEFAULT_MQTT_SETTINGS, type MqttSettings } from './mqtt-defaults.ts';
import { mqttWords } from './mqtt-sentences.ts';

export { DEFAULT_MQTT_SETTINGS, type MqttSettings, type Qos } from './mqtt-defaults.ts';

export interface FieldProblem {
  field: keyof MqttSettings;
  /** Why, in English (`words` filled in). */
  message: string;
  /** The same as words (mqtt-sentences.ts); checkMqttSettings always gives them. */
  words?: Words;
}

/** A problem of checkMqttSettings: always with its words. */
export type CheckedFieldProblem = FieldProblem & { words: Words };

export type MqttSettingsCheck = { ok: true; settings: MqttSettings } | { ok: false; problems: CheckedFieldProblem[] };

/** Why a broker URL cannot be used, as words, or undefined when it can. */
export function urlProblemWords(url: string): Words | undefined {
  const text = url.trim();
  if (!text) return mqttWords('mqtt.url.empty');
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (!scheme) return mqttWords('mqtt.url.no-scheme');
  if (scheme === 'mqtt' || scheme === 'mqtts' || scheme === 'tcp' || scheme === 'ssl' || scheme === 'tls')
    return mqttWords('mqtt.url.tcp', { scheme });
  if (scheme !== 'ws' && scheme !== 'wss') return mqttWords('mqtt.url.scheme', { scheme });
  // Checked before URL parsing, which rejects a bad port without saying so.
  const port = /^wss?:\/\/(?:[^/?#@]*@)?(?:\[[^\]]*\]|[^/:?#@]*)(?::([^/?#]*))?/i.exec(text)?.[1];
  if (port !== undefined && port !== '') {
    if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return mqttWords('mqtt.url.port', { port });
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return mqttWords('mqtt.url.invalid');
  }
  if (!parsed.hostname) return mqttWords('mqtt.url.no-host');
  if (parsed.username || parsed.password) return mqttWords('mqtt.url.credentials');
  if (parsed.hash) return mqttWords('mqtt.url.fragment');
  return undefined;
}

/** Checks a broker URL; returns why it cannot be used (in English), or undefined when it can. */
export function urlProblem(url: string): string | undefined {
  const w = urlProblemWords(url);
  return w && fill(w);
}

/** C0 controls and DEL: MQTT forbids them in topics, and brokers drop client ids with them. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x1f || c === 0x7f) return true;
  }
  return false;
}

/** Why a topic (or topic prefix) cannot be published to, as words, or undefined when it can. */
export function topicProblemWords(topic: string): Words | undefined {
  if (!topic) return mqttWords('mqtt.topic.empty');
  if (/[+#]/.test(topic)) return mqttWords('mqtt.topic.wildcard');
  if (topic.split('/').some((level) => level === '')) return mqttWords('mqtt.topic.empty-level');
  if (topic.startsWith('$')) return mqttWords('mqtt.topic.reserved');
  if (hasControlCharacter(topic)) return mqttWords('mqtt.topic.control');
  if (new TextEncoder().encode(topic).length > 1000) return mqttWords('mqtt.topic.long');
  return undefined;
}

/** Why a topic (or topic prefix) cannot be published to (in English), or undefined when it can. */
export function topicProblem(topic: string): string | undefined {
  const w = topicProblemWords(topic);
  return w && fill(w);
}

/**
 * Checks settings from any source (the form, a saved record, an imported file): every field
 * that is wrong is named with the reason. Unknown input fields are ignored; missing ones take
 * the defaults.
 */
export function checkMqttSettings(input: unknown): MqttSettingsCheck {
  const raw = (input && typeof input === 'object' ? input : {}) as Record<string, unknown>;
  const problems: CheckedFieldProblem[] = [];
  const refuse = (field: keyof MqttSettings, words: Words) => problems.push({ field, message: fill(words), words });
  const s: MqttSettings = { ...DEFAULT_MQTT_SETTINGS };
  const str = (field: keyof MqttSettings): string | undefined => {
    const v = raw[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      refuse(field, mqttWords('mqtt.field.text'));
      return undefined;
    }
    return v;
  };
  const bool = (field: 'enabled' | 'retain' | 'discovery'): void => {
    const v = raw[field];
    if (v === undefined) return;
    if (typeof v === 'boolean') s[field] = v;
    else refuse(field, mqttWords('mqtt.field.flag'));
  };

  bool('enabled');
  bool('retain');
  bool('discovery');

  const url = str('url');
  if (url !== undefined) s.url = url.trim();
  const urlWhy = urlProblemWords(s.url);
  if (urlWhy) refuse('url', urlWhy);

  const clientId = str('clientId');
  if (clientId !== undefined) {
    s.clientId = clientId.trim();
    if (s.clientId.length > 128) refuse('clientId', mqttWords('mqtt.client-id.long'));
    else if (/\s/.test(s.clientId) || hasControlCharacter(s.clientId))
      refuse('clientId', mqttWords('mqtt.client-id.spaces'));
  }

  const username = str('username');
  if (username !== undefined) s.username = username;
  const password = str('password');
  if (password !== undefined) s.password = password;
  if (s.password && !s.username) refuse('username', mqttWords('mqtt.username.needed'));

  if (raw.keepaliveS !== undefined) {
    const k = Number(raw.keepaliveS);
    if (typeof raw.keepaliveS === 'boolean' || raw.keepaliveS === '' || !Number.isInteger(k) || k < 0 || k > 65535)
      refuse('keepaliveS', mqttWords('mqtt.keepalive'));
    else s.keepaliveS = k;
  }

  if (raw.qos !== undefined) {
    const q = Number(raw.qos);
    if (typeof raw.qos === 'boolean' || raw.qos === '' || (q !== 0 && q !== 1 && q !== 2))
      refuse('qos', mqttWords('mqtt.qos'));
    else s.qos = q;
  }

  for (const field of ['baseTopic', 'discoveryPrefix'] as const) {
    const t = str(field);
    if (t !== undefined) s[field] = t.trim();
    const why = topicProblemWords(s[field]);
    if (why) refuse(field, why);
  }

  return problems.length ? { ok: false, problems } : { ok: true, settings: s };
}

/** The settings as safe to show or export: the password replaced by a marker when one is set. */
export function withoutPassword(s: MqttSettings): MqttSettings {
  return { ...s, password: s.password ? '(hidden)' : '' };
}
