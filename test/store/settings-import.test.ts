import { describe, expect, it } from 'vitest';
import { registerByKey } from '../../src/kmp/index.ts';
import { checkMqttSettings, DEFAULT_MQTT_SETTINGS } from '../../src/mqtt/index.ts';
import {
  checkImportedBroker,
  exportSettingsJson,
  exportSettingsYaml,
  importSettingsFile,
  mqttAfterImport,
} from '../../src/store/index.ts';

const resolve = (name: string) => registerByKey(name)?.id;

/** What the person had saved before importing: a login for their old broker. */
const saved = {
  ...DEFAULT_MQTT_SETTINGS,
  url: 'ws://old-broker.lan:9001',
  username: 'meter',
  password: 'old-s3cret',
};

const otherHostWithoutLogin = `mqtt:
  host: 192.168.1.20
  port: 1883
  client: kamstrup
  topic: kamstrup
  qos: 0
  retain: False
  authentication: False
  username: mqtt
  password: mqtt
kamstrup:
  parameters: [energy, volume]
  poll_interval: 5
`;

describe('importing a config.yaml for another broker', () => {
  it('clears the saved login when authentication is off, so no password goes to the new host', () => {
    const { settings, notes } = importSettingsFile(otherHostWithoutLogin, resolve);
    // The settings page applies an import by spreading the broker part over what is saved.
    const applied = { ...saved, ...settings!.mqtt };
    expect(applied.url).toBe('ws://192.168.1.20:9001');
    expect(applied.username).toBe('');
    expect(applied.password).toBe('');
    expect(mqttAfterImport(saved, settings!.mqtt!)).toMatchObject({ username: '', password: '' });
    // The preview says what happens to the login, not that it is merely "not used".
    const auth = notes.find((n) => n.field === 'mqtt.authentication')!;
    expect(auth.level).toBe('cleared');
    expect(auth.message).toMatch(/no user name or password is saved/i);
    expect(notes.find((n) => n.field === 'mqtt.username')?.message).toMatch(/not saved/i);
  });

  it('with authentication on, sets both the user name and the password (an absent password is cleared, not kept)', () => {
    const { settings } = importSettingsFile(
      'mqtt:\n  host: new.lan\n  authentication: true\n  username: u2\n',
      resolve,
    );
    expect(mqttAfterImport(saved, settings!.mqtt!)).toMatchObject({ username: 'u2', password: '' });
  });
});

describe("the app's own settings export", () => {
  const app = {
    registers: [60, 68, 86],
    pollIntervalMs: 5 * 60_000,
    serial: { baudRate: 1200, dataBits: 8, stopBits: 2, parity: 'none' },
    firstByteTimeoutMs: 1500,
    interByteTimeoutMs: 200,
    showAllPorts: true,
    connectVia: 'webusb',
    demoModel: '603',
    demoEcho: false,
    keepScreenOn: true,
    notifyInfoChanges: false,
  };
  const mqtt = { ...saved, enabled: true, clientId: 'reader-1', qos: 2, retain: false, baseTopic: 'heat/meter' };

  it.each([
    ['JSON', exportSettingsJson],
    ['YAML', exportSettingsYaml],
  ])('imports back from %s with the password when it was included', (_name, exporter) => {
    const r = importSettingsFile(exporter({ app, mqtt }, { includePassword: true }), resolve);
    expect(r.notes.filter((n) => n.level === 'error')).toEqual([]);
    expect(r.source).toBe('kmp-web-settings');
    expect(r.settings?.app).toEqual(app);
    expect(r.settings?.mqtt).toEqual(mqtt);
  });

  it('without the password, clears it and says so rather than keeping the old one', () => {
    const r = importSettingsFile(exportSettingsJson({ app, mqtt }), resolve);
    expect(r.settings?.mqtt).toEqual({ ...mqtt, password: '' });
    expect(r.notes.find((n) => n.field === 'mqtt.password')).toMatchObject({ level: 'cleared' });
  });

  it('refuses wrong types in its own format too, naming the field', () => {
    const text = JSON.stringify({ app: { pollIntervalMs: '300000', registers: [60, 'x'] }, mqtt: { url: 7 } });
    const r = importSettingsFile(text, resolve);
    expect(r.settings?.app).toEqual({});
    expect(r.settings?.mqtt).toBeUndefined();
    const errors = r.notes.filter((n) => n.level === 'error');
    expect(errors.map((n) => n.field)).toEqual(['app.registers', 'app.pollIntervalMs', 'mqtt.url']);
    expect(errors[1]!.message).toMatch(/number/);
  });

  it('takes only a way to connect the app knows', () => {
    const r = importSettingsFile(JSON.stringify({ app: { connectVia: 'bluetooth' } }), resolve);
    expect(r.settings?.app).toEqual({});
    expect(r.notes.find((n) => n.field === 'app.connectVia')?.message).toMatch(/auto, web-serial, webusb/);
  });
});

