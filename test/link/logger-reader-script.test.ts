// readLogger against a logger the test scripts reply by reply (test/link/scripted-logger.ts):
// wrong, damaged, short and rolled-out replies that the virtual meter's well-behaved loggers never send.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOGGER_INFO, LOGGER_SUB, type LoggerReplySpec, type LoggerRequest } from '../../src/kmp/index.ts';
import { type LoggerProgress } from '../../src/link/index.ts';
import {
  DAILY,
  REGS,
  clientFor,
  closeClients,
  failureOf,
  ids,
  scriptedMeter,
  stampOf,
  valueOf,
  type FakeLogger,
} from './scripted-logger.ts';

afterEach(closeClients);
/** The requests after the 05, as sub, first id (or 0xffff) and count. */
const pages = (requests: readonly LoggerRequest[]) =>
  requests
    .filter((r) => r.sub !== LOGGER_SUB.config)
    .map((r) => ('fromId' in r ? [r.sub, r.fromId, r.count] : [r.sub, r.offset, r.count]));

// The first test below is the first in this file to load logger-reader.ts (and with it
// logger-frame-names.ts), so mutation testing credits it with what those modules set up when they
// load (the sets of damaged and silent failures, the frame names): it checks both. Keep it first.
describe('damaged and unanswered replies', () => {
  it('retries damage, cut-offs, foreign frames, silence and echo; halves the page only after damage; names the frames', async () => {
    const log = { ...DAILY };
    const meter = scriptedMeter(log, (_request, proper, n) => {
      if (n === 0) return 'corrupt'; // 05: the very first reply is damaged: the meter does answer 0xB8
      if (n === 1) return 'silent'; // so silence now is a drop, not a meter without loggers
      if (n === 4) return { ...(proper as LoggerReplySpec), logger: 3 }; // another logger's rows
      if (n === 5) return 'echo';
      if (n === 6) return 'cut';
      if (n === 8) return 'silent';
      return undefined;
    });
    const client = clientFor(meter);
    const result = await client.readLogger(4, REGS);
    expect(result.complete).toBe(true);
    expect(result.entries.map((e) => e.id)).toEqual(ids(100, 1));
    expect(result.entries[0]).toEqual({
      logger: 4,
      id: 100,
      time: stampOf(100).iso,
      values: [
        expect.objectContaining({ id: 1003, decimal: stampOf(100).date }),
        expect.objectContaining({ id: 1002, decimal: '120000' }),
        expect.objectContaining({ id: 60, decimal: '1000' }),
      ],
    });
    expect(meter.serialAsked()).toBe(0);
    expect(client.loggerSupport).toBe('answers');
    expect(pages(meter.requests).slice(0, 7)).toEqual([
      [7, 0xffff, 100],
      [6, 90, 10], // another logger: damage, halve
      [6, 90, 5], // echo only: same again
      [6, 90, 5], // cut off: halve
      [6, 90, 2],
      [6, 88, 2], // silent: same again; the page that passed after damage is kept for a while
      [6, 88, 2],
    ]);
    expect(meter.requests.filter((r) => r.sub === LOGGER_SUB.config)).toHaveLength(3);
    expect(result.requests).toBe(meter.requests.length);
    const names = client.log.all().map((e) => e.decoded);
    expect(names).toContain('Logger request: logger 4 from id 88, 2 entries of 1003, 1002, 60');
    expect(names).toContain('Logger reply: logger 4, 2 entries from id 90 (newest 100), no flags');
  });

  // The first request's repeat (a lost reply is not yet silence) is for a meter not yet heard.
  it.each([
    ['two silences in a row once the meter has answered are drops', [3, 4], []],
    ['a damaged first reply is an answer: two silences after it are drops', [1, 2], [0]],
  ])('%s, not a meter without loggers', async (_what, silent: number[], corrupt: number[]) => {
    const meter = scriptedMeter({ ...DAILY }, (_request, _proper, n) =>
      silent.includes(n) ? 'silent' : corrupt.includes(n) ? 'corrupt' : undefined,
    );
    const client = clientFor(meter);
    const result = await client.readLogger(4, REGS);
    expect(result.complete).toBe(true);
    expect(result.entries.map((e) => e.id)).toEqual(ids(100, 1));
    expect(meter.serialAsked()).toBe(0);
    expect(client.loggerSupport).toBe('answers');
  });

  it('gives up after maxFailures damaged replies in a row (default 4), halving the newest-end probe from what a reply holds', async () => {
    const always = scriptedMeter({ ...DAILY }, (_r, _p, n) => (n > 0 ? 'corrupt' : undefined));
    expect((await failureOf(clientFor(always).readLogger(4, REGS))).kind).toBe('bad-crc');
    expect(pages(always.requests)).toEqual([
      [7, 0xffff, 100],
      // Half of the 13 rows a 240-byte reply holds, then halved again.
      [7, 0xffff, 6],
      [7, 0xffff, 3],
      [7, 0xffff, 1],
    ]);
    const twice = scriptedMeter({ ...DAILY }, (_r, _p, n) => (n > 0 ? 'corrupt' : undefined));
    expect((await failureOf(clientFor(twice).readLogger(4, REGS, { maxFailures: 2 }))).kind).toBe('bad-crc');
    expect(twice.requests).toHaveLength(1 + 2);
    // Two damaged in a row, then an intact one: within three tries.
    const recovers = scriptedMeter({ ...DAILY, depth: 5, newest: 5 }, (_r, _p, n) =>
      n === 1 || n === 2 ? 'corrupt' : undefined,
    );
    const ok = await clientFor(recovers).readLogger(4, REGS, { maxFailures: 3 });
    expect(ok.entries.map((e) => e.id)).toEqual(ids(5, 1));
    expect(pages(recovers.requests)).toEqual([
      [7, 0xffff, 5],
      [7, 0xffff, 2],
      [7, 0xffff, 1],
      [6, 4, 4],
    ]);
  });

  it('silence to the first logger request: a meter that answers GetSerialNo has no logger read-out, one that sends garbage to it is not judged', async () => {
    const loggerless = scriptedMeter({ ...DAILY }, () => 'silent');
    const client = clientFor(loggerless);
    expect(await failureOf(client.readLogger(4, REGS))).toMatchObject({ kind: 'no-logger' });
    expect(client.loggerSupport).toBe('silent');
    expect(loggerless.serialAsked()).toBe(1);

    const garbled = scriptedMeter({ ...DAILY }, () => 'silent', { serial: 'garbled' });
    const other = clientFor(garbled);
    expect(await failureOf(other.readLogger(4, REGS))).toMatchObject({ kind: 'no-answer' });
    expect(other.loggerSupport).toBe('unknown');
    // The first logger request is asked twice (a lost reply is not yet silence) before GetSerialNo.
    expect(garbled.requests).toHaveLength(2);
  });

  it('a request that fails because the connection closed tells nothing of the logger read-out', async () => {
    const meter = scriptedMeter({ ...DAILY });
    const client = clientFor(meter);
    await client.close();
    expect(await failureOf(client.readLogger(4, REGS))).toMatchObject({ kind: 'closed' });
    expect(client.loggerSupport).toBe('unknown');
  });
});

