/**
 * A week of station mode in fake time, as a machine left by the meter lives it: the app layer
 * (MeterApp, its store in fake IndexedDB, its publishing through mqtt.js into a real Aedes broker
 * over in-memory streams), a virtual 403 answering at 1200 baud, and the Home Assistant double
 * listening on the broker. Quarter-hour polls for seven days, and on the way the faults a station
 * meets: the broker out of reach for two hours, the head unplugged for three, a reload, the meter's
 * optical port asleep for two hours, the polling tab closed while a second tab waits.
 *
 * Checked: every slot outside a fault read exactly once and on time (drift), every stored reading
 * delivered to the broker exactly once, what Home Assistant shows at every minute (current while
 * readings come, unavailable within expire_after of a fault), and the requests each fault cost.
 * Reported (npm run bench prints it; KMP_WEEK_REPORT names a file for it): drift, heap and stored
 * bytes per reading, requests per poll and per fault.
 */
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MeterApp } from '../../src/app/meter-app.ts';
import { MeterSession } from '../../src/link/index.ts';
import { expireAfterSeconds, valuesTopic } from '../../src/mqtt/index.ts';
import { FakeHeads } from '../support/fake-heads.ts';
import { FakeLocks } from '../support/fake-locks.ts';
import { HaMqttDouble } from '../support/ha-mqtt-double.ts';
import { MemoryBroker } from '../support/memory-broker.ts';
import { freshName } from '../store/helpers.ts';
import { brokerSettings, closeApps, startApp } from './helpers.ts';

// A garbage collection before each heap figure, so that it counts what is kept, not what is due.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const INTERVAL = 15 * MINUTE;
/** Monday 5 January 2026, midnight UTC. */
const T0 = Date.UTC(2026, 0, 5);
const WEEK = 7 * DAY;
const REGISTERS = [60, 68, 74, 80, 86, 87, 89, 99];
const BASE = 'station-week';
const EXPIRE_MS = expireAfterSeconds(INTERVAL) * 1000;

/** A fault from `from` to `to` (equal for a reload or a takeover, which last no time). */
interface Fault {
  name: string;
  from: number;
  to: number;
  /** Readings stop while it lasts (not so for the broker out of reach: the store keeps them). */
  stopsReading: boolean;
  /** Home Assistant must show the meter unavailable while it lasts (after expire_after at most). */
  unavailable: boolean;
}

const at = (day: number, hour: number) => T0 + day * DAY + hour * HOUR;
const FAULTS: Fault[] = [
  { name: 'broker out of reach', from: at(1, 10), to: at(1, 12), stopsReading: false, unavailable: true },
  { name: 'head unplugged', from: at(2, 8), to: at(2, 11), stopsReading: true, unavailable: true },
  { name: 'reload', from: at(3, 14), to: at(3, 14), stopsReading: false, unavailable: false },
  { name: 'meter asleep', from: at(4, 20), to: at(4, 22), stopsReading: true, unavailable: true },
  {
    name: 'polling tab closed, second tab takes over',
    from: at(5, 9),
    to: at(5, 9),
    stopsReading: false,
    unavailable: false,
  },
];
/** Home Assistant is looked at this often (every fault starts and ends on such a step). */
const SAMPLE = 5 * MINUTE;
/** After a fault ends: time for the next slot and a broker reconnect's backoff. */
const RECOVERY_MS = INTERVAL + 5 * MINUTE;

afterEach(async () => {
  vi.useRealTimers();
  await closeApps();
});

/** Lets the real event loop (fake IndexedDB, the in-memory streams) run between fake-time steps. */
async function realTurns(n = 30): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((r) => setImmediate(r));
}

