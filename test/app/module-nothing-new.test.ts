/**
 * "Anything new?" on a 601's logger module, through the app (downloadLoggerAndKeep): the first
 * download of the hourly log asks no GetEventStatus (nothing held to be new against); the next one
 * asks it alone and reads nothing when the flag is clear; asked to read anyway, it does, by id,
 * and proves the held history as any download does.
 */
import { afterEach, expect, it } from 'vitest';
import { CID, LOGGER_TYPE } from '../../src/kmp/index.ts';
import { createVirtualMeter, type VirtualMeter } from '../../src/sim/index.ts';
import { closeApps, startApp } from './helpers.ts';

/** What the meter heard since it was last told to forget (its own list only grows). */
const marks = new WeakMap<VirtualMeter, number>();
const heard = (m: VirtualMeter) => m.received.slice(marks.get(m) ?? 0);
const forget = (m: VirtualMeter) => void marks.set(m, m.received.length);

afterEach(closeApps);

it('a 601 hourly log: all at first, then one 9B and nothing read, then read anyway on request', async () => {
  const app = startApp('module-nothing-new');
  await app.ready;
  const meter = createVirtualMeter({ model: '601', frozen: true, now: () => Date.parse('2026-03-10T12:30:00Z') });
  await app.session.connect(meter.port, { label: 'virtual', demo: true });
  await app.session.identify();
  forget(meter);
  const first = await app.downloadLogger(LOGGER_TYPE.hour, [60], { maxRequests: 400 });
  expect(first.complete).toBe(true);
  expect(heard(meter).some((x) => x.cid === CID.GetEventStatus)).toBe(false);
  const held = (await (await app.store)!.loggerEntries(app.session.identity!.serial, LOGGER_TYPE.hour)).length;

  forget(meter);
  const again = await app.downloadLogger(LOGGER_TYPE.hour, [60]);
  expect(again).toMatchObject({ nothingNew: 'event-status', entries: [], requests: 1, complete: true });
  expect(heard(meter).map((x) => x.cid)).toEqual([CID.GetEventStatus]);

  forget(meter);
  const anyway = await app.downloadLogger(LOGGER_TYPE.hour, [60], { askEventStatus: false });
  expect(anyway.nothingNew).toBeUndefined();
  expect(anyway).toMatchObject({ entries: [], complete: true });
  expect(anyway.historyChanged).toBeUndefined();
  expect(heard(meter).length).toBeGreaterThan(0);
  expect(heard(meter).every((x) => x.cid === CID.GetLogIdPresent)).toBe(true);
  expect(held).toBe(first.entries.length);
});
