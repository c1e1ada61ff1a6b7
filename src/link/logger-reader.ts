import {
  CID,
  KmpError,
  LOGGER_ERROR_INFO,
  LOGGER_INFO,
  LOGGER_OFFSET_NEWEST,
  LOGGER_SUB,
  MAX_LOGGER_COUNT,
  MAX_LOGGER_REGISTERS,
  decodeLoggerConfig,
  decodeLoggerReply,
  decodeSerialNoResponse,
  loggerInfoWordsOf,
  loggerNounWords,
  loggerRequestData,
  loggerRowTime,
  timeRegistersFor,
  type LoggerConfig,
  type LoggerReply,
  type LoggerRequest,
  type RegisterValue,
} from '../kmp/index.ts';
import { LinkError, linkWords } from './link-error.ts';
import {
  ASSUMED_LOGGER_REPLY_BYTES,
  DEFAULT_LOGGER_REQUEST_BUDGET,
  rowValueBytes,
  rowsThatFit,
} from './logger-plan.ts';
import type { Transport } from './transport.ts';
// Loaded with the first download: from then on the frame log names logger frames.
import './logger-frame-names.ts';

/** What a connection has learnt of the meter's logger read-out (0xB8). */
export type LoggerSupport = 'unknown' | 'answers' | 'silent';

/**
 * The line a download runs over, and where the connection keeps what it learnt of the logger
 * read-out: a meter found 'silent' is not asked again on this connection.
 */
export interface LoggerLink extends Transport {
  loggerSupport: LoggerSupport;
}

/** One entry of a meter's logger, as downloaded. */
export interface LoggerEntry {
  logger: number;
  id: number;
  /** ISO 8601 local date-time as the meter's display shows it (348 with its daylight saving added). */
  time: string;
  /** The registers asked for, time registers first, as the meter sent them. */
  values: RegisterValue[];
}

export interface LoggerProgress {
  /** Entries dealt with so far (read, or skipped as already held). */
  done: number;
  /** Entries the download covers; with a `from` time, an upper bound until the download reaches it. */
  total: number;
  /** Requests sent so far, damaged and unanswered ones included. */
  requests: number;
}

export interface LoggerReadOptions {
  /** The logger's configuration from an earlier download: saves the 05 request. */
  config?: LoggerConfig;
  /** Entries already stored: they are never asked for again. */
  have?: ReadonlySet<number> | ((id: number) => boolean);
  /** Only entries stamped at or after this ISO local time ("2026-01-01T00:00:00"); older ones are not read. */
  from?: string;
  /** Only entries stamped at or before this time; newer ones are read on the way down but not kept. */
  to?: string;
  /** The most requests this download may send (battery budget). Default DEFAULT_LOGGER_REQUEST_BUDGET. */
  maxRequests?: number;
  /** Rows a reply of this meter held before (LoggerReadResult.rowsPerReply): pages are sized to it at once. */
  rowsPerReply?: number;
  /** Damaged or unanswered replies in a row before giving up. Default 4. */
  maxFailures?: number;
  /**
   * On a 601/801 logger module, ask GetEventStatus (9B) before the interval log: where its flag
   * says nothing was written since, the download ends there (one request, nothing read). Set it
   * only when entries are already held; a flag set by records already held costs one request.
   */
  askEventStatus?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: LoggerProgress) => void;
  /** Each reply's new entries, newest first, as they arrive: store them at once, so a cut-short download resumes. */
  onEntries?: (entries: LoggerEntry[]) => void | Promise<void>;
}

export interface LoggerReadResult {
  logger: number;
  config: LoggerConfig;
  /** What was asked for each entry: the time registers, then the requested ones the logger records. */
  registers: number[];
  /** Requested registers this logger does not record. */
  unsupported: number[];
  /** New entries, newest first, without gaps or repeats. */
  entries: LoggerEntry[];
  /** The id range the meter holds (0 and 0 for an empty logger). */
  newestId: number;
  oldestId: number;
  requests: number;
  /** Rows the meter's reply buffer held, once a reply came back shorter than asked. */
  rowsPerReply: number | undefined;
  /** False when stopped before every entry of the range was read. */
  complete: boolean;
  stoppedBy?: 'cancelled' | 'budget';
  /** The logger module's event flag said no record was written since it was last cleared: nothing was read. */
  nothingNew?: 'event-status';
}

/**
 * The largest reply this client waits for, in bytes of data: bounds the per-reply deadline
 * (about 21 s at 1200 baud, every byte assumed stuffed), so that a reply that never ends is
 * told within 30 s. Four times the largest buffer a meter is known to fill (docs/loggers.md).
 */
const MAX_LOGGER_REPLY_BYTES = 1024;