describe('strict types and ranges in config.yaml', () => {
  const errorsOf = (yaml: string) => importSettingsFile(yaml, resolve).notes.filter((n) => n.level === 'error');

  it.each([
    [
      'poll_interval: true',
      'kamstrup:\n  poll_interval: true\n',
      'kamstrup.poll_interval',
      /a number of minutes, not true/,
    ],
    [
      'poll_interval: "5"',
      'kamstrup:\n  poll_interval: "5"\n',
      'kamstrup.poll_interval',
      /a number of minutes, not the text "5"/,
    ],
    [
      'poll_interval: 50000',
      'kamstrup:\n  poll_interval: 50000\n',
      'kamstrup.poll_interval',
      /at most 1440 minutes \(24 hours\)/,
    ],
    ['poll_interval: 0.00002', 'kamstrup:\n  poll_interval: 0.00002\n', 'kamstrup.poll_interval', /at least 1 minute/],
    ['qos: [1]', 'mqtt:\n  host: h\n  qos: [1]\n', 'mqtt.qos', /0, 1 or 2, not a list/],
    ['qos: "1"', 'mqtt:\n  host: h\n  qos: "1"\n', 'mqtt.qos', /0, 1 or 2, not the text "1"/],
    ['retain: maybe', 'mqtt:\n  host: h\n  retain: maybe\n', 'mqtt.retain', /True or False/],
    [
      'password: 1234',
      'mqtt:\n  host: h\n  authentication: true\n  username: u\n  password: 1234\n',
      'mqtt.password',
      /text.*quotes/,
    ],
    ['port: 99999', 'mqtt:\n  host: h\n  port: 99999\n', 'mqtt.port', /1 to 65535/],
    ['host with a scheme', 'mqtt:\n  host: mqtt://h\n', 'mqtt.host', /host name only/],
  ])('refuses %s, naming the field and why', (_name, yaml, field, why) => {
    const errors = errorsOf(yaml);
    expect(errors.map((e) => e.field)).toEqual([field]);
    expect(errors[0]!.message).toMatch(why);
  });

  it('a broker section with any error saves nothing of the broker, and the preview says so field by field', () => {
    const r = importSettingsFile('mqtt:\n  host: h\n  client: c\n  qos: [1]\n', resolve);
    expect(r.settings?.mqtt).toBeUndefined();
    expect(r.notes.filter((n) => n.field.startsWith('mqtt.') && n.level === 'mapped')).toEqual([]);
    expect(r.notes.find((n) => n.field === 'mqtt.client')).toMatchObject({ level: 'skipped' });
  });

  it('takes poll_interval in whole or fractional minutes inside the range', () => {
    expect(importSettingsFile('kamstrup:\n  poll_interval: 1\n', resolve).settings?.app?.pollIntervalMs).toBe(60_000);
    expect(importSettingsFile('kamstrup:\n  poll_interval: 1440\n', resolve).settings?.app?.pollIntervalMs).toBe(
      86_400_000,
    );
  });
});

describe('the preview is checked like Apply checks it', () => {
  it('a client id the broker settings refuse is an error in the preview, not "mapped"', () => {
    const preview = importSettingsFile('mqtt:\n  host: broker.lan\n  client: "kamstrup reader"\n', resolve);
    const checked = checkImportedBroker(preview, saved, checkMqttSettings);
    expect(checked.settings?.mqtt).toBeUndefined();
    expect(checked.notes.find((n) => n.field === 'mqtt.client' && n.level === 'error')?.message).toMatch(/spaces/);
    expect(checked.notes.filter((n) => n.field.startsWith('mqtt.') && n.level === 'mapped')).toEqual([]);
  });

  it('valid broker settings pass unchanged', () => {
    const preview = importSettingsFile(otherHostWithoutLogin, resolve);
    expect(checkImportedBroker(preview, saved, checkMqttSettings)).toEqual(preview);
  });
});
