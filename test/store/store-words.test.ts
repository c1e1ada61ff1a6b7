import { describe, expect, it } from 'vitest';
import { LAYER_SENTENCE_GROUPS } from '../../src/app/layer-sentences.ts';
import { registerByKey } from '../../src/kmp/index.ts';
import { fill, isWords, type Words } from '../../src/kmp/words.ts';
import { checkMqttSettings, DEFAULT_MQTT_SETTINGS } from '../../src/mqtt/index.ts';
import {
  SecretBox,
  SecretBoxError,
  StoreError,
  buildExport,
  checkImportedBroker,
  importExport,
  importSettingsFile,
  toStoreError,
  type ImportNote,
  type StoreErrorKind,
} from '../../src/store/index.ts';
import { IMPORT_SENTENCES } from '../../src/store/settings-import-words.ts';
import { STORE_SENTENCES, storeWords } from '../../src/store/store-error.ts';
import { openStore, reading } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const known = new Map(Object.values(LAYER_SENTENCE_GROUPS).flatMap((group) => Object.entries(group)));

/** `w` and every words nested in it. */
function all(w: Words): Words[] {
  return [w, ...Object.values(w.params ?? {}).flatMap((p) => (isWords(p) ? all(p) : []))];
}
const ids = (w: Words) => all(w).map((x) => x.id);

/** Words whose English is `english`, each of them (nested ones too) a sentence the UI can translate. */
function expectWords(w: unknown, english: string): void {
  expect(isWords(w)).toBe(true);
  expect(fill(w as Words)).toBe(english);
  for (const x of all(w as Words)) expect(known.get(x.id), x.id).toBe(x.en);
}

describe('StoreError words', () => {
  const kinds: StoreErrorKind[] = ['unavailable', 'quota', 'blocked', 'invalid', 'not-found', 'busy', 'not-loaded'];

  it.each(kinds)('%s carries words whose English is its message, with or without a detail', (kind) => {
    for (const detail of [undefined, 'the browser said so', storeWords('store.no-indexeddb')]) {
      const e = new StoreError(kind, detail);
      expectWords(e.words, e.message);
    }
    expect(new StoreError(kind).message).toBe(STORE_SENTENCES[`store.${kind}`]);
  });

  it('keeps the English of before: a reason after "refused", a detail in brackets, none for a full disk', () => {
    expect(new StoreError('invalid', 'Bad.').message).toBe('The data was refused. Bad.');
    expect(new StoreError('not-loaded', 'Failed to fetch').message).toBe(
      `${STORE_SENTENCES['store.not-loaded']} (Failed to fetch)`,
    );
    expect(new StoreError('quota', 'QuotaExceededError').message).toBe(STORE_SENTENCES['store.quota']);
    expect(new StoreError('unavailable', storeWords('store.no-indexeddb')).detail).toBe(
      'this browser has no IndexedDB',
    );
  });

  it('what IndexedDB throws, a restore cut short, and a record refused on its way in', async () => {
    const duplicate = toStoreError(new DOMException('Key already exists', 'ConstraintError'));
    expect(duplicate.message).toBe('The data was refused. A reading of this meter at this time is already stored.');
    expectWords(duplicate.words, duplicate.message);
    const partly = new StoreError(
      'invalid',
      storeWords('store.restore.partly', { problem: duplicate.detailWords!, stored: 3, total: 10 }),
    );
    expectWords(partly.words, partly.message);

    const store = await openStore();
    const refused = [
      await store.saveReading({ ...reading(1, T0), values: [] }).catch((e: unknown) => e),
      await store.putMeter({ serial: -1 }).catch((e: unknown) => e),
      await store
        .saveLoggerEntries(1, [{ logger: 99, id: 1, time: '2026-01-01T00:00:00', values: reading(1, T0).values }], T0)
        .catch((e: unknown) => e),
      await importExport(store, JSON.stringify(buildExport([], [{ ...reading(1, T0), serial: 1.5 }]))).catch(
        (e: unknown) => e,
      ),
      await importExport(store, '{"format":').catch((e: unknown) => e),
    ];
    for (const e of refused) {
      expect(e).toBeInstanceOf(StoreError);
      expectWords((e as StoreError).words, (e as StoreError).message);
    }
    expect((refused[0] as Error).message).toBe(
      'The data was refused. The reading was refused: values is empty: a reading has at least one value.',
    );
  });
});