describe('a week of station mode', () => {
  it('polls on time, loses and doubles nothing, and Home Assistant shows the truth at every minute', async () => {
    vi.useFakeTimers({
      now: T0,
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
    });
    const broker = await MemoryBroker.start();
    const name = freshName();
    const heads = new FakeHeads(1, { frozen: true, model: '403', timing: 'realtime', turnaroundMs: 400 });
    const meter = heads.meters[0]!;
    const locks = new FakeLocks();
    const open = (): MeterApp =>
      startApp(name, {
        heads,
        locks: locks.asLockManager(),
        session: new MeterSession(),
        mqttConnection: { ...broker.connection(), maxBackoffMs: 2 * MINUTE },
      });

    // Home Assistant on the broker: every message into the double, stamped in (fake) time.
    const delivered: number[] = [];
    const haClient = broker.client({ clientId: 'home-assistant', keepalive: 60 });
    const ha = new HaMqttDouble((topics) => void haClient.subscribe(topics));
    haClient.on('message', (topic, payload) => {
      if (topic === valuesTopic(BASE))
        delivered.push((JSON.parse(payload.toString()) as { timestamp: number }).timestamp);
      ha.receive(topic, payload.toString(), Date.now());
    });
    haClient.subscribe(['homeassistant/#', valuesTopic(BASE)]);

    const step = async (ms: number) => {
      await vi.advanceTimersByTimeAsync(ms);
      await realTurns();
    };
    /** Runs fake time until `p` settles: the meter answers on (fake) timers. */
    const drive = async <T>(p: Promise<T>): Promise<T> => {
      let done = false;
      void p.finally(() => (done = true)).catch(() => undefined);
      await settle(() => done, 'an action to finish');
      return p;
    };
    const settle = async (ok: () => boolean, what: string, limitMs = 5 * MINUTE) => {
      const end = Date.now() + limitMs;
      while (!ok()) {
        if (Date.now() > end) throw new Error(`not within ${limitMs / MINUTE} min: ${what}`);
        await step(1000);
      }
    };

    let app = open();
    await app.ready;
    app.settings.update({ station: true, registers: REGISTERS, pollIntervalMs: INTERVAL });
    await app.publishing.save(brokerSettings('ws://127.0.0.1:9001', BASE));
    await settle(() => app.publishing.view.status?.connection.kind === 'connected', 'publishing connected');
    expect(await drive(app.connectHead(heads.head()))).toBeUndefined();
    await drive(app.startPolling(REGISTERS, INTERVAL));
    const serial = meter.serial;
    const heapAt = () => (gc(), process.memoryUsage().heapUsed);
    let heapDayOne: { heap: number; readings: number } | undefined;
    const requestsAt = new Map<number, number>();

    // The week in steps of SAMPLE: faults where the plan says, Home Assistant sampled at each step.
    let second: MeterApp | undefined;
    let entity: string | undefined;
    const samples: Array<{ at: number; available: boolean | undefined }> = [];
    for (let t = T0 + SAMPLE; t <= T0 + WEEK; t += SAMPLE) {
      await step(Math.max(0, t - Date.now()));
      requestsAt.set(t, meter.stats.requests);
      if (t === T0 + DAY) heapDayOne = { heap: heapAt(), readings: (await (await app.store)!.readings(serial)).length };
      if (t === FAULTS[0]!.from) {
        broker.down = true;
        broker.cut();
      }
      if (t === FAULTS[0]!.to) broker.down = false;
      if (t === FAULTS[1]!.from) meter.unplug();
      if (t === FAULTS[1]!.to) meter.plugIn();
      if (t === FAULTS[2]!.from) {
        await drive(app.close());
        app = open();
        // A reload takes a second or two; fake time must not run ahead of the new page's start.
        await settle(() => app.session.activity.kind === 'polling', 'the reloaded page polling');
      }
      if (t === FAULTS[3]!.from) meter.sleepNow();
      if (t === FAULTS[3]!.to) meter.pressButton();
      if (t === FAULTS[4]!.from - HOUR) second = open();
      if (t === FAULTS[4]!.from) {
        await drive(app.close());
        app = second!;
        await settle(() => app.session.activity.kind === 'polling', 'the second tab polling');
      }
      entity ??= ha
        .entityIds()
        .find((e) => e.startsWith(`kamstrup_${serial}_`) && ha.config(e)?.device_class === 'energy');
      samples.push({ at: t, available: entity === undefined ? undefined : ha.availableAt(entity, t) });
    }
    const heapEnd = heapAt();
    // The outbox drains before the books are closed.
    await settle(() => app.publishing.view.status?.outbox === 0, 'outbox empty');
    await step(MINUTE);

    const db = (await app.store)!;
    const readings = await db.readings(serial);
    const taken = readings.map((r) => r.takenAt);

    // 1. Every slot outside a reading-stopping fault read once, on time; no reading doubled.
    const inFault = (t: number, pad = 0) =>
      FAULTS.some((f) => f.stopsReading && t >= f.from - pad && t < f.to + (f.to > f.from ? RECOVERY_MS : 0));
    // Lateness against the grid polling keeps: Start polling's own read and every interval on.
    const anchor = taken[1]!;
    const lateness: number[] = [];
    const missed: string[] = [];
    // From the second slot: the first reading is Connect's own, and Start polling reads again at once.
    for (let slot = anchor; slot <= T0 + WEEK - MINUTE; slot += INTERVAL) {
      if (inFault(slot, INTERVAL)) continue;
      const hits = taken.filter((t) => t >= slot && t < slot + MINUTE);
      if (hits.length !== 1) missed.push(`${new Date(slot).toISOString()}: ${hits.length} readings`);
      else lateness.push(hits[0]! - slot);
    }
    expect(missed).toEqual([]);
    // Apart from that first pair, no two readings closer than half an interval: nothing read twice.
    const gaps = taken.slice(2).map((t, i) => t - taken[i + 1]!);
    expect(Math.min(...gaps)).toBeGreaterThan(INTERVAL / 2);
    expect(Math.max(...lateness)).toBeLessThan(10_000);
    const firstDay = lateness.slice(0, 96);
    const lastDay = lateness.slice(-96);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // No drift: the last day's polls start as close to their slots as the first day's.
    expect(Math.abs(mean(lastDay) - mean(firstDay))).toBeLessThan(1000);

    // 2. The broker got every stored reading exactly once.
    expect([...delivered].sort((a, b) => a - b)).toEqual(taken);

    // 3. Home Assistant at every minute: current outside faults, unavailable in them.
    const wrong: string[] = [];
    for (const s of samples) {
      const fault = FAULTS.find((f) => s.at >= f.from && s.at < f.to + RECOVERY_MS);
      const expected =
        fault === undefined
          ? true
          : fault.unavailable && s.at >= fault.from + EXPIRE_MS && s.at < fault.to
            ? false
            : undefined;
      if (s.at < T0 + 5 * MINUTE || expected === undefined) continue;
      if (s.available !== expected)
        wrong.push(`${new Date(s.at).toISOString()}: ${s.available} (${fault?.name ?? 'healthy'})`);
    }
    expect(wrong).toEqual([]);
    // Each fault that should be seen was seen, and soon: minutes from its start to "unavailable".
    const seenAfter = FAULTS.filter((f) => f.unavailable).map((f) => {
      const first = samples.find((s) => s.at >= f.from && s.available === false);
      return { fault: f.name, minutes: first ? (first.at - f.from) / MINUTE : Infinity };
    });
    for (const s of seenAfter) expect(s.minutes).toBeLessThanOrEqual(EXPIRE_MS / MINUTE);

    // 4. Requests: a healthy poll's cost, and what each fault cost on top.
    const polls = lateness.length;
    const healthyPoll = (requestsAt.get(at(0, 12) + SAMPLE)! - requestsAt.get(at(0, 11) + SAMPLE)!) / 4;
    const faultCost = FAULTS.map((f) => {
      const span = f.to - f.from + RECOVERY_MS;
      const before = requestsAt.get(f.from) ?? 0;
      const after = requestsAt.get(f.from + span) ?? meter.stats.requests;
      const slots = Math.floor(span / INTERVAL);
      return { fault: f.name, extra: after - before - slots * healthyPoll };
    });
    // A sleeping meter costs at most 3 × a healthy poll per slot it sleeps through, and one catch-up
    // read; any other fault at most one identification of the meter (GetType and the identity
    // registers: 4 requests on a 403) and one catch-up read.
    const asleepSlots = (FAULTS[3]!.to - FAULTS[3]!.from) / INTERVAL;
    for (const c of faultCost)
      expect(c.extra, c.fault).toBeLessThanOrEqual(
        c.fault === 'meter asleep' ? asleepSlots * 2 * healthyPoll + healthyPoll : 4 + healthyPoll,
      );

    const stored = JSON.stringify(readings).length;
    haClient.end(true);
    await drive(app.close());
    await broker.close();
    const report = {
      days: 7,
      intervalMinutes: INTERVAL / MINUTE,
      readings: taken.length,
      slotsChecked: polls,
      lateMs: {
        mean: Math.round(mean(lateness)),
        max: Math.max(...lateness),
        firstDayMean: Math.round(mean(firstDay)),
        lastDayMean: Math.round(mean(lastDay)),
      },
      // From the end of day one to the end, after a collection each time. Fake IndexedDB keeps its
      // data in the same heap, so this counts every reading, outbox entry and frame-log line the
      // store holds as well as what the app keeps: an upper bound for the app's own share.
      heapBytesPerReading: Math.round((heapEnd - heapDayOne!.heap) / (taken.length - heapDayOne!.readings)),
      storedBytesPerReading: Math.round(stored / taken.length),
      requests: { total: meter.stats.requests, healthyPoll, faults: faultCost },
      unavailableMinutesAfterFault: seenAfter,
      samplesChecked: samples.length,
    };
    if (process.env.KMP_WEEK_REPORT) writeFileSync(process.env.KMP_WEEK_REPORT, JSON.stringify(report, null, 2));
  }, 900_000);
});
