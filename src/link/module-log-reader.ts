/**
 * Downloads a log of a MULTICAL 601 logger module or of the 801 (A2, GetLogIDPresent, on 0x7F or
 * 0xBF; docs/loggers.md): one request for the oldest record and the newest id, then pages upward
 * through the ids not yet held, each page as many records as fit 128 bytes. Only A2 is sent: it
 * reads by id, so it never depends on the meter's clock and never moves its read pointer. Before
 * the interval log, when asked, GetEventStatus (9B) tells whether anything was written at all.
 */
import {
  CID,
  EVENT_STATUS_INTERVAL_LOG_ID,
  MAX_MODULE_LOG_REGISTERS,
  MODULE_LOG_IDS,
  MODULE_LOG_INFO,
  MODULE_LOG_MAX_APL,
  REG_DATE,
  REG_TIME,
  decodeEventStatusReply,
  decodeModuleLogReply,
  encodeModuleLogRequest,
  loggerRowTime,
  moduleLogReplyLength,
  recordsWithin,
  type EventStatus,
  type ModuleLogReply,
} from '../kmp/index.ts';
import { LinkError } from './link-error.ts';
import { DEFAULT_LOGGER_REQUEST_BUDGET } from './logger-plan.ts';
import type { LoggerEntry, LoggerReadOptions, LoggerReadResult } from './logger-reader.ts';
import type { Transport } from './transport.ts';
import './module-log-frame-names.ts';

const DAMAGED = new Set(['bad-crc', 'cut-off', 'unexpected']);

class Stop extends Error {
  constructor(readonly why: 'cancelled' | 'budget') {
    super(why);
  }
}

/** The registers asked for each record: the date and time first (the records carry no stamp of their own). */
export function moduleLogRegisters(registers: readonly number[]): number[] {
  const rest = registers.filter((r) => r !== REG_DATE && r !== REG_TIME);
  return [REG_DATE, REG_TIME, ...rest].slice(0, MAX_MODULE_LOG_REGISTERS);
}

