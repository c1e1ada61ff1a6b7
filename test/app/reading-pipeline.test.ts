/**
 * The data's way end to end in Node: virtual meter → session → store (fake IndexedDB) → outbox
 * → a real broker (Aedes) → a subscriber, through a broker outage and a reload of the page.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIVE_REGISTERS } from '../../src/kmp/index.ts';
import { StoreError } from '../../src/store/store-error.ts';
import { KmpStore } from '../../src/store/kmp-store.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { aedesBroker } from '../support/brokers.ts';
import { subscribe, type Subscriber } from '../support/subscriber.ts';
import { freshName } from '../store/helpers.ts';
import { brokerSettings, closeApps, english, publishingWhen, startApp, until } from './helpers.ts';

const IDS = [...DEFAULT_LIVE_REGISTERS];

let broker: Awaited<ReturnType<typeof aedesBroker>>;
beforeAll(async () => {
  broker = await aedesBroker();
});
afterAll(async () => {
  await broker?.close();
});
afterEach(closeApps);

/** The `timestamp` of each `<base>/values` message, in the order they arrived. */
const published = (sub: Subscriber, base: string) =>
  sub.messages
    .filter((m) => m.topic === `${base}/values`)
    .map((m) => (JSON.parse(m.payload) as { timestamp: number }).timestamp);

const connected = (v: { status?: { connection: { kind: string } } | undefined }) =>
  v.status?.connection.kind === 'connected';

describe('the reading pipeline', () => {
  it('gets each reading to the store and the broker once, in order, through an outage and a reload', async () => {
    const base = 'kmp-app-reload';
    const name = freshName();
    const sub = await subscribe(broker.wsUrl, [`${base}/#`]);
    const meter = createVirtualMeter({ frozen: true, model: '403' });
    try {
      // The first page: publishing on, two readings while the broker is up.
      const first = startApp(name);
      await first.ready;
      expect((await first.publishing.save(brokerSettings(broker.wsUrl, base))).problems).toEqual([]);
      await publishingWhen(first.publishing, connected);
      await first.session.connect(meter.port, { label: 'virtual', demo: true });
      const { identity } = await first.session.identifyAndRead(IDS);
      const serial = identity.serial;
      await first.session.readNow(IDS);
      const db = (await first.store)!;
      await until(
        () => published(sub, base),
        (p) => p.length === 2,
      );

      // The broker goes away: two more readings are stored and wait in the outbox.
      await broker.stop();
      await first.session.readNow(IDS);
      await first.session.readNow(IDS);
      await until(
        () => db.countReadings(serial),
        (n) => n === 4,
      );
      expect(await db.outboxCount()).toBe(2);

      // A reload: a new app over the same database, which restores the broker settings itself.
      await first.close();
      const second = startApp(name);
      await second.ready;
      expect(second.publishing.settings).toMatchObject({ enabled: true, baseTopic: base });
      await second.session.connect(meter.port, { label: 'virtual', demo: true });
      await second.session.identifyAndRead(IDS);
      const reopened = (await second.store)!;
      await until(
        () => reopened.countReadings(serial),
        (n) => n === 5,
      );
      expect(published(sub, base)).toHaveLength(2);

      // The broker is back: what waited arrives after what was sent, each once, in the order taken.
      await broker.start();
      await until(
        () => reopened.outboxCount(),
        (n) => n === 0,
        30_000,
      );
      const stored = (await reopened.readings(serial)).map((r) => r.takenAt);
      await until(
        () => published(sub, base),
        (p) => p.length >= 5,
      );
      // A moment for any duplicate to arrive before the count is taken.
      await new Promise((r) => setTimeout(r, 300));
      expect(published(sub, base)).toEqual(stored);
      expect(new Set(stored).size).toBe(5);
    } finally {
      await sub.close();
    }
  }, 60_000);

  it('reports a reading the store refused, publishes nothing of it, and goes on with the next', async () => {
    const base = 'kmp-app-refused';
    const sub = await subscribe(broker.wsUrl, [`${base}/#`]);
    let refuse = true;
    const app = startApp(freshName(), {
      openStore: async (onVersionChange) => {
        const store = await KmpStore.open({ name: freshName(), onVersionChange });
        const save = store.saveReading.bind(store);
        // Storage full for the first reading only.
        store.saveReading = (reading, options) =>
          refuse ? ((refuse = false), Promise.reject(new StoreError('quota'))) : save(reading, options);
        return store;
      },
    });
    const notices: string[] = [];
    app.notices.subscribe((said) => notices.push(english(said)!));
    const saved: number[] = [];
    app.readingsSaved.subscribe((serial) => saved.push(serial));
    try {
      await app.ready;
      await app.publishing.save(brokerSettings(broker.wsUrl, base));
      await publishingWhen(app.publishing, connected);
      const meter = createVirtualMeter({ frozen: true, model: '403' });
      await app.session.connect(meter.port, { label: 'virtual', demo: true });
      const { identity, reading: refused } = await app.session.identifyAndRead(IDS);
      await until(
        () => notices,
        (n) => n.length > 0,
      );
      expect(notices).toEqual([new StoreError('quota').message]);
      expect(saved).toEqual([]);

      const next = await app.session.readNow(IDS);
      await until(
        () => published(sub, base),
        (p) => p.length > 0,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(published(sub, base)).toEqual([next.takenAt]);
      expect(saved).toEqual([identity.serial]);
      const db = (await app.store)!;
      expect((await db.readings(identity.serial)).map((r) => r.takenAt)).toEqual([next.takenAt]);
      expect(refused.takenAt).toBeLessThan(next.takenAt);
      expect(await db.outboxCount()).toBe(0);
    } finally {
      await sub.close();
    }
  }, 30_000);
});
