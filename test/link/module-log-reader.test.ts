/**
 * The 601/801 log reader (src/link/module-log-reader.ts) on its own, against the virtual 601's
 * module: the registers it asks, what it keeps and tells, damage, an empty log, and what it
 * refuses. What mutation testing showed the session tests leave open.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CID, LOGGER_ADDRESS, LOGGER_TYPE, decodeModuleLogRequest } from '../../src/kmp/index.ts';
import type { KmpClient } from '../../src/link/index.ts';
import type { LoggerEntry, LoggerProgress } from '../../src/link/index.ts';
import { moduleLogRegisters, readModuleLog } from '../../src/link/module-log-reader.ts';
import type { VirtualMeterOptions } from '../../src/sim/index.ts';
import { connect } from './helpers.ts';

const clients: KmpClient[] = [];
afterEach(async () => Promise.all(clients.splice(0).map((c) => c.close())));

const NOW = Date.parse('2026-03-10T12:30:00Z');
async function module601(options: VirtualMeterOptions = {}) {
  const c = await connect({ model: '601', now: () => NOW, ...options });
  clients.push(c.client);
  return c;
}
const top = LOGGER_ADDRESS.topModule;

describe('moduleLogRegisters', () => {
  it('asks the date and the time first, once each, and at most eight registers', () => {
    expect(moduleLogRegisters([60, 1003, 68, 1002])).toEqual([1003, 1002, 60, 68]);
    expect(moduleLogRegisters([1, 2, 3, 4, 5, 6, 7, 8])).toEqual([1003, 1002, 1, 2, 3, 4, 5, 6]);
    expect(moduleLogRegisters([])).toEqual([1003, 1002]);
  });
});

describe('readModuleLog', () => {
  it('asks log 3 for the monthly logger with its registers, keeps each page newest first, and tells progress', async () => {
    const { meter, client } = await module601();
    const pages: LoggerEntry[][] = [];
    const progress: LoggerProgress[] = [];
    const r = await readModuleLog(client, top, LOGGER_TYPE.month, [60, 68], {
      onEntries: (e) => void pages.push(e),
      onProgress: (p) => progress.push({ ...p }),
    });
    const requests = meter.received.map((x) => decodeModuleLogRequest(Uint8Array.of(x.cid, ...x.data)));
    expect(requests.every((q) => q.cid === CID.GetLogIdPresent && q.log === 3 && q.maxLength === 128)).toBe(true);
    expect(requests[0]).toMatchObject({ registers: [1003, 1002, 60, 68], records: 1, fromId: 0 });
    expect(requests.slice(1).map((q) => ('fromId' in q ? q.fromId : 0))).toEqual(
      requests.slice(1).map((_, i) => r.oldestId + 1 + i * 5),
    );
    for (const p of pages) expect(p.map((e) => e.id)).toEqual([...p.map((e) => e.id)].sort((a, b) => b - a));
    expect(pages.flat()).toHaveLength(36);
    expect(progress[0]).toEqual({ done: 1, total: 36, requests: 1 });
    expect(progress.at(-1)).toEqual({ done: 36, total: 36, requests: requests.length });
    expect(r).toMatchObject({
      logger: LOGGER_TYPE.month,
      registers: [1003, 1002, 60, 68],
      unsupported: [],
      complete: true,
      requests: requests.length,
      config: { logger: LOGGER_TYPE.month, depth: 36, registers: [1003, 1002, 60, 68], header: [] },
    });
    expect(r.newestId - r.oldestId + 1).toBe(36);
    expect(r.entries.map((e) => e.id)).toEqual(
      pages
        .flat()
        .map((e) => e.id)
        .sort((a, b) => b - a),
    );
    expect(r.entries.every((e) => e.logger === LOGGER_TYPE.month && e.values.length === 4)).toBe(true);
  });

  it('names the registers the log does not record', async () => {
    const { client } = await module601();
    const r = await readModuleLog(client, top, LOGGER_TYPE.year, [60, 63]);
    expect(r.unsupported).toEqual([63]);
    expect(r.entries[0]!.values.map((v) => v.id)).toEqual([1003, 1002, 60]);
  });

  it('reads only the ids not held, in runs, and none twice', async () => {
    const { meter, client } = await module601();
    const first = await readModuleLog(client, top, LOGGER_TYPE.month, [60]);
    const ids = first.entries.map((e) => e.id);
    const gap = new Set(ids.filter((id) => id % 7 !== 0));
    const before = meter.received.length;
    const r = await readModuleLog(client, top, LOGGER_TYPE.month, [60], { have: (id) => gap.has(id) });
    expect(r.entries.map((e) => e.id).sort((a, b) => a - b)).toEqual(
      ids.filter((id) => id % 7 === 0).sort((a, b) => a - b),
    );
    // The probe, then one request per missing id (none are consecutive).
    expect(meter.received.length - before).toBe(1 + r.entries.length - (gap.has(first.oldestId) ? 0 : 1));
    expect(r.complete).toBe(true);
  });

  it('an empty log: complete, nothing read, one request', async () => {
    const { meter, client } = await module601({ installedAt: NOW - 60_000 });
    const r = await readModuleLog(client, top, LOGGER_TYPE.month, [60]);
    expect(r).toMatchObject({ entries: [], complete: true, requests: 1, newestId: 0, oldestId: 0 });
    expect(meter.received).toHaveLength(1);
  });

  it('asks a damaged page again and ends with the same entries', async () => {
    const { meter, client } = await module601();
    let n = 0;
    const r = await readModuleLog(client, top, LOGGER_TYPE.month, [60], {
      onProgress: () => {
        if (++n === 2) meter.injectOnce('corrupt');
      },
    });
    expect(r.entries).toHaveLength(36);
    expect(r.complete).toBe(true);
    const pages = meter.received.map((x) => decodeModuleLogRequest(Uint8Array.of(x.cid, ...x.data)));
    const froms = pages.map((q) => ('fromId' in q ? q.fromId : -1));
    expect(new Set(froms).size).toBe(froms.length - 1);
  });

  it('gives up after maxFailures damaged replies in a row, with the damage as the reason', async () => {
    const { client } = await module601({ faults: { corruptRate: 1 } });
    await expect(readModuleLog(client, top, LOGGER_TYPE.month, [60], { maxFailures: 2 })).rejects.toMatchObject({
      kind: 'bad-crc',
    });
  });

  it('refuses a logger type a module has no log for', async () => {
    const { meter, client } = await module601();
    await expect(readModuleLog(client, top, LOGGER_TYPE.info, [60])).rejects.toMatchObject({
      kind: 'unexpected',
      detail: 'logger 1 has no log on a 601/801 logger module',
    });
    expect(meter.received).toHaveLength(0);
  });

  it('a module that is not there: no-logger after the one silent probe', async () => {
    const { meter, client } = await module601({ loggerModule: 'none' });
    await expect(readModuleLog(client, top, LOGGER_TYPE.month, [60])).rejects.toMatchObject({ kind: 'no-logger' });
    expect(meter.received).toHaveLength(1);
  });

  it('asks no page for more records than one reply of 128 bytes holds', async () => {
    const { meter, client } = await module601();
    await readModuleLog(client, top, LOGGER_TYPE.month, [60, 68, 86, 87]);
    const pages = meter.received.slice(1).map((x) => decodeModuleLogRequest(Uint8Array.of(x.cid, ...x.data)));
    expect(pages.length).toBeGreaterThan(1);
    expect(pages.every((q) => q.records <= 3)).toBe(true);
    expect(pages.slice(0, -1).every((q) => q.records === 3)).toBe(true);
  });

  it('gives up after four damaged replies in a row unless told otherwise', async () => {
    const { meter, client } = await module601({ faults: { corruptRate: 1 } });
    await expect(readModuleLog(client, top, LOGGER_TYPE.month, [60])).rejects.toMatchObject({ kind: 'bad-crc' });
    expect(meter.received).toHaveLength(4);
  });

  it('asks a page that got no answer again, and ends with every entry', async () => {
    const { meter, client } = await module601();
    let n = 0;
    const r = await readModuleLog(client, top, LOGGER_TYPE.month, [60], {
      onProgress: () => {
        if (++n === 3) meter.injectOnce('drop');
      },
    });
    expect(r).toMatchObject({ complete: true });
    expect(r.entries).toHaveLength(36);
    expect(meter.received).toHaveLength(r.requests);
  });

  it('only our own echo on the first request: no logger module', async () => {
    const { meter, client } = await module601({ echo: true, loggerModule: 'none' });
    await expect(readModuleLog(client, top, LOGGER_TYPE.month, [60])).rejects.toMatchObject({ kind: 'no-logger' });
    expect(meter.received).toHaveLength(1);
  });

  it('stops at the budget and on Cancel, incomplete, with what it read', async () => {
    const { client } = await module601();
    const budget = await readModuleLog(client, top, LOGGER_TYPE.month, [60], { maxRequests: 2 });
    expect(budget).toMatchObject({ complete: false, stoppedBy: 'budget', requests: 2 });
    expect(budget.entries.length).toBeGreaterThan(1);
    const abort = new AbortController();
    const cancelled = await readModuleLog(client, top, LOGGER_TYPE.month, [60], {
      signal: abort.signal,
      onProgress: (p) => p.requests === 2 && abort.abort(),
    });
    expect(cancelled).toMatchObject({ complete: false, stoppedBy: 'cancelled', requests: 2 });
  });
});
