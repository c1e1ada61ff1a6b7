import { afterEach, describe, expect, it } from 'vitest';
import {
  CID,
  KmpError,
  LOGGER_INFO,
  LOGGER_SUB,
  LOGGER_TYPE,
  decodeLoggerRequest,
  encodeFrame,
  encodeLoggerReply,
  encodeLoggerRequest,
  fromHex,
  type LoggerRequest,
} from '../../src/kmp/index.ts';
import {
  ASSUMED_LOGGER_REPLY_BYTES,
  KmpClient,
  LinkError,
  MeterSession,
  WireLog,
  estimateLoggerDownload,
  type LoggerEntry,
} from '../../src/link/index.ts';
import { createVirtualMeter, type VirtualMeter } from '../../src/sim/index.ts';
import { REAL } from '../fixtures/logger-frames.ts';
import { FAST, connect } from './helpers.ts';

const clients: KmpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

async function setup(...args: Parameters<typeof connect>) {
  const s = await connect(...args);
  clients.push(s.client);
  return s;
}

/** The logger requests the meter received, decoded. */
const loggerRequests = (meter: VirtualMeter): LoggerRequest[] =>
  meter.received.filter((r) => r.cid === CID.Logger).map((r) => decodeLoggerRequest(r.data));

/** What a download must give: the meter's own entries, as id, time and exact decimals. */
function expected(meter: VirtualMeter, type: number, registers: readonly number[]) {
  return meter.loggerEntries(type, registers).map((e) => ({
    id: e.id,
    time: e.time,
    values: e.values.map((v) => [v.id, v.unitCode, v.decimal]),
  }));
}
const got = (entries: readonly LoggerEntry[]) =>
  entries.map((e) => ({ id: e.id, time: e.time, values: e.values.map((v) => [v.id, v.unitCode, v.decimal]) }));

const MONTH_REGS = [60, 68, 1004, 99];
const DAY_REGS = [60, 68];

