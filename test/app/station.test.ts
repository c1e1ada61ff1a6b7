/**
 * Station mode in the app layer, as a person leaving a machine by the meter meets it: a reload
 * (a new MeterApp over the same database), a replugged head, the polling tab closed with another
 * open (two MeterApps sharing one Web Locks manager), polling stopped by hand, a head that is away.
 * The heads are virtual meters behind a HeadSource, as the pages' side makes one from
 * getPorts()/getDevices(); no request is ever sent unless the meter is there.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { INTERRUPTED, STOPPED, type Station } from '../../src/app/station.ts';
import { FakeHeads } from '../support/fake-heads.ts';
import { FakeLocks } from '../support/fake-locks.ts';
import { freshName, openStore } from '../store/helpers.ts';
import { closeApps, english, startApp, until } from './helpers.ts';
import type { MeterApp } from '../../src/app/meter-app.ts';

afterEach(closeApps);

const MINUTE = 60_000;
const REGISTERS = [60, 68, 80];

async function stationOf(app: MeterApp): Promise<Station> {
  const station = await app.station;
  if (!station) throw new Error('no station: the store did not open');
  return station;
}

async function readingsOf(app: MeterApp): Promise<number[]> {
  const db = (await app.store)!;
  const serial = app.session.identity?.serial ?? (await db.listMeters())[0]?.serial;
  if (serial === undefined) return [];
  return (await db.readings(serial)).map((r) => r.takenAt);
}

/** A first page: station mode on, connected by hand, polling started by hand. */
async function pollingByHand(name: string, heads: FakeHeads, options: { station?: boolean; locks?: FakeLocks } = {}) {
  const app = startApp(name, { heads, ...(options.locks ? { locks: options.locks.asLockManager() } : {}) });
  await app.ready;
  app.settings.update({ station: options.station ?? true, registers: REGISTERS });
  expect(await app.connectHead(heads.head())).toBeUndefined();
  await app.startPolling(REGISTERS, 15 * MINUTE);
  await until(
    () => readingsOf(app),
    (r) => r.length >= 1,
  );
  return app;
}