describe('what the meter describes', () => {
  it('refuses a configuration of another logger than asked', async () => {
    const meter = scriptedMeter({ ...DAILY, describedAs: 5 });
    expect(await failureOf(clientFor(meter).readLogger(4, REGS))).toMatchObject({
      kind: 'unexpected',
      detail: 'asked for logger 4, the meter described logger 5',
    });
    expect(meter.requests).toHaveLength(1);
  });

  it('a logger that records no time: says so and what to choose instead, and asks for no entries', async () => {
    const meter = scriptedMeter({ ...DAILY, records: [60, 68, 1002] });
    const e = await failureOf(clientFor(meter).readLogger(4, [60]));
    expect(e).toMatchObject({
      kind: 'unexpected',
      detail: 'logger 4 records no time register (348, or 1003 and 1002)',
    });
    expect(e.message).toMatch(/^This logger records no date or time, so its entries cannot be placed in time\./);
    expect(e.advice).toMatch(/^Choose another logger; the yearly, monthly, daily and hourly loggers/);
    expect(meter.requests).toHaveLength(1);
  });

  it('takes up to 8 registers with the time; more is refused before any entry is asked, counting the time registers', async () => {
    const records = [1003, 1002, 60, 61, 62, 63, 64, 65, 66];
    const eight = scriptedMeter({ ...DAILY, records, newest: 3 });
    const result = await clientFor(eight).readLogger(4, [60, 61, 62, 63, 64, 65]);
    expect(result.registers).toEqual([1003, 1002, 60, 61, 62, 63, 64, 65]);
    expect(result.entries).toHaveLength(3);
    const nine = scriptedMeter({ ...DAILY, records });
    await expect(clientFor(nine).readLogger(4, [60, 61, 62, 63, 64, 65, 66])).rejects.toMatchObject({
      code: 'argument',
      message: '9 registers with the time (1003, 1002): a logger request takes at most 8',
    });
    expect(nine.requests).toEqual([{ sub: LOGGER_SUB.config, logger: 4 }]);
  });
});

