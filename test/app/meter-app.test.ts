/**
 * What the app layer does besides the readings: meter events to the broker, identities,
 * settings and the frame log kept in the store, the meter lock let go with the connection.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FrameLogSink } from '../../src/app/frame-log-sink.ts';
import { SCAN_CANDIDATES } from '../../src/kmp/index.ts';
import { WireLog } from '../../src/link/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import type { StoredFrame } from '../../src/store/schema.ts';
import { aedesBroker } from '../support/brokers.ts';
import { subscribe } from '../support/subscriber.ts';
import { freshName } from '../store/helpers.ts';
import { brokerSettings, closeApps, english, publishingWhen, startApp, until } from './helpers.ts';

afterEach(closeApps);

describe('meter events on the broker', () => {
  let broker: Awaited<ReturnType<typeof aedesBroker>>;
  beforeAll(async () => {
    broker = await aedesBroker();
  });
  afterAll(async () => {
    await broker?.close();
  });

  it('says which meter is online, and a failed read, but not the failures a scan provokes', async () => {
    const base = 'kmp-app-events';
    const sub = await subscribe(broker.wsUrl, [`${base}/#`]);
    try {
      const app = startApp(freshName());
      await app.ready;
      await app.publishing.save(brokerSettings(broker.wsUrl, base));
      await publishingWhen(app.publishing, (v) => v.status?.connection.kind === 'connected');
      const meter = createVirtualMeter({ frozen: true, model: '403' });
      await app.session.connect(meter.port, { label: 'virtual', demo: true });
      const { serial } = await app.session.identify();
      const topic = (leaf: string) => `${base}/${serial}/${leaf}`;
      await sub.waitFor((m) => m.some((x) => x.topic === topic('availability') && x.payload === 'online'));

      meter.faults = { dropRate: 1 };
      await app.scan(SCAN_CANDIDATES, 16);
      expect(app.session.lastError?.kind).toBe('no-answer');
      await expect(app.session.readNow([60])).rejects.toMatchObject({ kind: 'no-answer' });
      const [error] = await sub
        .waitFor((m) => m.some((x) => x.topic === topic('error')))
        .then((m) => m.filter((x) => x.topic === topic('error')));
      expect(JSON.parse(error!.payload)).toMatchObject({ kind: 'no-answer' });

      meter.faults = {};
      await app.session.disconnect();
      await sub.waitFor((m) => m.some((x) => x.topic === topic('availability') && x.payload === 'offline'));
      expect(sub.messages.filter((x) => x.topic === topic('error'))).toHaveLength(1);
    } finally {
      await sub.close();
    }
  }, 30_000);
});

describe('what the app keeps in the store', () => {
  it('remembers the identified meter and restores the settings after a reload', async () => {
    const name = freshName();
    const first = startApp(name);
    await first.ready;
    first.settings.update({ pollIntervalMs: 5 * 60_000, registers: [60, 68] });
    const meter = createVirtualMeter({ frozen: true, model: '603' });
    await first.session.connect(meter.port, { label: 'virtual', demo: true });
    const identity = await first.session.identify();
    const db = (await first.store)!;
    const meterRecord = await until(
      () => db.getMeter(identity.serial),
      (m) => m?.model !== undefined,
    );
    expect(meterRecord?.model).toBe(identity.model);
    await until(
      () => db.getSetting<{ registers: number[] }>('app'),
      (s) => s?.registers.length === 2,
    );
    await first.close();

    const second = startApp(name);
    expect(second.settings.values.pollIntervalMs).not.toBe(5 * 60_000);
    await second.ready;
    expect(second.settings.values).toMatchObject({ pollIntervalMs: 5 * 60_000, registers: [60, 68] });
  });

  it('keeps the frame log with each reply time, written when the app closes at the latest', async () => {
    const name = freshName();
    const app = startApp(name);
    await app.ready;
    const meter = createVirtualMeter({ frozen: true, model: '403' });
    await app.session.connect(meter.port, { label: 'virtual', demo: true });
    await app.session.identify();
    const logged = app.session.log.all().map((e) => e.decoded);
    await app.close();
    const reloaded = startApp(name);
    const frames = await (await reloaded.store)!.listFrames();
    expect(frames.map((f) => f.decoded)).toEqual(logged);
    // The replies' times survive the reload as the wire log measured them.
    const replyTimes = app.session.log.all().flatMap((e) => (e.replyMs !== undefined ? [e.replyMs] : []));
    expect(replyTimes.length).toBeGreaterThan(0);
    expect(frames.flatMap((f) => (f.replyMs !== undefined ? [f.replyMs] : []))).toEqual(replyTimes);
    // Kept as the store keeps a frame: the wire log's own numbering left out.
    for (const f of frames) expect(f).not.toHaveProperty('seq');
  });

  it('lets the meter lock go with the connection', async () => {
    let taken = 0;
    let released = 0;
    const app = startApp(freshName(), {
      acquireMeterLock: async () => (taken++, { release: () => void released++ }),
    });
    await app.ready;
    expect(await app.claimMeter()).toBe(true);
    expect(await app.claimMeter()).toBe(true);
    expect(taken).toBe(1);
    const meter = createVirtualMeter({ frozen: true });
    await app.session.connect(meter.port, { label: 'virtual', demo: true });
    expect(released).toBe(0);
    await app.session.disconnect();
    expect(released).toBe(1);
    expect(await app.claimMeter()).toBe(true);
    expect(taken).toBe(2);
  });

  it('says when storage is unavailable, and the app still runs without it', async () => {
    const app = startApp(freshName(), { openStore: () => Promise.reject(new Error('no IndexedDB here')) });
    await app.ready;
    expect(await app.store).toBeUndefined();
    expect(english(app.storeProblem())).toBe('Storage is not available: Error: no IndexedDB here');
    const meter = createVirtualMeter({ frozen: true, model: '403' });
    await app.session.connect(meter.port, { label: 'virtual', demo: true });
    expect((await app.session.readNow([60])).values).toHaveLength(1);
  });
});

describe('FrameLogSink', () => {
  it('writes a burst of frames as one batch, in order, the reply time included', async () => {
    const log = new WireLog();
    const writes: StoredFrame[][] = [];
    const sink = new FrameLogSink(log, { appendFrames: async (batch) => void writes.push([...batch]) }, 20);
    const request = log.add('tx', 'request', Uint8Array.of(0x80, 0x3f, 0x02, 0x0d));
    const reply = log.add('rx', 'noise', Uint8Array.of(0x40));
    expect(reply.replyMs).toBeDefined();
    await until(
      () => writes.length,
      (n) => n > 0,
    );
    expect(writes).toEqual([[request, reply]]);
    expect(writes[0]![1]).toMatchObject({ replyMs: reply.replyMs });
    await sink.stop();
    log.add('tx', 'request', Uint8Array.of(0x80));
    await new Promise((r) => setTimeout(r, 40));
    expect(writes).toHaveLength(1);
  });
});