describe('station mode', () => {
  it('a reload resumes polling on its grid without a click, and reads no sooner than the interval asks', async () => {
    const name = freshName();
    const heads = new FakeHeads();
    const first = await pollingByHand(name, heads);
    const before = await readingsOf(first);
    await first.close();

    const requestsBefore = heads.meters[0]!.stats.requests;
    const second = startApp(name, { heads });
    await until(
      () => second.session.activity.kind,
      (k) => k === 'polling',
    );
    expect(second.session.state.kind).toBe('connected');
    const activity = second.session.activity as { nextAt: number; intervalMs: number };
    // The next slot after the last reading, not now: a reload costs no extra reading.
    expect(activity.nextAt - before.at(-1)!).toBeGreaterThan(14 * MINUTE);
    expect(activity.nextAt - before.at(-1)!).toBeLessThanOrEqual(15 * MINUTE);
    expect(await readingsOf(second)).toEqual(before);
    // Identifying the meter again is the whole cost: a couple of requests.
    expect(heads.meters[0]!.stats.requests - requestsBefore).toBeLessThanOrEqual(3);
    expect((await stationOf(second)).view).toMatchObject({ role: 'leader', stopped: undefined });
  }, 30_000);

  it('a reload with no reading since the last slot reads at once', async () => {
    const name = freshName();
    // What an earlier page left: station mode, polling wanted since two hours ago, a head; no reading stored.
    const db = await openStore(name);
    await db.putSetting('polling-intent', {
      registers: REGISTERS,
      intervalMs: 15 * MINUTE,
      anchor: Date.now() - 120 * MINUTE,
    });
    await db.putSetting('station-head', { path: 'Web Serial', usbVendorId: 0x0403, usbProductId: 0x6015 });
    db.close();
    const heads = new FakeHeads();
    const app = startApp(name, { heads });
    await app.ready;
    app.settings.update({ station: true });
    await until(
      () => readingsOf(app),
      (r) => r.length === 1,
    );
    expect(app.session.activity.kind).toBe('polling');
  }, 30_000);

  it('without station mode a reload does not connect, and says polling was interrupted', async () => {
    const name = freshName();
    const heads = new FakeHeads();
    const first = await pollingByHand(name, heads, { station: false });
    await first.close();
    const second = startApp(name, { heads });
    const notices: string[] = [];
    second.notices.subscribe((t) => notices.push(english(t)!));
    await until(
      () => notices,
      (n) => n.includes(english(INTERRUPTED)!),
    );
    expect(second.session.state.kind).toBe('disconnected');
    expect(heads.finds).toBe(0);
  }, 30_000);

  it('a head unplugged and plugged back in comes back polling, station mode or not', async () => {
    const heads = new FakeHeads();
    const app = await pollingByHand(freshName(), heads, { station: false });
    const meter = heads.meters[0]!;
    meter.unplug();
    await until(
      () => app.session.state.kind,
      (k) => k === 'lost',
    );
    expect(app.session.activity.kind).toBe('idle');
    meter.plugIn();
    await until(
      () => app.session.activity.kind,
      (k) => k === 'polling',
    );
    expect(app.session.state.kind).toBe('connected');
  }, 30_000);

  it('a head that is away is waited for, said in words, and taken when plugged in', async () => {
    const name = freshName();
    const heads = new FakeHeads();
    const first = await pollingByHand(name, heads);
    await first.close();
    heads.plugged = false;
    const second = startApp(name, { heads });
    const station = await stationOf(second);
    await until(
      () => station.view.stopped,
      (s) => english(s) === english(STOPPED.headAway('Web Serial 0403:6015')),
    );
    expect(second.session.state.kind).toBe('disconnected');
    heads.plugged = true;
    heads.meters[0]!.unplug();
    heads.meters[0]!.plugIn();
    await until(
      () => second.session.activity.kind,
      (k) => k === 'polling',
    );
    expect(station.view.stopped).toBeUndefined();
  }, 30_000);

  it('polling stopped by hand stays stopped after a reload, and the station says why', async () => {
    const name = freshName();
    const heads = new FakeHeads();
    const first = await pollingByHand(name, heads);
    await first.stopPolling();
    await first.close();
    const second = startApp(name, { heads });
    const station = await stationOf(second);
    await until(
      () => station.view.stopped,
      (s) => english(s) === english(STOPPED.byHand),
    );
    expect(second.session.state.kind).toBe('disconnected');
    expect(heads.finds).toBe(0);
  }, 30_000);

  it('with two tabs, one leads; when it closes the other takes over at once', async () => {
    const name = freshName();
    const heads = new FakeHeads();
    const locks = new FakeLocks();
    const first = await pollingByHand(name, heads, { locks });
    const second = startApp(name, { heads, locks: locks.asLockManager() });
    const waiting = await stationOf(second);
    await until(
      () => waiting.view.role,
      (r) => r === 'waiting',
    );
    expect(english(waiting.view.stopped)).toBe(english(STOPPED.anotherTab));
    expect(second.session.state.kind).toBe('disconnected');

    await first.close();
    await until(
      () => second.session.activity.kind,
      (k) => k === 'polling',
    );
    expect(waiting.view.role).toBe('leader');
  }, 30_000);

  it('counts the requests of today, across a reload', async () => {
    const name = freshName();
    const heads = new FakeHeads();
    const first = await pollingByHand(name, heads);
    const station = await stationOf(first);
    // The count follows the session's updates, which come just after a request goes out.
    await until(
      () => station.view.requestsToday === first.session.requestsSent,
      (same) => same,
    );
    const sent = first.session.requestsSent;
    await first.close();
    const second = startApp(name, { heads });
    await until(
      () => second.session.activity.kind,
      (k) => k === 'polling',
    );
    const again = await stationOf(second);
    await until(
      () => again.view.requestsToday === sent + second.session.requestsSent,
      (same) => same,
    );
    expect(again.view.requestsToday).toBeGreaterThan(sent);
  }, 30_000);
});
