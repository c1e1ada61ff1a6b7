import { describe, expect, it } from 'vitest';
import { LAYER_SENTENCE_GROUPS } from '../../src/app/layer-sentences.ts';
import { fill, isWords, type Words } from '../../src/kmp/words.ts';
import {
  checkBrokerReachability,
  checkMqttSettings,
  DEFAULT_MQTT_SETTINGS,
  goodbyeTimedOutMessage,
  goodbyeTimedOutWords,
  MqttConnection,
  type MqttState,
} from '../../src/mqtt/index.ts';

const known = new Map(Object.values(LAYER_SENTENCE_GROUPS).flatMap((group) => Object.entries(group)));

function all(w: Words): Words[] {
  return [w, ...Object.values(w.params ?? {}).flatMap((p) => (isWords(p) ? all(p) : []))];
}

/** Words whose English is `english`, each of them (nested ones too) a sentence the UI can translate. */
function expectWords(w: unknown, english: string | undefined): void {
  expect(isWords(w)).toBe(true);
  expect(fill(w as Words)).toBe(english);
  for (const x of all(w as Words)) expect(known.get(x.id), x.id).toBe(x.en);
}

/** The first state in which the connection has given up. */
const failed = (conn: MqttConnection) =>
  new Promise<MqttState & { kind: 'failed' }>((resolve) =>
    conn.subscribe((s) => {
      if (s.kind === 'failed') resolve(s);
    }),
  );

describe('what publishing says to the person carries words', () => {
  it('each broker settings problem, with its English as message', () => {
    const inputs = [
      { url: '' },
      { url: 'broker:9001' },
      { url: 'mqtt://broker:1883' },
      { url: 'http://broker' },
      { url: 'ws://broker:0' },
      { url: 'ws://user:pw@broker' },
      { url: 'ws://broker/#x' },
      { url: 5, enabled: 'yes', clientId: 'a b', password: 'p', keepaliveS: -1, qos: 3, baseTopic: 'a/#' },
      { clientId: 'x'.repeat(129), baseTopic: '', discoveryPrefix: '$SYS' },
      { baseTopic: 'a//b', discoveryPrefix: 'a\u0001' },
      { baseTopic: 'x'.repeat(1001) },
    ];
    const problems = inputs.flatMap((i) => {
      const r = checkMqttSettings(i);
      return r.ok ? [] : r.problems;
    });
    expect(problems.length).toBeGreaterThan(15);
    for (const p of problems) expectWords(p.words, p.message);
  });

  it('where the browser will not connect, or asks first', () => {
    for (const [broker, page] of [
      ['ws://broker.example.com:1884', 'https://kmp.example.org/'],
      ['ws://192.168.1.10:1884', 'https://kmp.example.org/'],
      ['wss://homeassistant.local:8884', 'https://kmp.example.org/'],
    ] as const) {
      const v = checkBrokerReachability(broker, page);
      expect(v.kind).not.toBe('ok');
      expectWords(v.words, v.message);
    }
  });

  it('a goodbye not acknowledged', () => {
    expectWords(goodbyeTimedOutWords(3000), goodbyeTimedOutMessage(3000));
    expect(goodbyeTimedOutMessage(3000)).toMatch(/within 3 s/);
  });

  it('a broker the browser refuses, and one that cannot be reached (with what the browser asks first)', async () => {
    const blocked = new MqttConnection({ once: true, pageUrl: 'https://kmp.example.org/' });
    const refusal = failed(blocked);
    blocked.start({ ...DEFAULT_MQTT_SETTINGS, enabled: true, url: 'ws://broker.example.com:1884' });
    const { problem: mixed } = await refusal;
    expect(mixed.kind).toBe('blocked');
    expectWords(mixed.words, mixed.message);
    await blocked.stop();

    const closed = new MqttConnection({ once: true, pageUrl: 'https://kmp.example.org/', connectTimeoutMs: 5000 });
    const gaveUp = failed(closed);
    closed.start({ ...DEFAULT_MQTT_SETTINGS, enabled: true, url: 'ws://127.0.0.1:1' });
    const { problem } = await gaveUp;
    expect(problem.message).toMatch(/Could not reach the broker at ws:\/\/127\.0\.0\.1:1\..*local network access/);
    expectWords(problem.words, problem.message);
    await closed.stop();
  });
});