describe('downloading a whole logger from the virtual 603', () => {
  it('monthly and daily, through echo, random chunks, damaged and cut-off replies and a small buffer: all entries, no gaps or repeats', async () => {
    const { meter, client } = await setup({
      model: '603',
      echo: true,
      chunking: 'random',
      faults: { corruptRate: 0.15, truncateRate: 0.1 },
      loggerReplyBytes: 160,
      seed: 11,
    });
    for (const [type, regs] of [
      [LOGGER_TYPE.month, MONTH_REGS],
      [LOGGER_TYPE.day, DAY_REGS],
    ] as const) {
      const progress: number[] = [];
      const result = await client.readLogger(type, regs, {
        maxRequests: 1000,
        maxFailures: 10,
        onProgress: (p) => progress.push(p.done),
      });
      expect(result.complete).toBe(true);
      expect(result.registers).toEqual([348, ...regs]);
      const want = expected(meter, type, [348, ...regs]);
      expect(got(result.entries)).toEqual(want);
      expect(new Set(result.entries.map((e) => e.id)).size).toBe(result.entries.length);
      expect(result.entries.length).toBe(type === LOGGER_TYPE.month ? 36 : 460);
      expect(progress.at(-1)).toBe(want.length);
      expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    }
    expect(client.stats.badFrames).toBeGreaterThan(0);
    expect(client.stats.echoes).toBeGreaterThan(0);
  });

  it('asks the fewest requests the buffer allows: 05, one 07 from the newest end, then 06 pages of what fits', async () => {
    const { meter, client } = await setup({ model: '603' });
    const result = await client.readLogger(LOGGER_TYPE.day, DAY_REGS);
    const sent = loggerRequests(meter);
    // 15 header + 3 × 5 + 15 value bytes in row 0, then 15 a row: 14 rows in 240 bytes.
    const fit = 14;
    expect(result.rowsPerReply).toBe(fit);
    expect(sent[0]).toEqual({ sub: 5, logger: 4 });
    expect(sent[1]).toEqual({ sub: 7, logger: 4, offset: 0xffff, count: 460, registers: [348, 60, 68] });
    expect(sent.slice(2).every((r) => r.sub === 6 && r.count <= fit)).toBe(true);
    expect(sent).toHaveLength(1 + Math.ceil(460 / fit));
    expect(result.requests).toBe(sent.length);
    expect(estimateLoggerDownload({ entries: 460, registers: [348, 60, 68] })).toMatchObject({
      requests: sent.length,
      rowsPerReply: fit,
    });
    // Pages follow on without gaps: each starts where the last stopped.
    const by06 = sent.filter((r): r is Extract<LoggerRequest, { sub: 6 }> => r.sub === 6);
    by06.forEach((r, i) => i > 0 && expect(r.fromId).toBe(by06[i - 1]!.fromId - by06[i - 1]!.count));
  });

  it('knows the configuration from before and skips 05; an empty logger gives nothing, completely', async () => {
    const { meter, client } = await setup({ model: '603' });
    const first = await client.readLogger(LOGGER_TYPE.year, [60]);
    const again = await client.readLogger(LOGGER_TYPE.year, [60], { config: first.config });
    expect(got(again.entries)).toEqual(got(first.entries));
    expect(again.requests).toBe(first.requests - 1);
    const empty = await client.readLogger(LOGGER_TYPE.minute1, [60]);
    expect(empty).toMatchObject({ complete: true, entries: [], newestId: 0, requests: 2 });
    expect(loggerRequests(meter).every((r) => [5, 6, 7].includes(r.sub))).toBe(true);
  });

  it('reads a time range: stops at `from`, keeps nothing after `to`', async () => {
    const { meter, client } = await setup({ model: '603' });
    const all = meter.loggerEntries(LOGGER_TYPE.month, [348, 60]);
    const from = all[20]!.time;
    const to = all[5]!.time;
    const result = await client.readLogger(LOGGER_TYPE.month, [60], { from, to });
    expect(result.entries.map((e) => e.id)).toEqual(all.slice(5, 21).map((e) => e.id));
    // Nothing was asked after the page that reached the first entry older than `from`.
    const pages = loggerRequests(meter).filter((r): r is Extract<LoggerRequest, { sub: 6 }> => r.sub === 6);
    const last = pages.at(-1)!;
    expect(last.fromId).toBeGreaterThanOrEqual(all[21]!.id);
    expect(last.fromId - last.count + 1).toBeLessThanOrEqual(all[21]!.id);
    expect(result.complete).toBe(true);
  });

  it('a time range deep in the daily logger: progress counts the whole logger until `from` is reached, then what was read', async () => {
    const { meter, client } = await setup({ model: '603' });
    const all = meter.loggerEntries(LOGGER_TYPE.day, [348, ...DAY_REGS]);
    const progress: Array<{ done: number; total: number }> = [];
    const result = await client.readLogger(LOGGER_TYPE.day, DAY_REGS, {
      from: all[100]!.time,
      to: all[5]!.time,
      onProgress: ({ done, total }) => progress.push({ done, total }),
    });
    expect(result.entries.map((e) => e.id)).toEqual(all.slice(5, 101).map((e) => e.id));
    expect(result.complete).toBe(true);
    // Pages of 14 (see above): the probe, then 06 pages up to the one holding entry 101 (the first too old).
    const fit = 14;
    expect(result.requests).toBe(1 + 1 + Math.floor(101 / fit));
    expect(progress[0]).toEqual({ done: fit, total: 460 });
    expect(progress.at(-1)).toEqual({ done: 101, total: 101 });
  });

  it('shrinks the page after a damaged reply and grows no bigger than the meter fills', async () => {
    const { meter, client } = await setup({ model: '603' });
    let damaged = 0;
    const result = await client.readLogger(LOGGER_TYPE.day, DAY_REGS, {
      onEntries: () => {
        if (damaged++ === 1) meter.injectOnce('corrupt');
      },
    });
    expect(result.complete).toBe(true);
    const by06 = loggerRequests(meter).filter((r): r is Extract<LoggerRequest, { sub: 6 }> => r.sub === 6);
    const repeat = by06.findIndex((r, i) => i > 0 && r.fromId === by06[i - 1]!.fromId);
    expect(repeat).toBeGreaterThan(0);
    expect(by06[repeat]!.count).toBe(Math.floor(by06[repeat - 1]!.count / 2));
    expect(got(result.entries)).toEqual(expected(meter, LOGGER_TYPE.day, [348, ...DAY_REGS]));
  });
});

