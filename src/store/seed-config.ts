import { parse, stringify, YAMLParseError } from 'yaml';

/** Settings taken over from the reference project's config.yaml. */
export interface ImportedSettings {
  mqtt?: {
    url: string;
    clientId?: string;
    baseTopic?: string;
    qos?: 0 | 1 | 2;
    retain?: boolean;
    username?: string;
    password?: string;
  };
  parameters?: number[];
  pollIntervalMs?: number;
}

export interface ImportNote {
  field: string;
  level: 'mapped' | 'changed' | 'ignored' | 'error';
  message: string;
}

export interface SeedImportResult {
  /** Only the parts that are valid; undefined when the YAML itself is broken. Apply it only if the person agrees. */
  settings: ImportedSettings | undefined;
  notes: ImportNote[];
}

const truthy = (v: unknown) => v === true || (typeof v === 'string' && /^(true|yes|on|1)$/i.test(v));

/**
 * Reads kamstrup-402-mqtt's config.yaml. Maps what maps, says what changed and why (a browser
 * reaches a broker only over WebSockets), and lists every field it cannot use.
 */
export function importSeedConfig(
  text: string,
  resolveParameter: (name: string) => number | undefined,
): SeedImportResult {
  const notes: ImportNote[] = [];
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` (line ${e.linePos[0].line})` : '';
    return {
      settings: undefined,
      notes: [
        {
          field: 'config.yaml',
          level: 'error',
          message: `This is not valid YAML${where}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
        },
      ],
    };
  }
  if (typeof doc !== 'object' || doc === null)
    return {
      settings: undefined,
      notes: [{ field: 'config.yaml', level: 'error', message: 'The file has no settings in it.' }],
    };
  const cfg = doc as {
    mqtt?: Record<string, unknown>;
    kamstrup?: Record<string, unknown>;
    serial_device?: Record<string, unknown>;
  };
  const settings: ImportedSettings = {};

  const m = cfg.mqtt;
  if (m && typeof m === 'object') {
    const host = typeof m.host === 'string' && m.host.trim() ? m.host.trim() : undefined;
    if (!host) notes.push({ field: 'mqtt.host', level: 'error', message: 'No broker host given.' });
    else {
      const tls = truthy(m.tls_enabled);
      const port = Number(m.port ?? 1883);
      const wsPort = tls ? 8884 : 9001;
      settings.mqtt = { url: `${tls ? 'wss' : 'ws'}://${host}:${wsPort}` };
      notes.push({
        field: 'mqtt.port',
        level: 'changed',
        message: `A browser cannot open MQTT over TCP (port ${Number.isFinite(port) ? port : m.port}); it needs the broker's WebSocket listener. Using ${settings.mqtt.url}: Mosquitto and the Home Assistant Mosquitto add-on commonly serve WebSockets on 1884 or 9001 (plain) and 8884 (TLS). Check your broker's listener and change the port if needed.`,
      });
      if (typeof m.client === 'string' && m.client) {
        settings.mqtt.clientId = m.client;
        notes.push({ field: 'mqtt.client', level: 'mapped', message: `Client id "${m.client}".` });
      }
      if (typeof m.topic === 'string' && m.topic) {
        if (/[+#]/.test(m.topic) || m.topic.split('/').some((l) => l === ''))
          notes.push({
            field: 'mqtt.topic',
            level: 'error',
            message: `Topic "${m.topic}" has a wildcard or an empty level.`,
          });
        else {
          settings.mqtt.baseTopic = m.topic;
          notes.push({
            field: 'mqtt.topic',
            level: 'mapped',
            message: `Base topic "${m.topic}": readings go to ${m.topic}/values as before.`,
          });
        }
      }
      if (m.qos !== undefined) {
        const q = Number(m.qos);
        if (q === 0 || q === 1 || q === 2) {
          settings.mqtt.qos = q;
          notes.push({
            field: 'mqtt.qos',
            level: 'mapped',
            message: `QoS ${q}${q === 0 ? ' (the outbox still publishes with QoS 1 so it knows what arrived)' : ''}.`,
          });
        } else
          notes.push({ field: 'mqtt.qos', level: 'error', message: `QoS must be 0, 1 or 2, not "${String(m.qos)}".` });
      }
      if (m.retain !== undefined) {
        settings.mqtt.retain = truthy(m.retain);
        notes.push({
          field: 'mqtt.retain',
          level: 'mapped',
          message: `Retain ${settings.mqtt.retain ? 'on' : 'off'}.`,
        });
      }
      if (truthy(m.authentication)) {
        if (typeof m.username === 'string') settings.mqtt.username = m.username;
        if (m.password !== undefined && m.password !== null) settings.mqtt.password = String(m.password);
        notes.push({
          field: 'mqtt.authentication',
          level: 'mapped',
          message: `User name "${String(m.username ?? '')}" and its password.`,
        });
      } else if (m.username !== undefined || m.password !== undefined) {
        notes.push({
          field: 'mqtt.username',
          level: 'ignored',
          message: 'authentication is off, so the user name and password are not used.',
        });
      }
      for (const key of ['tls_ca_cert', 'tls_cert', 'tls_keyfile', 'tls_insecure']) {
        if (m[key] !== undefined)
          notes.push({
            field: `mqtt.${key}`,
            level: 'ignored',
            message:
              'The browser checks the broker certificate itself; certificate files and insecure mode do not apply.',
          });
      }
    }
  }

  const k = cfg.kamstrup;
  if (k && typeof k === 'object') {
    if (Array.isArray(k.parameters)) {
      const ids: number[] = [];
      for (const p of k.parameters) {
        const id = typeof p === 'string' ? resolveParameter(p) : undefined;
        if (id === undefined)
          notes.push({ field: 'kamstrup.parameters', level: 'error', message: `Unknown parameter "${String(p)}".` });
        else ids.push(id);
      }
      if (ids.length) {
        settings.parameters = [...new Set(ids)];
        notes.push({
          field: 'kamstrup.parameters',
          level: 'mapped',
          message: `${settings.parameters.length} parameter(s) to read.`,
        });
      }
    }
    if (k.poll_interval !== undefined) {
      const minutes = Number(k.poll_interval);
      if (Number.isFinite(minutes) && minutes > 0) {
        settings.pollIntervalMs = Math.round(minutes * 60_000);
        notes.push({
          field: 'kamstrup.poll_interval',
          level: 'mapped',
          message: `Poll every ${minutes} minute(s).${minutes >= 30 ? ' The meter’s optical port may sleep between reads this far apart.' : ''}`,
        });
      } else
        notes.push({
          field: 'kamstrup.poll_interval',
          level: 'error',
          message: `poll_interval must be a positive number of minutes, not "${String(k.poll_interval)}".`,
        });
    }
  }
  if (cfg.serial_device)
    notes.push({
      field: 'serial_device',
      level: 'ignored',
      message: 'The browser asks you to pick the serial port when you connect.',
    });
  return { settings, notes };
}

/** Settings as YAML for people who keep their configuration in files; the password only when asked. */
export function exportSettingsYaml(settings: object, options: { includePassword?: boolean } = {}): string {
  return stringify(withPassword(settings, options.includePassword ?? false));
}

export function exportSettingsJson(settings: object, options: { includePassword?: boolean } = {}): string {
  return JSON.stringify(withPassword(settings, options.includePassword ?? false), null, 2);
}

function withPassword(value: object, keep: boolean): object {
  return JSON.parse(JSON.stringify(value, (k, v: unknown) => (!keep && /password/i.test(k) ? undefined : v))) as object;
}
