import { describe, expect, it } from 'vitest';
import { registerByKey } from '../../src/kmp/index.ts';
import {
  acquireMeterLock,
  buildExport,
  csvColumns,
  exportSettingsJson,
  exportSettingsYaml,
  importExport,
  importSettingsFile,
  readingsToCsv,
} from '../../src/store/index.ts';
import { openStore, reading } from './helpers.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('CSV export', () => {
  it('has ISO times, one column per register with its unit, exact decimals and CRLF', () => {
    const rows = [reading(1, T0, '55.006'), reading(1, T0 + 60_000, '55.010')];
    const csv = [...readingsToCsv(rows, csvColumns(rows), { names: (id) => (id === 60 ? 'energy' : undefined) })].join(
      '',
    );
    expect(csv).toBe(
      'time,energy [GJ],reg 86 [°C]\r\n2026-01-01T12:00:00.000Z,55.006,53.65\r\n2026-01-01T12:01:00.000Z,55.010,53.65\r\n',
    );
  });

  it('quotes fields that need it and leaves a value in another unit out of the column', () => {
    const a = reading(1, T0);
    const b = { ...reading(1, T0 + 1), values: [{ id: 60, unitCode: 3, unit: 'MWh', value: 15, decimal: '15.000' }] };
    const csv = [...readingsToCsv([a, b], [{ id: 60, unit: 'GJ' }], { names: () => 'energy, "E1"' })].join('');
    expect(csv.split('\r\n')[0]).toBe('time,"energy, ""E1"" [GJ]"');
    expect(csv.split('\r\n')[2]).toBe('2026-01-01T12:00:00.001Z,');
  });
});

describe('JSON export and import', () => {
  it('round-trips into a fresh database, and a second import adds nothing', async () => {
    const a = await openStore();
    for (let i = 0; i < 5; i++) await a.saveReading(reading(7, T0 + i * 1000, `55.00${i}`));
    const lastScan = {
      at: T0,
      supported: reading(7, T0).values,
      unsupported: [155, 223],
      stoppedEarly: 'budget of 64 registers reached',
    };
    await a.putMeter({ serial: 7, model: 'MULTICAL 403', supportedRegisters: [60, 86], lastScan });
    const file = JSON.stringify(buildExport(await a.listMeters(), await a.readings(7), '0.1.0'));
    const b = await openStore();
    expect(await importExport(b, file)).toEqual({ meters: 1, readings: 5, skipped: 0, duplicates: 0 });
    expect(await importExport(b, file)).toEqual({ meters: 1, readings: 0, skipped: 5, duplicates: 0 });
    const strip = (rs: Awaited<ReturnType<typeof a.readings>>) =>
      rs.map(({ serial, takenAt, values }) => ({ serial, takenAt, values }));
    expect(strip(await b.readings(7))).toEqual(strip(await a.readings(7)));
    expect((await b.getMeter(7))?.supportedRegisters).toEqual([60, 86]);
    expect((await b.getMeter(7))?.lastScan).toEqual(lastScan);
  });

  it.each([
    ['not JSON', '{"format":', /not JSON/],
    ['another format', JSON.stringify({ format: 'other' }), /not a kmp-web export/],
    [
      'a newer schema',
      JSON.stringify({ format: 'kmp-web-export', schemaVersion: 9, meters: [], readings: [] }),
      /schema version 9/,
    ],
    [
      'one bad reading among good ones',
      JSON.stringify(
        buildExport(
          [],
          [
            reading(8, T0),
            { ...reading(8, T0 + 1), values: [{ id: 60, unitCode: 8, unit: 'GJ', value: 'x', decimal: '1' }] } as never,
            reading(8, T0 + 2),
          ],
        ),
      ),
      /readings\[1\]\.values\[0\]\.value must be a finite number, not the text "x"/,
    ],
    [
      'a meter whose saved scan holds a bad value',
      JSON.stringify(
        buildExport(
          [
            {
              serial: 8,
              lastScan: {
                at: T0,
                supported: [{ id: 60, unitCode: 8, unit: 'GJ', value: 2, decimal: '1' }],
                unsupported: [],
              },
            },
          ],
          [reading(8, T0)],
        ),
      ),
      /meters\[0\]\.lastScan\.supported\[0\]\.decimal "1" does not match the value 2/,
    ],
    [
      'a meter whose saved scan has no time',
      JSON.stringify(buildExport([{ serial: 8, lastScan: { supported: [], unsupported: [] } as never }], [])),
      /meters\[0\]\.lastScan\.at must be a time in milliseconds, not missing/,
    ],
  ])('refuses %s, naming the problem, and changes nothing', async (_name, text, message) => {
    const store = await openStore();
    await store.saveReading(reading(8, T0 - 1000));
    const err = await importExport(store, text).catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'invalid' });
    expect((err as Error).message).toMatch(message);
    expect(await store.countReadings(8)).toBe(1);
  });
});