describe('cancel, resume and the battery budget', () => {
  it('a cancelled download resumes from what is stored, and no entry is asked for twice', async () => {
    const { meter, client } = await setup({ model: '603', loggerReplyBytes: 200 });
    const stored = new Map<number, LoggerEntry>();
    const abort = new AbortController();
    const first = await client.readLogger(LOGGER_TYPE.day, DAY_REGS, {
      signal: abort.signal,
      onEntries: (entries) => {
        for (const e of entries) stored.set(e.id, e);
        if (stored.size > 100) abort.abort();
      },
    });
    expect(first).toMatchObject({ complete: false, stoppedBy: 'cancelled' });
    expect(first.entries.length).toBe(stored.size);
    const askedBefore = loggerRequests(meter).length;
    const second = await client.readLogger(LOGGER_TYPE.day, DAY_REGS, {
      have: new Set(stored.keys()),
      config: first.config,
      rowsPerReply: first.rowsPerReply,
      onEntries: (entries) => entries.forEach((e) => stored.set(e.id, e)),
    });
    expect(second.complete).toBe(true);
    expect(second.entries.length).toBe(460 - first.entries.length);
    const all = [...stored.values()].sort((a, b) => b.id - a.id);
    expect(got(all)).toEqual(expected(meter, LOGGER_TYPE.day, [348, ...DAY_REGS]));
    // The resumed download asked only for ids not held (its probe: the newest, one entry).
    const later = loggerRequests(meter).slice(askedBefore);
    expect(later[0]).toMatchObject({ sub: 7, count: 1 });
    for (const r of later.slice(1)) {
      if (r.sub !== 6) throw new Error('only 06 pages after the probe');
      for (let id = r.fromId; id > r.fromId - r.count; id--) expect(first.entries.some((e) => e.id === id)).toBe(false);
    }
  });

  it('a resume with everything held asks only the newest end', async () => {
    const { meter, client } = await setup({ model: '603' });
    const first = await client.readLogger(LOGGER_TYPE.month, MONTH_REGS);
    const before = loggerRequests(meter).length;
    const ids = new Set(first.entries.map((e) => e.id));
    const again = await client.readLogger(LOGGER_TYPE.month, MONTH_REGS, {
      have: (id) => ids.has(id),
      config: first.config,
    });
    expect(again).toMatchObject({ complete: true, entries: [], requests: 1 });
    expect(loggerRequests(meter).length).toBe(before + 1);
  });

  it('stops at the request budget, keeping what it read', async () => {
    const { client } = await setup({ model: '603' });
    const result = await client.readLogger(LOGGER_TYPE.day, DAY_REGS, { maxRequests: 3 });
    expect(result).toMatchObject({ complete: false, stoppedBy: 'budget', requests: 3 });
    expect(result.entries.length).toBe(2 * 14);
  });
});

