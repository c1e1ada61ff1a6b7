import { describe, expect, it } from 'vitest';
import {
  addressSpace,
  checkBrokerReachability,
  checkMqttSettings,
  DEFAULT_MQTT_SETTINGS,
  topicProblem,
  urlProblem,
  withoutPassword,
} from '../../src/mqtt/index.ts';

describe('MQTT settings are checked field by field', () => {
  it('accepts the defaults and a typical Home Assistant set-up', () => {
    expect(checkMqttSettings({})).toEqual({ ok: true, settings: DEFAULT_MQTT_SETTINGS });
    const r = checkMqttSettings({
      url: ' wss://ha.local:8884/mqtt ',
      username: 'mqtt',
      password: 'pw',
      qos: '2',
      keepaliveS: '30',
      baseTopic: 'heat/flat',
      enabled: true,
    });
    expect(r.ok).toBe(true);
    if (r.ok)
      expect(r.settings).toMatchObject({
        url: 'wss://ha.local:8884/mqtt',
        qos: 2,
        keepaliveS: 30,
        baseTopic: 'heat/flat',
        enabled: true,
      });
  });

  it.each([
    ['mqtt://broker:1883', /MQTT over TCP.*WebSocket.*1884.*8884/],
    ['tcp://broker:1883', /MQTT over TCP/],
    ['http://broker:9001', /use ws:\/\/ or wss:\/\//],
    ['broker:9001', /needs a scheme/],
    ['ws://broker:70000', /Port "70000".*1 to 65535/],
    ['ws://broker:0', /Port "0"/],
    ['ws://broker:abc', /Port "abc"/],
    ['ws://user:pw@broker:9001', /their own fields/],
    ['', /Enter the broker/],
  ])('rejects the URL %s', (url, why) => {
    expect(urlProblem(url)).toMatch(why);
    const r = checkMqttSettings({ url });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field)).toEqual(['url']);
  });

  it.each([
    ['kamstrup/+', /wildcards/],
    ['kamstrup/#', /wildcards/],
    ['/kamstrup', /empty level/],
    ['kamstrup/', /empty level/],
    ['a//b', /empty level/],
    ['', /empty/],
    ['$SYS/x', /reserved/],
    ['kamstrup/\u0000x', /control character/],
    ['kamstrup/a\u001fb', /control character/],
    ['kamstrup/a\u007f', /control character/],
  ])('rejects the topic %j', (topic, why) => {
    expect(topicProblem(topic)).toMatch(why);
    const r = checkMqttSettings({ baseTopic: topic, discoveryPrefix: topic });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.field).sort()).toEqual(['baseTopic', 'discoveryPrefix']);
  });

  it('names every wrong field at once and keeps none of them', () => {
    const r = checkMqttSettings({
      url: 'ws://x:99999',
      qos: 3,
      keepaliveS: -1,
      password: 'secret',
      clientId: 'has space',
      enabled: 'yes',
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.fromEntries(r.problems.map((p) => [p.field, p.message]))).toMatchObject({
      url: expect.stringMatching(/99999/),
      qos: expect.stringMatching(/0, 1 or 2/),
      keepaliveS: expect.stringMatching(/0 to 65535/),
      username: expect.stringMatching(/user name/),
      clientId: expect.stringMatching(/spaces/),
      enabled: expect.stringMatching(/on or off/),
    });
  });

  it('hides the password for display and export', () => {
    expect(withoutPassword({ ...DEFAULT_MQTT_SETTINGS, username: 'u', password: 'secret' }).password).toBe('(hidden)');
    expect(withoutPassword(DEFAULT_MQTT_SETTINGS).password).toBe('');
  });
});

describe('what the browser lets a page open', () => {
  it('classifies addresses', () => {
    expect(['localhost', '127.0.0.1', '[::1]'].map(addressSpace)).toEqual(['loopback', 'loopback', 'loopback']);
    expect(
      ['192.168.1.10', '10.0.0.2', '172.20.1.1', 'homeassistant.local', 'homeassistant', 'fd12:3456::1'].map(
        addressSpace,
      ),
    ).toEqual(Array(6).fill('private'));
    expect(['broker.example.com', '8.8.8.8', '172.32.0.1'].map(addressSpace)).toEqual(['public', 'public', 'public']);
  });

  it('an https page may not open plain ws:// to a host name: mixed content, with what to do', () => {
    const v = checkBrokerReachability('ws://broker.example.com:1884', 'https://kmp.example.org/');
    expect(v).toMatchObject({ kind: 'blocked', reason: 'mixed-content' });
    expect(v.message).toMatch(/wss:\/\/.*8884.*localhost/);
  });

  it('an https public page to a local IP asks for local network access', () => {
    expect(checkBrokerReachability('ws://192.168.1.10:1884', 'https://kmp.example.org/')).toMatchObject({
      kind: 'prompt',
      reason: 'local-network',
    });
    expect(checkBrokerReachability('wss://homeassistant.local:8884', 'https://kmp.example.org/')).toMatchObject({
      kind: 'prompt',
      reason: 'local-network',
    });
  });

  it('a page served locally reaches a local broker without questions', () => {
    expect(checkBrokerReachability('ws://127.0.0.1:9001', 'http://127.0.0.1:4173/')).toEqual({ kind: 'ok' });
    expect(checkBrokerReachability('ws://192.168.1.10:9001', 'http://192.168.1.5:4173/')).toEqual({ kind: 'ok' });
    expect(checkBrokerReachability('ws://localhost:9001', 'https://kmp.example.org/')).toMatchObject({
      kind: 'prompt',
    });
    expect(checkBrokerReachability('wss://broker.example.com', 'https://kmp.example.org/')).toEqual({ kind: 'ok' });
  });
});