describe("the reference project's config.yaml", () => {
  const sample = `mqtt:
  host: 192.168.1.10
  port: 1883
  client: kamstrup
  topic: kamstrup
  qos: 0
  retain: False
  authentication: True
  username: meter
  password: s3cret
  tls_enabled: False
  tls_insecure: False
serial_device:
  com_port: /dev/ttyUSB0
kamstrup:
  parameters:
  - energy
  - volume
  - temp1
  - minflowDate_m
  - energie
  poll_interval: 5
`;
  const resolve = (name: string) => registerByKey(name)?.id;

  it('maps what maps, explains the WebSocket port, and names what it cannot use', () => {
    const { settings, notes } = importSettingsFile(sample, resolve);
    expect(settings?.mqtt).toEqual({
      url: 'ws://192.168.1.10:9001',
      clientId: 'kamstrup',
      baseTopic: 'kamstrup',
      qos: 0,
      retain: false,
      username: 'meter',
      password: 's3cret',
    });
    expect(settings?.app?.registers).toEqual([60, 68, 86, 140]);
    expect(settings?.app?.pollIntervalMs).toBe(300_000);
    const note = (field: string) => notes.find((n) => n.field === field);
    expect(note('mqtt.port')).toMatchObject({ level: 'changed' });
    expect(note('mqtt.port')!.message).toMatch(/WebSocket/);
    expect(note('serial_device')).toMatchObject({ level: 'ignored' });
    expect(note('mqtt.tls_insecure')).toMatchObject({ level: 'ignored' });
    expect(notes.filter((n) => n.level === 'error').map((n) => n.message)).toEqual(['Unknown parameter "energie".']);
  });

  it('TLS maps to wss://', () => {
    const { settings } = importSettingsFile('mqtt:\n  host: broker.lan\n  tls_enabled: true\n', resolve);
    expect(settings?.mqtt?.url).toBe('wss://broker.lan:8884');
  });

  it('bad values are errors; a broker part with one saves nothing of the broker', () => {
    const { settings, notes } = importSettingsFile(
      'mqtt:\n  host: broker.lan\n  qos: 7\n  topic: "home/x"\nkamstrup:\n  poll_interval: -3\n',
      resolve,
    );
    expect(settings?.mqtt).toBeUndefined();
    expect(settings?.app?.pollIntervalMs).toBeUndefined();
    expect(notes.filter((n) => n.level === 'error').map((n) => n.field)).toEqual([
      'mqtt.qos',
      'kamstrup.poll_interval',
    ]);
    expect(notes.find((n) => n.field === 'mqtt.topic')).toMatchObject({ level: 'skipped' });
  });

  it('broken YAML gives no settings and says where', () => {
    const r = importSettingsFile('mqtt:\n  host: [unclosed\n  port: 1883\n', resolve);
    expect(r.settings).toBeUndefined();
    expect(r.notes[0]).toMatchObject({ level: 'error' });
    expect(r.notes[0]!.message).toMatch(/not valid YAML or JSON \(line \d+\)/);
  });

  it('settings export leaves the password out unless asked', () => {
    const s = { mqtt: { url: 'ws://x:9001', username: 'meter', password: 's3cret' }, pollIntervalMs: 300000 };
    expect(exportSettingsYaml(s)).not.toMatch(/s3cret/);
    expect(exportSettingsYaml(s)).toMatch(/username: meter/);
    expect(exportSettingsYaml(s, { includePassword: true })).toMatch(/password: s3cret/);
    expect(JSON.parse(exportSettingsJson(s)).mqtt.password).toBeUndefined();
  });
});

describe('the meter lock between tabs', () => {
  it('a second tab does not get the lock until the first releases it', async () => {
    // Node has no navigator.locks: a minimal in-memory LockManager with the ifAvailable semantics.
    const held = new Set<string>();
    const locks = {
      async request(
        name: string,
        _opts: { ifAvailable: boolean },
        cb: (lock: object | null) => Promise<void> | undefined,
      ) {
        if (held.has(name)) return cb(null);
        held.add(name);
        await cb({ name });
        held.delete(name);
      },
      async query() {
        return { held: [...held].map((name) => ({ name })) };
      },
    } as unknown as LockManager;
    const first = await acquireMeterLock('m', locks);
    expect(first).toBeDefined();
    expect(await acquireMeterLock('m', locks)).toBeUndefined();
    first!.release();
    await new Promise((r) => setTimeout(r, 0));
    expect(await acquireMeterLock('m', locks)).toBeDefined();
  });
});