export async function readModuleLog(
  client: Transport,
  address: number,
  logger: number,
  registers: readonly number[],
  options: LoggerReadOptions = {},
): Promise<LoggerReadResult> {
  const lid = MODULE_LOG_IDS[logger];
  if (lid === undefined) throw new LinkError('unexpected', `logger ${logger} has no log on a 601/801 logger module`);
  const asked = moduleLogRegisters(registers);
  const budget = options.maxRequests ?? DEFAULT_LOGGER_REQUEST_BUDGET;
  const maxFailures = options.maxFailures ?? 4;
  const held = options.have;
  const isHeld = (id: number) => (typeof held === 'function' ? held(id) : (held?.has(id) ?? false));
  const perPage = recordsWithin(MODULE_LOG_MAX_APL, asked.length);
  let requests = 0;

  /** One request to the module, counted against the budget, after a cancel none. */
  const send = async <T>(
    cid: number,
    data: Uint8Array,
    parse: (data: Uint8Array) => T,
    replyBytes: number,
  ): Promise<T> => {
    if (options.signal?.aborted) throw new Stop('cancelled');
    if (requests >= budget) throw new Stop('budget');
    requests++;
    return client.transact(cid, data, (f) => parse(Uint8Array.of(f.cid, ...f.data)), {
      dst: address,
      retries: 0,
      replyDeadlineMs: client.replyDeadlineFor(replyBytes),
    });
  };

  const ask = (fromId: number, records: number): Promise<ModuleLogReply> => {
    const data = encodeModuleLogRequest({
      cid: CID.GetLogIdPresent,
      log: lid,
      registers: asked,
      records,
      maxLength: MODULE_LOG_MAX_APL,
      fromId,
    });
    const replyBytes = Math.min(MODULE_LOG_MAX_APL, moduleLogReplyLength(records, asked.length));
    return send(CID.GetLogIdPresent, data.subarray(1), decodeModuleLogReply, replyBytes);
  };

  /**
   * GetEventStatus, retried on damage. Undefined where the module does not answer it: the A2
   * probe then decides, as it would without.
   */
  const eventStatus = async (): Promise<EventStatus | undefined> => {
    for (let failures = 0; ; failures++) {
      try {
        return await send(CID.GetEventStatus, new Uint8Array(0), decodeEventStatusReply, 4);
      } catch (e) {
        if (!(e instanceof LinkError)) throw e;
        if (e.kind === 'no-answer' || e.kind === 'echo-only') return undefined;
        if (!DAMAGED.has(e.kind) || failures + 1 >= maxFailures) throw e;
      }
    }
  };

  /** One page, retried on damage; a first request that gets no answer at all means no logger here. */
  const page = async (fromId: number, records: number, first: boolean): Promise<ModuleLogReply> => {
    for (let failures = 0; ; failures++) {
      try {
        return await ask(fromId, records);
      } catch (e) {
        if (!(e instanceof LinkError)) throw e;
        if (first && (e.kind === 'no-answer' || e.kind === 'echo-only')) throw new LinkError('no-logger');
        if (!DAMAGED.has(e.kind) && e.kind !== 'no-answer') throw e;
        if (failures + 1 >= maxFailures) throw e;
      }
    }
  };

  const entries: LoggerEntry[] = [];
  const toEntries = (reply: ModuleLogReply): LoggerEntry[] =>
    reply.records.flatMap((r) => {
      const time = loggerRowTime(r.values);
      return time ? [{ logger, id: r.id, time, values: r.values }] : [];
    });
  let unsupported: number[] = [];
  let oldestId = 0;
  let newestId = 0;
  let done = 0;
  let total = 0;
  let stoppedBy: 'cancelled' | 'budget' | undefined;
  const progress = () => options.onProgress?.({ done, total, requests });
  const keep = async (reply: ModuleLogReply) => {
    const fresh = toEntries(reply).filter((e) => !isHeld(e.id) && !entries.some((x) => x.id === e.id));
    entries.push(...fresh);
    await options.onEntries?.([...fresh].reverse());
  };

  try {
    if (options.askEventStatus && lid === EVENT_STATUS_INTERVAL_LOG_ID) {
      const status = await eventStatus();
      if (status && !status.intervalLogUnread)
        return { ...result(logger, asked, [], 0, 0, requests, true), nothingNew: 'event-status' };
    }
    // Id 0 does not exist: the module starts at the oldest record it holds, and says its newest.
    const probe = await page(0, 1, true);
    if (probe.info & MODULE_LOG_INFO.empty || !probe.records.length)
      return result(logger, asked, [], 0, 0, requests, true);
    oldestId = probe.records[0]!.id;
    // The module leaves out the registers its log does not record.
    unsupported = asked.filter((id) => !probe.records[0]!.values.some((v) => v.id === id));
    newestId = probe.newestId ?? oldestId;
    const missing: number[] = [];
    for (let id = oldestId; id <= newestId; id++) if (!isHeld(id)) missing.push(id);
    total = missing.length;
    if (missing[0] === oldestId) {
      await keep(probe);
      done = 1;
    }
    progress();
    let i = done;
    while (i < missing.length) {
      const from = missing[i]!;
      // A run of consecutive missing ids, as many as one reply holds.
      let run = 1;
      while (i + run < missing.length && missing[i + run] === from + run && run < perPage) run++;
      const reply = await page(from, run, false);
      if (!reply.records.length) break;
      await keep(reply);
      const got = reply.records.filter((r) => r.id >= from && r.id < from + run).length;
      i += Math.max(1, got);
      done = Math.min(total, i);
      progress();
      if (reply.info & MODULE_LOG_INFO.endOfLog && reply.records.at(-1)!.id >= newestId) break;
    }
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stoppedBy = e.why;
  }
  const complete = stoppedBy === undefined && done >= total;
  return {
    ...result(logger, asked, entries, oldestId, newestId, requests, complete),
    unsupported,
    ...(stoppedBy ? { stoppedBy } : {}),
  };
}

function result(
  logger: number,
  asked: number[],
  entries: LoggerEntry[],
  oldestId: number,
  newestId: number,
  requests: number,
  complete: boolean,
): LoggerReadResult {
  return {
    logger,
    config: { logger, depth: newestId ? newestId - oldestId + 1 : 0, registers: asked, header: [] },
    registers: asked,
    unsupported: [],
    entries: [...entries].sort((a, b) => b.id - a.id),
    newestId,
    oldestId,
    requests,
    rowsPerReply: undefined,
    complete,
  };
}