describe('replies that are not the answer to the request', () => {
  /** The first 06 page (request 2) answered by `edit`, with no retries: what readLogger says. */
  async function pageAnsweredWith(edit: (proper: LoggerReplySpec) => LoggerReplySpec, log: Partial<FakeLogger> = {}) {
    const meter = scriptedMeter({ ...DAILY, ...log }, (_r, proper, n) =>
      n === 2 ? edit(proper as LoggerReplySpec) : undefined,
    );
    return failureOf(clientFor(meter).readLogger(4, REGS, { maxFailures: 1 }));
  }
  const shift = (p: LoggerReplySpec, by: number): LoggerReplySpec => ({
    ...p,
    firstId: p.firstId - by,
    rows: p.rows.map((_, i) => REGS.map((r) => valueOf(r, p.firstId - by - i))),
  });

  it('another logger, another sub-command, more rows, another first id, other registers: refused with what differs', async () => {
    expect(await pageAnsweredWith((p) => ({ ...p, logger: 3 }))).toMatchObject({
      kind: 'unexpected',
      detail: 'asked logger 4 sub 6, the reply is logger 3 sub 6',
    });
    expect(await pageAnsweredWith((p) => ({ ...p, sub: LOGGER_SUB.fromEnd }))).toMatchObject({
      kind: 'unexpected',
      detail: 'asked logger 4 sub 6, the reply is logger 4 sub 7',
    });
    expect(
      await pageAnsweredWith((p) => ({ ...p, rows: [...p.rows, REGS.map((r) => valueOf(r, p.firstId - 10))] })),
    ).toMatchObject({ kind: 'unexpected', detail: 'asked for 10 entries, the reply holds 11' });
    expect(await pageAnsweredWith((p) => shift(p, 1))).toMatchObject({
      kind: 'unexpected',
      detail: 'asked from entry 90, the reply starts at 89',
    });
    expect(
      await pageAnsweredWith((p) => ({
        ...p,
        registers: [...p.registers.slice(0, 2), { id: 68, unitCode: 0, length: 4 }],
      })),
    ).toMatchObject({ kind: 'unexpected', detail: 'asked registers 1003, 1002, 60, the reply holds 1003, 1002, 68' });
  });

  it('an entry without a usable date: refused, naming the entry', async () => {
    const e = await pageAnsweredWith((p) => ({
      ...p,
      rows: p.rows.map((row, i) => (i === 3 ? ['261399', ...row.slice(1)] : row)),
    }));
    expect(e).toMatchObject({ kind: 'unexpected', detail: 'logger 4 entry 87 carries no date and time' });
  });

  it('a page in the range that holds no rows, or is flagged empty, or out of range far from the oldest end', async () => {
    const none = "entry 90 is in the meter's range but the reply holds none";
    expect(await pageAnsweredWith((p) => ({ ...p, info: 0, rows: [] }))).toMatchObject({ detail: none });
    expect(await pageAnsweredWith((p) => ({ ...p, info: LOGGER_INFO.empty }))).toMatchObject({ detail: none });
    expect(await pageAnsweredWith((p) => ({ ...p, info: LOGGER_INFO.outOfRange, rows: [] }))).toMatchObject({
      detail: none,
    });
  });

  it('a newest-end reply that does not start at the newest id', async () => {
    const meter = scriptedMeter({ ...DAILY }, (_r, proper, n) => {
      const p = proper as LoggerReplySpec;
      return n === 1
        ? { ...p, firstId: 99, rows: p.rows.map((_, i) => REGS.map((r) => valueOf(r, 99 - i))) }
        : undefined;
    });
    expect(await failureOf(clientFor(meter).readLogger(4, REGS, { maxFailures: 1 }))).toMatchObject({
      kind: 'unexpected',
      detail: 'the newest entry is 100, the reply starts at 99',
    });
  });
});