const DAMAGED = new Set(['bad-crc', 'cut-off', 'unexpected']);
/**
 * Good pages at a size that damage forced before the page doubles back: a passing burst of light
 * costs a few short pages, a line that damages every long reply one damaged request per five.
 */
const GROW_AFTER = 4;
const SILENT = new Set(['no-answer', 'echo-only']);

class Stop extends Error {
  constructor(readonly why: 'cancelled' | 'budget') {
    super(why);
  }
}

/**
 * Downloads a logger (or the part of it in a time range), newest first: its configuration (05),
 * the newest entries and the id range (07 from the newest end), then pages down by id (06). A
 * reply with fewer rows than asked is the meter's buffer: the next page starts where it stopped
 * and later pages are sized to it. A damaged reply halves the page. Ids in `have` are never asked.
 */
export async function readLogger(
  client: LoggerLink,
  logger: number,
  registers: readonly number[],
  options: LoggerReadOptions = {},
): Promise<LoggerReadResult> {
  if (client.loggerSupport === 'silent') throw new LinkError('no-logger');
  const budget = options.maxRequests ?? DEFAULT_LOGGER_REQUEST_BUDGET;
  const maxFailures = options.maxFailures ?? 4;
  const held = options.have;
  const isHeld = (id: number) => (typeof held === 'function' ? held(id) : (held?.has(id) ?? false));
  let requests = 0;

  /** One request, one attempt: retries are this function's caller's, so it can shrink the page. */
  const send = async <T>(request: LoggerRequest, parse: (data: Uint8Array) => T, replyBytes: number): Promise<T> => {
    if (options.signal?.aborted) throw new Stop('cancelled');
    if (requests >= budget) throw new Stop('budget');
    requests++;
    const first = client.loggerSupport === 'unknown';
    const ask = () =>
      client.transact(CID.Logger, loggerRequestData(request), (f) => parse(f.data), {
        retries: 0,
        replyDeadlineMs: client.replyDeadlineFor(Math.min(replyBytes, MAX_LOGGER_REPLY_BYTES)),
      });
    let repeated = false;
    try {
      let out: T;
      try {
        out = await ask();
      } catch (e) {
        // The connection's very first logger request: one silence may be a reply lost on the IR
        // path, so it is asked once more (within the budget) before the meter is suspected of
        // having no loggers; only two silences in a row are put to that test.
        if (!first || !(e instanceof LinkError) || !SILENT.has(e.kind)) throw e;
        if (requests >= budget) throw e;
        requests++;
        repeated = true;
        out = await ask();
      }
      client.loggerSupport = 'answers';
      return out;
    } catch (e) {
      if (!(e instanceof LinkError) || !first) throw e;
      if (SILENT.has(e.kind) && repeated) await classifySilence(client, e);
      // A damaged reply is still a reply: the meter does answer the logger read-out.
      if (DAMAGED.has(e.kind)) client.loggerSupport = 'answers';
      throw e;
    }
  };

  /** `attempt` until it succeeds, at most maxFailures times in a row; `onDamage` shrinks what the next attempt asks. */
  const persist = async <T>(attempt: () => Promise<T>, onDamage: () => void = () => undefined): Promise<T> => {
    for (let failures = 0; ;) {
      try {
        return await attempt();
      } catch (e) {
        if (!(e instanceof LinkError) || (!DAMAGED.has(e.kind) && !SILENT.has(e.kind))) throw e;
        // Silence before the meter ever answered 0xB8 (and to GetSerialNo too): asleep or misaligned, not a drop.
        if (SILENT.has(e.kind) && client.loggerSupport !== 'answers') throw e;
        if (++failures >= maxFailures) throw e;
        if (DAMAGED.has(e.kind)) onDamage();
      }
    }
  };

  const config =
    options.config ?? (await persist(() => send({ sub: LOGGER_SUB.config, logger }, decodeLoggerConfig, 120)));
  if (config.logger !== logger)
    throw new LinkError('unexpected', `asked for logger ${logger}, the meter described logger ${config.logger}`);
  const time = timeRegistersFor(config.registers);
  if (!time)
    throw new LinkError('unexpected', `logger ${logger} records no time register (348, or 1003 and 1002)`, {
      message: linkWords('link.no-time'),
      advice: linkWords('link.no-time.advice'),
    });
  const asked = [...time, ...[...new Set(registers)].filter((r) => config.registers.includes(r) && !time.includes(r))];
  const unsupported = registers.filter((r) => !config.registers.includes(r));
  if (asked.length > MAX_LOGGER_REGISTERS)
    throw new KmpError(
      'argument',
      `${asked.length} registers with the time (${time.join(', ')}): a logger request takes at most ${MAX_LOGGER_REGISTERS}`,
    );
  const rowBytes = rowValueBytes(asked) + 4; // a little slack: mantissas of 8 bytes exist
  const replyBytesFor = (count: number) => 15 + 5 * asked.length + count * rowBytes;

  const result: LoggerReadResult = {
    logger,
    config,
    registers: asked,
    unsupported,
    entries: [],
    newestId: 0,
    oldestId: 0,
    requests: 0,
    rowsPerReply: options.rowsPerReply,
    complete: false,
  };
  let done = 0;
  let total = 0;
  const progress = () => options.onProgress?.({ done, total, requests });

  /** Checks a reply against what was asked; rows that are not this request's are never taken. */
  const checked = (reply: LoggerReply, request: LoggerRequest & { count: number }): LoggerReply => {
    const wrong = (why: string) => new LinkError('unexpected', why);
    if (reply.sub !== request.sub || reply.logger !== logger)
      throw wrong(`asked logger ${logger} sub ${request.sub}, the reply is logger ${reply.logger} sub ${reply.sub}`);
    // The logger's own failure: said in words at once (asking again would only repeat it), and
    // no row under such a flag is taken as an entry.
    if (reply.info & LOGGER_ERROR_INFO) throw loggerFailed(logger, reply.info);
    if (reply.flags.empty) return reply;
    if (reply.count > request.count) throw wrong(`asked for ${request.count} entries, the reply holds ${reply.count}`);
    if (request.sub === LOGGER_SUB.byId && reply.count > 0 && reply.firstId !== request.fromId)
      throw wrong(`asked from entry ${request.fromId}, the reply starts at ${reply.firstId}`);
    const ids = reply.rows[0]?.values.map((v) => v.id);
    if (ids && ids.join() !== asked.join())
      throw wrong(`asked registers ${asked.join(', ')}, the reply holds ${ids.join(', ')}`);
    return reply;
  };

  /** Takes a reply's rows: stamps them, drops held ones and those outside the range, hands the rest on. */
  let reachedFrom = false;
  const take = async (reply: LoggerReply) => {
    const fresh: LoggerEntry[] = [];
    for (const row of reply.rows) {
      const stamp = loggerRowTime(row.values);
      if (stamp === undefined)
        throw new LinkError('unexpected', `logger ${logger} entry ${row.id} carries no date and time`);
      if (options.from !== undefined && stamp < options.from) {
        reachedFrom = true;
        break;
      }
      done++;
      if (isHeld(row.id) || (options.to !== undefined && stamp > options.to)) continue;
      fresh.push({ logger, id: row.id, time: stamp, values: row.values });
    }
    result.entries.push(...fresh);
    if (fresh.length) await options.onEntries?.(fresh);
    progress();
  };

  /**
   * Rows a reply is taken to hold until the meter shows its buffer: what a damaged reply's page
   * is halved from, so that a line that damages long replies is got below at once.
   */
  const fitting = () => result.rowsPerReply ?? rowsThatFit(asked.length, rowBytes, ASSUMED_LOGGER_REPLY_BYTES);
  const shrink = (count: number) => Math.max(1, Math.floor(Math.min(count, fitting()) / 2));

  try {
    // The newest end: the id range, and (unless resuming) the first page in the same request.
    const resuming = held !== undefined && (typeof held === 'function' || held.size > 0);
    /** The longest page this meter's buffer allows (all the log until it shows one). */
    const fullPage = () => Math.min(result.rowsPerReply ?? config.depth, config.depth, MAX_LOGGER_COUNT) || 1;
    let page = fullPage();
    let firstCount = resuming ? 1 : page;
    const probe = await persist(
      () => {
        const request = {
          sub: LOGGER_SUB.fromEnd,
          logger,
          offset: LOGGER_OFFSET_NEWEST,
          count: firstCount,
          registers: asked,
        } as const;
        return send(request, (d) => checked(decodeLoggerReply(d), request), replyBytesFor(firstCount));
      },
      () => {
        firstCount = shrink(firstCount);
      },
    );
    // From the newest end nothing can be out of range: a meter that says so has not read its logger.
    if (probe.count === 0 && probe.flags.outOfRange && !probe.flags.empty) throw loggerFailed(logger, probe.info);
    if (probe.flags.empty || probe.count === 0 || probe.lastIdInMeter === 0) {
      result.complete = true;
      return finish();
    }
    /** Good pages since damage shrank the page: after GROW_AFTER, it doubles back towards fullPage. */
    let goodSinceShrink = 0;
    result.newestId = probe.lastIdInMeter;
    result.oldestId = Math.max(1, probe.lastIdInMeter - config.depth + 1);
    total = result.newestId - result.oldestId + 1;
    if (probe.firstId !== result.newestId)
      throw new LinkError('unexpected', `the newest entry is ${result.newestId}, the reply starts at ${probe.firstId}`);
    if (probe.count < firstCount && !probe.flags.oldestIncluded)
      result.rowsPerReply = Math.min(result.rowsPerReply ?? probe.count, probe.count);
    await take(probe);
    if (result.rowsPerReply !== undefined) page = Math.min(page, result.rowsPerReply);
    /** The newest id any reply named: a meter that writes entries while it is read moves it up. */
    let newestSeen = result.newestId;
    /** The oldest id the meter still holds, as far as its replies tell. */
    const oldestNow = () => Math.max(result.oldestId, newestSeen - config.depth + 1);

    /** Reads down by id from `top` to `bottom()` (the ids not held), page by page. */
    const readDown = async (top: number, bottom: () => number) => {
      let cursor = top;
      while (cursor >= bottom() && !reachedFrom) {
        // Skip what is held: the next request starts at the newest id still missing.
        while (cursor >= bottom() && isHeld(cursor)) {
          cursor--;
          done++;
        }
        if (cursor < bottom()) break;
        let run = 0;
        while (cursor - run >= bottom() && !isHeld(cursor - run) && run < page) run++;
        let count = run;
        let damaged = false;
        const from = cursor;
        const reply = await persist(
          () => {
            const request = { sub: LOGGER_SUB.byId, logger, fromId: from, count, registers: asked } as const;
            return send(request, (d) => checked(decodeLoggerReply(d), request), replyBytesFor(count));
          },
          () => {
            // A shorter reply is less likely to be hit again by whatever damaged this one.
            count = shrink(count);
            damaged = true;
          },
        );
        if (damaged) {
          page = Math.min(page, count);
          goodSinceShrink = 0;
        } else if (page < fullPage() && ++goodSinceShrink >= GROW_AFTER) {
          // The damage may have passed: try longer pages again, one doubling at a time.
          page = Math.min(fullPage(), page * 2);
          goodSinceShrink = 0;
        }
        // At most one new entry per request sent is believed: a meter writes one per period.
        if (reply.lastIdInMeter > newestSeen && reply.lastIdInMeter - newestSeen <= requests)
          newestSeen = reply.lastIdInMeter;
        // The oldest entries rolled out of the meter while we read (new ones were written meanwhile).
        if (reply.count === 0 && reply.flags.outOfRange && (cursor < oldestNow() || cursor <= result.oldestId + 1))
          break;
        if (reply.count === 0 || reply.flags.empty)
          throw new LinkError('unexpected', `entry ${cursor} is in the meter's range but the reply holds none`);
        if (reply.count < count && !reply.flags.oldestIncluded) {
          // The meter's buffer, not the end of the logger: page by what it actually returns.
          result.rowsPerReply = Math.min(result.rowsPerReply ?? reply.count, reply.count);
          page = Math.min(page, result.rowsPerReply);
        }
        await take(reply);
        cursor = reply.firstId - reply.count;
        // The meter says this page reached its oldest entry: nothing older is left to ask.
        if (reply.flags.oldestIncluded) break;
      }
    };

    await readDown(probe.firstId - probe.count, () => result.oldestId);
    // Entries the meter wrote while it was read: read down to the newest one read before.
    for (let top = result.newestId; newestSeen > top && !reachedFrom;) {
      const previous = top;
      top = newestSeen;
      total += top - previous;
      result.newestId = top;
      await readDown(top, () => previous + 1);
    }
    result.oldestId = oldestNow();
    result.complete = true;
    // Whatever the estimate was (a `from` bound met early, entries that rolled out of the meter
    // while it was read), a finished download ends its progress full.
    total = done;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    result.stoppedBy = e.why;
  }
  return finish();

  function finish(): LoggerReadResult {
    result.requests = requests;
    progress();
    return result;
  }
}

/** A logger that flagged its own failure (or gave no entries without saying it has none), in words. */
function loggerFailed(logger: number, info: number): LinkError {
  const flags = info & ~(LOGGER_INFO.oldestIncluded | LOGGER_INFO.newestIncluded);
  return new LinkError('logger-error', `info 0x${info.toString(16).padStart(4, '0')}`, {
    message: linkWords('link.logger-error.which', { logger: loggerNounWords(logger), flags: loggerInfoWordsOf(flags) }),
    advice: linkWords('link.logger-error.advice'),
  });
}

/**
 * Silence to the very first logger request of a connection: one GetSerialNo tells a meter that
 * has no logger read-out (it answers that) from one that is asleep or misaligned (it does not).
 * The former is remembered, so this connection never asks again.
 */
async function classifySilence(client: LoggerLink, silence: LinkError): Promise<void> {
  try {
    await client.transact(CID.GetSerialNo, new Uint8Array(0), (f) => decodeSerialNoResponse(f.data));
  } catch {
    throw silence;
  }
  client.loggerSupport = 'silent';
  throw new LinkError('no-logger', silence.detail);
}
