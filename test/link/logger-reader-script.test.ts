import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CID,
  LOGGER_INFO,
  LOGGER_SUB,
  UNIT_DATE_YYMMDD,
  UNIT_TIME,
  decodeFrame,
  decodeLoggerRequest,
  encodeFrame,
  encodeLoggerConfig,
  encodeLoggerReply,
  type LoggerReplySpec,
  type LoggerRequest,
} from '../../src/kmp/index.ts';
import { KmpClient, LinkError, type KmpClientOptions, type LoggerProgress } from '../../src/link/index.ts';

// readLogger against a logger the test scripts reply by reply: wrong, damaged, short and
// rolled-out replies that the virtual meter's well-behaved loggers never send.

/** What the scripted meter does with one logger request instead of its proper reply. */
type Action = LoggerReplySpec | Uint8Array | 'silent' | 'echo' | 'corrupt' | 'cut';
/** `n` counts the logger requests, from 0; undefined keeps the proper reply. */
type Tamper = (request: LoggerRequest, proper: LoggerReplySpec | Uint8Array, n: number) => Action | undefined;

interface FakeLogger {
  logger: number;
  depth: number;
  /** The registers the logger records (its 05 reply). */
  records: number[];
  /** The newest id; entries run from max(1, newest − depth + 1) up to it. */
  newest: number;
  /** Rows a reply holds at most (the meter's buffer). */
  fit: number;
  /** The logger type its 05 reply names. */
  describedAs?: number;
}

const DAY = 86_400_000;
/** Entry `id` is stamped at noon, `id` days into 2026. */
function stampOf(id: number): { date: string; time: string; iso: string } {
  const d = new Date(Date.UTC(2026, 0, 1) + id * DAY);
  const p = (n: number) => String(n).padStart(2, '0');
  const [y, m, day] = [d.getUTCFullYear() % 100, d.getUTCMonth() + 1, d.getUTCDate()];
  return {
    date: `${p(y)}${p(m)}${p(day)}`,
    time: '120000',
    iso: `20${p(y)}-${p(m)}-${p(day)}T12:00:00`,
  };
}
const UNITS: Record<number, number> = { 1003: UNIT_DATE_YYMMDD, 1002: UNIT_TIME };
function valueOf(register: number, id: number): string {
  if (register === 1003) return stampOf(id).date;
  if (register === 1002) return stampOf(id).time;
  return String(id * 10 + (register % 10));
}

/** The proper reply to a 06 or 07, as the sim's logger protocol gives it. */
function properReply(log: FakeLogger, request: Extract<LoggerRequest, { count: number }>): LoggerReplySpec {
  const oldest = log.newest === 0 ? 0 : Math.max(1, log.newest - log.depth + 1);
  const registers = request.registers.map((id) => ({ id, unitCode: UNITS[id] ?? 0, length: 4 }));
  const base = { sub: request.sub, logger: log.logger, lastIdInMeter: log.newest, registers };
  if (log.newest === 0) return { ...base, firstId: 0, info: LOGGER_INFO.empty, rows: [registers.map(() => '0')] };
  const start = request.sub === LOGGER_SUB.byId ? request.fromId : log.newest;
  // Which id an out-of-range reply names is not documented: 0 here, so that nothing may depend on it.
  if (start > log.newest || start < oldest) return { ...base, firstId: 0, info: LOGGER_INFO.outOfRange, rows: [] };
  const n = Math.min(request.count, start - oldest + 1, log.fit);
  const rows = Array.from({ length: n }, (_, i) => request.registers.map((r) => valueOf(r, start - i)));
  const info =
    (start === log.newest ? LOGGER_INFO.newestIncluded : 0) |
    (start - n + 1 === oldest ? LOGGER_INFO.oldestIncluded : 0);
  return { ...base, firstId: start, info, rows };
}

const frameOf = (cid: number, data: Uint8Array) => encodeFrame(Uint8Array.of(0x3f, cid, ...data), 'response');

