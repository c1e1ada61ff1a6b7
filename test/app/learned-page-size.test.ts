/**
 * The page size a meter's logger replies held is learned per logger and register set and kept
 * with the meter (MeterRecord.replyRows, src/app/meter-operations.ts): the next download asks
 * pages of that size from its first request, instead of asking the whole log and being cut.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CID, LOGGER_SUB, LOGGER_TYPE, decodeLoggerRequest } from '../../src/kmp/index.ts';
import { createVirtualMeter } from '../../src/sim/index.ts';
import { meterProblem } from '../../src/store/validate.ts';
import { closeApps, startApp } from './helpers.ts';

afterEach(closeApps);

const DAY = 86_400_000;
const REGS = [60, 68];

describe('a learned page size', () => {
  it('is kept by logger and registers, and sizes the pages of the next download', async () => {
    const app = startApp('learned-page-size');
    await app.ready;
    const clock = { now: Date.parse('2026-03-10T12:30:00Z') };
    const meter = createVirtualMeter({ model: '603', frozen: true, now: () => clock.now, loggerReplyBytes: 150 });
    await app.session.connect(meter.port, { label: 'virtual', demo: true });
    await app.session.identify();
    const first = await app.downloadLogger(LOGGER_TYPE.day, REGS, { maxRequests: 400 });
    expect(first.complete).toBe(true);
    const rows = first.rowsPerReply!;
    expect(rows).toBeGreaterThan(1);
    expect(rows).toBeLessThan(50);
    const serial = app.session.identity!.serial;
    const db = (await app.store)!;
    expect((await db.getMeter(serial))?.replyRows).toEqual({ [`${LOGGER_TYPE.day}:${REGS.join(',')}`]: rows });

    // Ten days on: ten new entries, asked in pages of the learned size from the first page on.
    clock.now += 10 * DAY;
    const mark = meter.received.length;
    const again = await app.downloadLogger(LOGGER_TYPE.day, REGS);
    expect(again.entries).toHaveLength(10);
    const pages = meter.received
      .slice(mark)
      .filter((x) => x.cid === CID.Logger)
      .map((x) => decodeLoggerRequest(x.data))
      .filter((r) => r.sub === LOGGER_SUB.byId);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((r) => r.count <= rows)).toBe(true);
    // Another logger is learned apart.
    await app.downloadLogger(LOGGER_TYPE.month, [60]);
    const kept = (await db.getMeter(serial))?.replyRows ?? {};
    expect(Object.keys(kept).sort()).toEqual([`${LOGGER_TYPE.month}:60`, `${LOGGER_TYPE.day}:60,68`].sort());
  });

  it('refuses a meter record whose page sizes are not whole rows by logger and registers', () => {
    const ok = { serial: 1, replyRows: { '4:1003,1002,60': 12 } };
    expect(meterProblem(ok)).toBeUndefined();
    expect(meterProblem({ serial: 1, replyRows: [] })).toMatch(/replyRows must be page sizes/);
    expect(meterProblem({ serial: 1, replyRows: { '4:60': 0 } })).toMatch(/replyRows.4:60 must be a whole number/);
    expect(meterProblem({ serial: 1, replyRows: { '4:60': 1.5 } })).toMatch(/whole number/);
    expect(meterProblem({ serial: 1, replyRows: { '4:60': 65536 } })).toMatch(/whole number/);
    expect(meterProblem({ serial: 1, replyRows: { '<img>': 3 } })).toMatch(/is not a logger and its registers/);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`${i}:60`, 5]));
    expect(meterProblem({ serial: 1, replyRows: many })).toMatch(/at most 32 page sizes/);
  });
});
