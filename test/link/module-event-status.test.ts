/**
 * GetEventStatus (9B) before a 601/801 interval log download (src/link/module-log-reader.ts,
 * src/kmp/module-logger.ts): a clear flag ends the download at one request with nothing read; a
 * set one, or a module that does not answer 9B, goes on to the A2 read-out; 9C is never sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  CID,
  KmpError,
  LOGGER_ADDRESS,
  LOGGER_TYPE,
  decodeEventStatusReply,
  encodeEventStatusReply,
} from '../../src/kmp/index.ts';
import type { KmpClient } from '../../src/link/index.ts';
import { readModuleLog } from '../../src/link/module-log-reader.ts';
import type { VirtualMeter, VirtualMeterOptions } from '../../src/sim/index.ts';
import { connect } from './helpers.ts';

/** What the meter heard since it was last told to forget (its own list only grows). */
const marks = new WeakMap<VirtualMeter, number>();
const heard = (m: VirtualMeter) => m.received.slice(marks.get(m) ?? 0);
const forget = (m: VirtualMeter) => void marks.set(m, m.received.length);

const clients: KmpClient[] = [];
afterEach(async () => Promise.all(clients.splice(0).map((c) => c.close())));

const HOUR = 3_600_000;
const top = LOGGER_ADDRESS.topModule;

async function module601(options: VirtualMeterOptions = {}) {
  const clock = { now: Date.parse('2026-03-10T12:30:00Z') };
  const c = await connect({ model: '601', now: () => clock.now, ...options });
  clients.push(c.client);
  return { ...c, clock };
}

describe('the 9B codec', () => {
  it('reads byte 2 bit 0 as the interval log and bit 1 as the RTC log, and keeps the four bytes', () => {
    const s = decodeEventStatusReply(Uint8Array.of(0x9b, 0xaa, 0xbb, 0x02, 0xcc));
    expect(s).toEqual({ intervalLogUnread: false, rtcLogUnread: true, bytes: Uint8Array.of(0xaa, 0xbb, 0x02, 0xcc) });
    expect(decodeEventStatusReply(Uint8Array.of(0x9b, 0, 0, 0x01, 0)).intervalLogUnread).toBe(true);
    expect(decodeEventStatusReply(Uint8Array.of(0x9b, 0xff, 0xff, 0xfc, 0xff))).toMatchObject({
      intervalLogUnread: false,
      rtcLogUnread: false,
    });
    for (const flags of [
      { intervalLogUnread: true, rtcLogUnread: false },
      { intervalLogUnread: false, rtcLogUnread: true },
      { intervalLogUnread: true, rtcLogUnread: true },
    ])
      expect(decodeEventStatusReply(encodeEventStatusReply(flags))).toMatchObject(flags);
    expect(Array.from(encodeEventStatusReply({ intervalLogUnread: true, rtcLogUnread: true }))).toEqual([
      0x9b, 0, 0, 3, 0,
    ]);
  });

  it('refuses another command and any length but four, with KmpError only', () => {
    const bad = (bytes: number[]) => () => decodeEventStatusReply(Uint8Array.from(bytes));
    expect(bad([0x9c, 0, 0, 0, 0])).toThrow(/0x9c is not an event status reply/);
    expect(bad([])).toThrow(/0x0 is not an event status reply/);
    expect(bad([0x9b, 0, 0, 0])).toThrow(/has 4 bytes, not 3/);
    expect(bad([0x9b, 0, 0, 0, 0, 0])).toThrow(/has 4 bytes, not 5/);
    for (let n = 0; n < 300; n++) {
      const bytes = Array.from({ length: n % 9 }, (_, i) => (n * 37 + i * 101) & 0xff);
      try {
        decodeEventStatusReply(Uint8Array.from(bytes));
      } catch (e) {
        expect(e).toBeInstanceOf(KmpError);
      }
    }
  });
});

describe('asking the module before the interval log', () => {
  it('a clear flag: one 9B to the module, nothing read, and said so', async () => {
    const { meter, client } = await module601();
    const r = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true });
    expect(heard(meter).map((x) => [x.cid, x.dst, x.data.length])).toEqual([[CID.GetEventStatus, top, 0]]);
    expect(r).toMatchObject({ nothingNew: 'event-status', entries: [], requests: 1, complete: true });
  });

  it('a record written since: the flag is set and the new record is read by id; the flag stays set after', async () => {
    const { meter, client, clock } = await module601();
    const first = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { maxRequests: 400 });
    const held = new Set(first.entries.map((e) => e.id));
    clock.now += HOUR;
    forget(meter);
    const second = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true, have: held });
    expect(second.nothingNew).toBeUndefined();
    expect(second.entries.map((e) => e.id)).toEqual([first.newestId + 1]);
    expect(heard(meter)[0]!.cid).toBe(CID.GetEventStatus);
    expect(
      heard(meter)
        .slice(1)
        .every((x) => x.cid === CID.GetLogIdPresent),
    ).toBe(true);
    // Nothing cleared the flag (9C is never sent): it stays set, and the A2 probe finds nothing.
    for (const e of second.entries) held.add(e.id);
    const third = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true, have: held });
    expect(third).toMatchObject({ entries: [], complete: true });
    expect(third.nothingNew).toBeUndefined();
    expect(heard(meter).some((x) => x.cid === CID.ClearEventStatus)).toBe(false);
  });

  it('a module nobody clears: the flag is always set, and the download goes on as without it', async () => {
    const { meter, client } = await module601({ eventStatus: 'unread' });
    const r = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true, maxRequests: 400 });
    expect(r.nothingNew).toBeUndefined();
    expect(r.entries.length).toBeGreaterThan(100);
    expect(heard(meter).filter((x) => x.cid === CID.GetEventStatus)).toHaveLength(1);
  });

  it('a module silent to 9B: one silent request, then the A2 read-out as usual', async () => {
    const { meter, client } = await module601({ silentTo: [CID.GetEventStatus] });
    const r = await readModuleLog(client, top, LOGGER_TYPE.month, [60], { askEventStatus: true });
    // Not the interval log: the flag says nothing of it, so 9B is not asked at all.
    expect(heard(meter).some((x) => x.cid === CID.GetEventStatus)).toBe(false);
    expect(r.entries).toHaveLength(36);
    forget(meter);
    const h = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true, maxRequests: 400 });
    expect(heard(meter)[0]!.cid).toBe(CID.GetEventStatus);
    expect(h.complete).toBe(true);
    expect(h.entries.length).toBeGreaterThan(100);
  });

  it('a damaged 9B reply is asked again; a cancel before it sends nothing', async () => {
    const { meter, client } = await module601();
    meter.injectOnce('corrupt');
    const r = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true });
    expect(heard(meter).map((x) => x.cid)).toEqual([CID.GetEventStatus, CID.GetEventStatus]);
    expect(r).toMatchObject({ nothingNew: 'event-status', requests: 2 });
    forget(meter);
    const stop = new AbortController();
    stop.abort();
    const c = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true, signal: stop.signal });
    expect(c).toMatchObject({ stoppedBy: 'cancelled', complete: false, requests: 0 });
    expect(heard(meter)).toHaveLength(0);
  });

  it('the request budget counts 9B', async () => {
    const { meter, client } = await module601({ eventStatus: 'unread' });
    const r = await readModuleLog(client, top, LOGGER_TYPE.hour, [60], { askEventStatus: true, maxRequests: 1 });
    expect(r).toMatchObject({ stoppedBy: 'budget', requests: 1, complete: false });
    expect(heard(meter).map((x) => x.cid)).toEqual([CID.GetEventStatus]);
  });
});