describe('empty loggers', () => {
  const download = async (edit: (proper: LoggerReplySpec) => LoggerReplySpec, log: Partial<FakeLogger> = {}) => {
    const meter = scriptedMeter({ ...DAILY, ...log }, (_r, proper, n) =>
      n === 1 ? edit(proper as LoggerReplySpec) : undefined,
    );
    const result = await clientFor(meter).readLogger(4, REGS);
    return { result, meter };
  };

  it('an empty flag, a reply of no rows, or newest id 0: done after the probe, whatever the placeholder row holds', async () => {
    // The placeholder of an empty logger, in registers other than those asked.
    const placeholder = await download(
      (p) => ({ ...p, registers: [{ id: 60, unitCode: 0, length: 4 }], rows: [['0']] }),
      {
        newest: 0,
      },
    );
    expect(placeholder.result).toMatchObject({ complete: true, entries: [], newestId: 0, oldestId: 0, requests: 2 });
    // Flagged empty, though it names a newest id.
    const flagged = await download((p) => ({
      ...p,
      firstId: 0,
      lastIdInMeter: 7,
      info: LOGGER_INFO.empty,
      rows: [REGS.map(() => '0')],
    }));
    expect(flagged.result).toMatchObject({ complete: true, entries: [], newestId: 0, requests: 2 });
    // No rows, no flags.
    const bare = await download((p) => ({ ...p, info: 0, rows: [] }));
    expect(bare.result).toMatchObject({ complete: true, entries: [], newestId: 0, requests: 2 });
  });
});