describe('meters without the logger read-out, and what is never sent', () => {
  it('the 402 gets two tries, then no-logger in plain words, and is not asked again on this connection', async () => {
    const { meter, client } = await setup({ model: '402' });
    const e = await client.readLogger(LOGGER_TYPE.month, [60]).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LinkError);
    expect((e as LinkError).kind).toBe('no-logger');
    expect((e as LinkError).message).toMatch(/does not offer its loggers over the optical eye/);
    expect((e as LinkError).advice).toMatch(/the 402 and 602 not at all/);
    expect(loggerRequests(meter)).toHaveLength(2);
    await expect(client.readLogger(LOGGER_TYPE.day, [60])).rejects.toMatchObject({ kind: 'no-logger' });
    expect(loggerRequests(meter)).toHaveLength(2);
    // Its readings still work.
    expect(await client.getSerialNo()).toBe(meter.serial);
  });

  // An IR path loses a reply now and then: one lost first reply must not make a 603 loggerless
  // for the rest of the connection.
  it('a 603 whose first logger reply is lost is asked once more, and downloads', async () => {
    const { meter, client } = await setup({ model: '603' });
    meter.injectOnce('drop');
    const result = await client.readLogger(LOGGER_TYPE.month, [60]);
    expect(result.complete).toBe(true);
    expect(result.entries.length).toBe(36);
    expect(client.loggerSupport).toBe('answers');
    // The lost one and its repeat, and no GetSerialNo to ask whether the meter answers at all.
    const [lost, again] = loggerRequests(meter);
    expect(again).toEqual(lost);
    // The repeat counts as a request of the download's own.
    expect(result.requests).toBe(loggerRequests(meter).length);
  });

  it('the repeat of a lost first reply stays within the request budget', async () => {
    const { meter, client } = await setup({ model: '603' });
    meter.injectOnce('drop');
    const result = await client.readLogger(LOGGER_TYPE.month, [60], { maxRequests: 1 }).catch((e: unknown) => e);
    expect(result).toMatchObject({ kind: 'no-answer' });
    expect(loggerRequests(meter)).toHaveLength(1);
    expect(client.loggerSupport).toBe('unknown');
  });

  it('a 603 that is asleep is not called loggerless: the silence is reported as such', async () => {
    const { meter, client } = await setup({ model: '603' });
    meter.sleepNow();
    await expect(client.readLogger(LOGGER_TYPE.month, [60])).rejects.toMatchObject({ kind: 'no-answer' });
    expect(client.loggerSupport).toBe('unknown');
    // The logger request twice (a reply may be lost once) and GetSerialNo with its retries: no more.
    expect(meter.stats.requests).toBe(2 + 3);
    meter.pressButton();
    expect((await client.readLogger(LOGGER_TYPE.year, [60])).complete).toBe(true);
  });

  it('refuses sub-commands 08 and 09 and any other, and more than 8 registers with the time', async () => {
    const { meter, client } = await setup({ model: '603' });
    for (const sub of [8, 9, 1, 0x10])
      await expect(client.transact(CID.Logger, Uint8Array.of(sub, 2), () => 0)).rejects.toMatchObject({
        kind: 'refused',
      });
    await expect(client.transact(CID.Logger, new Uint8Array(0), () => 0)).rejects.toMatchObject({ kind: 'refused' });
    await expect(client.readLogger(LOGGER_TYPE.year, [60, 63, 97, 110, 64, 65, 68, 84])).rejects.toBeInstanceOf(
      KmpError,
    );
    expect(loggerRequests(meter).every((r) => r.sub === 5)).toBe(true);
  });

  it('names registers the logger does not record and downloads the rest', async () => {
    const { client } = await setup({ model: '603' });
    const result = await client.readLogger(LOGGER_TYPE.hour, [60, 1004, 9999], { maxRequests: 3 });
    expect(result.unsupported).toEqual([1004, 9999]);
    expect(result.registers).toEqual([348, 60]);
  });
});

describe('estimateLoggerDownload', () => {
  it('counts requests, bytes and seconds at 1200 baud', () => {
    const e = estimateLoggerDownload({ entries: 36, registers: [348, 60, 68, 1004, 99] });
    // 15 + 25 + 23 = 63 bytes for row 0, 23 a row after: 8 rows in 240 bytes, 5 pages and the 05.
    expect(e).toMatchObject({ requests: 6, rowsPerReply: 8 });
    // The 05 request is 8 bytes; a 06 of 5 registers 25, and 26 with its sub-command 06 stuffed.
    expect(e.bytesTx).toBe(8 + 5 * 26);
    // Received: the 05 reply (frame, 15 header bytes, 43 registers), 5 pages of frame, header and row 0's
    // 5 bytes a register, 36 rows of 23 value bytes; all with about 2% stuffing.
    expect(e.bytesRx).toBe(Math.round((6 + 15 + 2 * 43 + 5 * (6 + 15 + 5 * 5) + 36 * 23) * (1 + 5 / 256)));
    expect(e.seconds).toBeCloseTo(((e.bytesTx + e.bytesRx) * 11) / 1200 + 6 * 0.15, 6);
    expect(
      estimateLoggerDownload({ entries: 36, registers: [348, 60], configKnown: true, rowsPerReply: 36 }).requests,
    ).toBe(1);
    expect(estimateLoggerDownload({ entries: 0, registers: [348] }).requests).toBe(2);
    // No registers yet (nothing chosen): still an estimate, of requests as long as one of a single register.
    expect(estimateLoggerDownload({ entries: 0, registers: [], configKnown: true })).toMatchObject({
      requests: 1,
      bytesTx: encodeLoggerRequest({ sub: 6, logger: 4, fromId: 1, count: 1, registers: [0] }).length,
    });
    expect(ASSUMED_LOGGER_REPLY_BYTES).toBe(240);
  });
});