describe('SecretBoxError words', () => {
  it.each(['unsupported', 'no-key', 'unreadable'] as const)('%s carries words whose English is its message', (kind) => {
    const e = new SecretBoxError(kind);
    expectWords(e.words, e.message);
  });

  it('as the box throws it', async () => {
    const e = await new SecretBox({ load: async () => undefined, keep: async (k) => k }, null)
      .seal('x')
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ kind: 'unsupported' });
    expectWords((e as SecretBoxError).words, (e as SecretBoxError).message);
  });
});

describe('settings import notes', () => {
  const resolve = (name: string) => registerByKey(name)?.id;
  const settingsFile = (o: object) => JSON.stringify({ format: 'kmp-web-settings', schemaVersion: 1, ...o });
  /** Files that between them make every note an import can have. */
  const files = [
    // kamstrup-402-mqtt's config.yaml
    `other: 1\nserial_device: /dev/ttyUSB0\nmqtt:\n  host: 192.168.1.20\n  port: 1883\n  client: kamstrup\n  topic: kamstrup\n  qos: 0\n  retain: yes\n  authentication: true\n  username: u\n  password: p\n  tls_ca_cert: ca.pem\n  keepalive: 60\nkamstrup:\n  parameters: [energy, energie, 5]\n  poll_interval: 5\n  extra: 1\n`,
    `mqtt:\n  host: broker.lan\n  qos: 1\n  retain: no\n  authentication: true\n  username: u\nkamstrup:\n  poll_interval: 30\n`,
    `mqtt:\n  host: broker.lan\n  authentication: false\n  username: u\n`,
    `mqtt:\n  host: broker.lan\nkamstrup:\n  poll_interval: 0.00002\n  parameters: 5\n`,
    `mqtt:\n  port: 1883\n  client: c\nkamstrup:\n  poll_interval: 2000\n`,
    `mqtt:\n  host: a/b\n  port: x\n  qos: 5\n  tls_enabled: 7\n  client: 5\nkamstrup:\n  poll_interval: true\n`,
    `mqtt:\n  host: b.lan\n  authentication: true\n`,
    `mqtt: 5\nkamstrup: [1]\n`,
    // the app's own settings file
    settingsFile({ schemaVersion: 2 }),
    settingsFile({
      other: 1,
      app: {
        registers: [60, 68],
        pollIntervalMs: 1.5,
        serial: 5,
        firstByteTimeoutMs: 1,
        showAllPorts: 'x',
        connectVia: 'bluetooth',
        extra: 1,
      },
      mqtt: { url: 5, clientId: 'x'.repeat(1001), keepaliveS: -1, username: 'u', password: 'p', retain: true },
    }),
    settingsFile({ app: { registers: 'x', pollIntervalMs: 'x', serial: { baudRate: 1 } } }),
    settingsFile({ app: { registers: [], serial: { baudRate: 1200, dataBits: 6 } } }),
    settingsFile({ app: { registers: ['a'], serial: { baudRate: 1200, dataBits: 8, stopBits: 3 } } }),
    settingsFile({ app: { serial: { baudRate: 1200, dataBits: 8, stopBits: 1, parity: 'x' } } }),
    settingsFile({ app: 5, mqtt: { url: 'ws://b.lan:9001', username: 'u', password: '' } }),
    settingsFile({ mqtt: { url: 'ws://b.lan:9001', username: 'u' } }),
    // broken files
    'x'.repeat(300 * 1024),
    'a: [',
    '5',
    JSON.stringify({ format: 'kmp-web-export' }),
    JSON.stringify({ format: 'something-else' }),
  ];
  const saved = { ...DEFAULT_MQTT_SETTINGS };
  const notes: ImportNote[] = files.flatMap(
    (text) => checkImportedBroker(importSettingsFile(text, resolve), saved, checkMqttSettings).notes,
  );
  // The broker check refuses a topic the file gives.
  notes.push(
    ...checkImportedBroker(
      importSettingsFile('mqtt:\n  host: b.lan\n  topic: a/#\n', resolve),
      saved,
      checkMqttSettings,
    ).notes,
  );

  it('each carries words whose English is its message', () => {
    expect(notes.length).toBeGreaterThan(50);
    for (const n of notes) expectWords(n.words, n.message);
  });

  it('between them say every sentence of an import', () => {
    const said = new Set(notes.flatMap((n) => ids(n.words)));
    // A YAML error without a line: the parser gives every error of a file its line.
    const unsaid = Object.keys(IMPORT_SENTENCES).filter((id) => !said.has(id) && id !== 'store.import.not-yaml');
    expect(unsaid).toEqual([]);
  });
});