function scriptedMeter(
  log: FakeLogger,
  tamper: Tamper = () => undefined,
  options: { serial?: 'answers' | 'garbled' } = {},
) {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const requests: LoggerRequest[] = [];
  let serialAsked = 0;
  const port = {
    readable: new ReadableStream<Uint8Array>({ start: (c) => void (controller = c) }),
    writable: new WritableStream<Uint8Array>({
      write(chunk) {
        const frame = decodeFrame(chunk);
        let out: Uint8Array[] = [];
        if (frame.cid === CID.GetSerialNo) {
          serialAsked++;
          // 'garbled': an intact frame that is no serial number.
          const serial = options.serial === 'garbled' ? [0x12] : [0, 0xbc, 0x61, 0x4e];
          out = [frameOf(CID.GetSerialNo, Uint8Array.from(serial))];
        } else if (frame.cid === CID.Logger) {
          const request = decodeLoggerRequest(frame.data);
          const n = requests.push(request) - 1;
          const proper =
            request.sub === LOGGER_SUB.config
              ? encodeLoggerConfig({
                  logger: log.describedAs ?? log.logger,
                  depth: log.depth,
                  registers: log.records,
                  header: [1, 1, 1, 1, 0, 0, 1, 0, 1, 0],
                })
              : properReply(log, request);
          const action = tamper(request, proper, n) ?? proper;
          const data = action instanceof Uint8Array ? action : typeof action === 'string' ? proper : action;
          const wire = frameOf(CID.Logger, data instanceof Uint8Array ? data : encodeLoggerReply(data));
          if (action === 'echo') out = [chunk];
          else if (action === 'corrupt') out = [Uint8Array.from(wire, (b, i) => (i === 2 ? b ^ 1 : b))];
          else if (action === 'cut') out = [wire.subarray(0, wire.length >> 1)];
          else if (action !== 'silent') out = [wire];
        }
        setTimeout(() => out.forEach((b) => controller.enqueue(b)), 1);
      },
    }),
    close: async () => undefined,
  };
  return { port, requests, serialAsked: () => serialAsked };
}

// Timeouts long enough for a loaded machine (replies come after 1 ms), short enough for silence to cost little.
const QUICK: KmpClientOptions = { firstByteTimeoutMs: 60, interByteTimeoutMs: 40, retryBackoffMs: 1, baudRate: 1e9 };
const clients: KmpClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
function clientFor(meter: { port: ConstructorParameters<typeof KmpClient>[0] }) {
  const c = new KmpClient(meter.port, QUICK);
  clients.push(c);
  return c;
}

const DAILY: FakeLogger = { logger: 4, depth: 100, records: [1003, 1002, 60, 68], newest: 100, fit: 10 };
const REGS = [1003, 1002, 60];
/** Ids from `from` down to `to`: entries as a download gives them, newest first. */
const ids = (from: number, to: number) => Array.from({ length: from - to + 1 }, (_, i) => from - i);

async function failureOf(p: Promise<unknown>): Promise<LinkError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    return e as LinkError;
  }
  throw new Error('expected a LinkError, the download succeeded');
}

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
      [6, 88, 10], // silent: same again
      [6, 88, 10],
    ]);
    expect(meter.requests.filter((r) => r.sub === LOGGER_SUB.config)).toHaveLength(3);
    expect(result.requests).toBe(meter.requests.length);
    const names = client.log.all().map((e) => e.decoded);
    expect(names).toContain('Logger request: logger 4 from id 88, 10 entries of 1003, 1002, 60');
    expect(names).toContain('Logger reply: logger 4, 2 entries from id 90 (newest 100), info 0x0000');
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

  it('gives up after maxFailures damaged replies in a row (default 4), halving the newest-end probe each time', async () => {
    const always = scriptedMeter({ ...DAILY }, (_r, _p, n) => (n > 0 ? 'corrupt' : undefined));
    expect((await failureOf(clientFor(always).readLogger(4, REGS))).kind).toBe('bad-crc');
    expect(pages(always.requests)).toEqual([
      [7, 0xffff, 100],
      [7, 0xffff, 50],
      [7, 0xffff, 25],
      [7, 0xffff, 12],
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
    'entries that rolled out while it read (%i written meanwhile): the download ends where the meter now starts',
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
      expect(result).toMatchObject({ complete: true, newestId: 100, oldestId: 1, rowsPerReply: 10 });
      // A finished download ends its progress at done = total, not one or two short of it.
      expect(progress.at(-1)).toMatchObject({ done: 100 - written, total: 100 - written });
      expect(result.entries.map((e) => e.id)).toEqual(ids(100, 1 + written));
      expect(pages(meter.requests).slice(-2)).toEqual([
        [6, 10, 10],
        [6, written, written],
      ]);
    },
  );

  it('each request waits as long as its reply can take: sized to the rows asked, at most 2048 bytes', async () => {
    const meter = scriptedMeter({ ...DAILY, depth: 200, newest: 200, fit: 20 });
    const client = clientFor(meter);
    const sizes = vi.spyOn(client, 'replyDeadlineFor');
    await client.readLogger(4, REGS, { maxRequests: 3 });
    // 05: 120 bytes; then 15 header, 5 a register in row 0, and 12 value bytes a row with 4 to spare.
    expect(sizes.mock.calls).toEqual([[120], [2048], [15 + 5 * 3 + 20 * 16]]);
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