describe('MeterSession.readLogger', () => {
  it('shows the download as its activity, and remembers a 402 without loggers across reconnects', async () => {
    const sim603 = createVirtualMeter({ frozen: true, model: '603' });
    const session = new MeterSession({ client: FAST });
    try {
      await session.connect(sim603.port, { label: 'virtual', demo: true });
      await session.identify();
      const seen: string[] = [];
      const off = session.subscribe(() => seen.push(session.activity.kind));
      const result = await session.readLogger(LOGGER_TYPE.month, MONTH_REGS);
      off();
      expect(result.entries).toHaveLength(36);
      expect(seen).toContain('logger');
      expect(session.activity.kind).toBe('idle');

      const sim402 = createVirtualMeter({ frozen: true, model: '402' });
      await session.connect(sim402.port, { label: 'virtual', demo: true });
      await session.identify();
      await expect(session.readLogger(LOGGER_TYPE.month, [60])).rejects.toMatchObject({ kind: 'no-logger' });
      await session.connect(sim402.port, { label: 'virtual', demo: true });
      await session.identify();
      await expect(session.readLogger(LOGGER_TYPE.day, [60])).rejects.toMatchObject({ kind: 'no-logger' });
      // Asked twice on the first connection, never on the second: the session remembers the serial.
      expect(loggerRequests(sim402)).toHaveLength(2);
    } finally {
      await session.disconnect();
    }
  });
});

describe('the frame log names logger frames', () => {
  it('describes the captured requests and replies', () => {
    const log = new WireLog();
    for (const [k, v] of Object.entries(REAL))
      log.add(k.endsWith('Request') ? 'tx' : 'rx', k.endsWith('Request') ? 'request' : 'response', fromHex(v));
    expect(log.all().map((e) => e.decoded)).toEqual([
      'Logger request: configuration of logger 2',
      'Logger request: logger 7 from the newest, 1 entry of 1002',
      'Logger request: logger 2 from id 2, 2 entries of 1003',
      'Logger reply: logger 2, 2 entries from id 2 (newest 2), oldest entry included, newest entry included',
      'Logger reply: logger 7, 1 entry from id 0 (newest 0), no entries',
      'Logger reply: logger 2 keeps 20 entries of 43 registers',
    ]);
  });

  it('names an offset from the end, several registers and a reply without rows', () => {
    const log = new WireLog();
    log.add(
      'tx',
      'request',
      encodeLoggerRequest({ sub: LOGGER_SUB.fromEnd, logger: 3, offset: 12, count: 2, registers: [348, 60] }),
    );
    const none = encodeLoggerReply({
      sub: LOGGER_SUB.byId,
      logger: 3,
      firstId: 0,
      lastIdInMeter: 36,
      info: LOGGER_INFO.outOfRange,
      registers: [],
      rows: [],
    });
    log.add('rx', 'response', encodeFrame(Uint8Array.of(0x3f, CID.Logger, ...none), 'response'));
    expect(log.all().map((e) => e.decoded)).toEqual([
      'Logger request: logger 3 offset 12, 2 entries of 348, 60',
      'Logger reply: logger 3, no entries (newest 36), out of range',
    ]);
  });
});

describe('the info logger', () => {
  it('downloads the info-code changes with their times, the newest (made just now) first', async () => {
    let t = Date.UTC(2026, 5, 1, 10);
    const { meter, client } = await setup({ model: '603', now: () => t });
    t += 60_000;
    meter.infoCode = 0x400;
    const result = await client.readLogger(LOGGER_TYPE.info, [99, 60]);
    expect(result.complete).toBe(true);
    expect(got(result.entries)).toEqual(expected(meter, LOGGER_TYPE.info, [348, 99, 60]));
    expect(result.entries[0]!.values.find((v) => v.id === 99)!.decimal).toBe('1024');
  });
});