describe('paging', () => {
  it('never asks below the oldest entry; learns a smaller buffer mid-way; a page given by the caller is trimmed to what the meter holds', async () => {
    const log = { ...DAILY, newest: 95, depth: 95 };
    const meter = scriptedMeter(log);
    const result = await clientFor(meter).readLogger(4, REGS, {
      rowsPerReply: 30,
      onEntries: (entries) => {
        if (entries.at(-1)!.id === 76) log.fit = 4; // the buffer shrinks (another reply layout, say)
      },
    });
    expect(result.entries.map((e) => e.id)).toEqual(ids(95, 1));
    expect(result.rowsPerReply).toBe(4);
    const asked = pages(meter.requests);
    expect(asked.slice(0, 4)).toEqual([
      [7, 0xffff, 30],
      [6, 85, 10],
      [6, 75, 10],
      [6, 71, 4],
    ]);
    expect(asked.at(-1)).toEqual([6, 3, 3]);
    expect(asked).toHaveLength(3 + Math.ceil(71 / 4));
  });

  it('the oldest end: a reply with rows is taken whatever its flags say; one without rows and not out of range is an error', async () => {
    const log = { ...DAILY, newest: 91 };
    const flagged = scriptedMeter(log, (r, proper) =>
      'fromId' in r && r.fromId === 1 ? { ...(proper as LoggerReplySpec), info: LOGGER_INFO.outOfRange } : undefined,
    );
    const result = await clientFor(flagged).readLogger(4, REGS);
    expect(result.entries.map((e) => e.id)).toEqual(ids(91, 1));
    expect(pages(flagged.requests).at(-1)).toEqual([6, 1, 1]);
    const bare = scriptedMeter(log, (r, proper) =>
      'fromId' in r && r.fromId === 1 ? { ...(proper as LoggerReplySpec), info: 0, rows: [] } : undefined,
    );
    expect(await failureOf(clientFor(bare).readLogger(4, REGS, { maxFailures: 1 }))).toMatchObject({
      kind: 'unexpected',
      detail: "entry 1 is in the meter's range but the reply holds none",
    });
  });

  it.each([1, 2])(
    'entries written while it read (%i): those that rolled out are not asked for, the new ones are read last',
    async (written) => {
      const log = { ...DAILY };
      const meter = scriptedMeter(log);
      const progress: LoggerProgress[] = [];
      const result = await clientFor(meter).readLogger(4, REGS, {
        onEntries: (entries) => {
          if (entries[0]!.id === 100) log.newest += written;
        },
        onProgress: (p) => progress.push(p),
      });
      expect(result).toMatchObject({
        complete: true,
        newestId: 100 + written,
        oldestId: 1 + written,
        rowsPerReply: 10,
      });
      // A finished download ends its progress at done = total.
      expect(progress.at(-1)).toMatchObject({ done: 100, total: 100 });
      expect(result.entries.map((e) => e.id).sort((a, b) => b - a)).toEqual(ids(100 + written, 1 + written));
      // The last old page reaches the meter's oldest entry; then the new ones, in one page.
      expect(pages(meter.requests).slice(-2)).toEqual([
        [6, 10, 10],
        [6, 100 + written, written],
      ]);
    },
  );

  it('each request waits as long as its reply can take: sized to the rows asked, at most 1024 bytes', async () => {
    const meter = scriptedMeter({ ...DAILY, depth: 200, newest: 200, fit: 20 });
    const client = clientFor(meter);
    const sizes = vi.spyOn(client, 'replyDeadlineFor');
    await client.readLogger(4, REGS, { maxRequests: 3 });
    // 05: 120 bytes; then 15 header, 5 a register in row 0, and 12 value bytes a row with 4 to spare.
    expect(sizes.mock.calls).toEqual([[120], [1024], [15 + 5 * 3 + 20 * 16]]);
  });
});

describe('resuming', () => {
  it('skips what is held, stops each page at a held entry, and counts held ones below the oldest not at all', async () => {
    const log = { ...DAILY, depth: 100, newest: 150 };
    const held = new Set([...ids(150, 141), ...ids(120, 111), 52, 51, 50, 49]);
    const meter = scriptedMeter(log);
    const progress: LoggerProgress[] = [];
    const batches: number[][] = [];
    const result = await clientFor(meter).readLogger(4, REGS, {
      have: held,
      onProgress: (p) => progress.push(p),
      onEntries: (entries) => void batches.push(entries.map((e) => e.id)),
    });
    expect(result).toMatchObject({ complete: true, newestId: 150, oldestId: 51, rowsPerReply: 10 });
    expect(result.entries.map((e) => e.id)).toEqual(ids(150, 51).filter((id) => !held.has(id)));
    expect(pages(meter.requests)).toEqual([
      [7, 0xffff, 1],
      [6, 140, 20], // no page size known yet: up to the held 120
      [6, 130, 10],
      [6, 110, 10],
      [6, 100, 10],
      [6, 90, 10],
      [6, 80, 10],
      [6, 70, 10],
      [6, 60, 8], // up to the held 52
    ]);
    expect(progress.at(-1)).toEqual({ done: 100, total: 100, requests: 10 });
    expect(batches.every((b) => b.length > 0)).toBe(true);
  });

  it('resumes (a probe of one entry) with a have function, but not with an empty set', async () => {
    const withFn = scriptedMeter({ ...DAILY });
    await clientFor(withFn).readLogger(4, REGS, { have: () => false, maxRequests: 2 });
    expect(pages(withFn.requests)).toEqual([[7, 0xffff, 1]]);
    const withEmpty = scriptedMeter({ ...DAILY });
    await clientFor(withEmpty).readLogger(4, REGS, { have: new Set(), maxRequests: 2 });
    expect(pages(withEmpty.requests)).toEqual([[7, 0xffff, 100]]);
  });
});
