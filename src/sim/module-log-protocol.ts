import {
  CID,
  KmpError,
  MODULE_LOG_IDS,
  MODULE_LOG_INFO,
  EVENT_STATUS_INTERVAL_LOG_ID,
  decodeModuleLogRequest,
  encodeEventStatusReply,
  encodeModuleLogReply,
  recordsWithin,
  type ModuleLogRequest,
} from '../kmp/index.ts';
import type { LoggerSpec, MeterLoggers } from './meter-loggers.ts';

/** The logs of the virtual 601's logger module and the 801's internal logger, by log id (kmp's MODULE_LOG_IDS). */
export const MODULE_LOGS: ReadonlyArray<{ lid: number; type: number }> = Object.entries(MODULE_LOG_IDS).map(
  ([type, lid]) => ({ lid, type: Number(type) }),
);

/** The device's own limit on a reply, whatever MaxL asks (the document marks 128 bytes). */
const DEVICE_MAX_APL = 128;

/**
 * The module's answer to an A0, A2 or A3 request (CID first), or undefined where it stays
 * silent (a malformed request, a log it does not have). Records are cut to fit MaxL, with the
 * INFO flag saying so, as the document describes.
 */
export function answerModuleLog(loggers: MeterLoggers, data: Uint8Array, nowHost: number): Uint8Array | undefined {
  let request: ModuleLogRequest;
  try {
    request = decodeModuleLogRequest(data);
  } catch (e) {
    if (e instanceof KmpError) return undefined;
    throw e;
  }
  const type = MODULE_LOGS.find((l) => l.lid === request.log)?.type;
  const spec = type === undefined ? undefined : loggers.spec(type);
  if (!spec) return undefined;
  const { oldest, newest } = loggers.range(spec, nowHost);
  const known = request.registers.filter((r) => spec.registers.includes(r));
  const short = (info: number) => Uint8Array.of(request.cid, request.log, 0, 0, 0, newest >> 8, newest & 0xff, info);
  if (newest === 0) return short(MODULE_LOG_INFO.empty);
  if (!known.length) return short(MODULE_LOG_INFO.outOfRange);
  const forward = request.cid !== CID.GetLogTimePast;
  const start = firstRecord(loggers, spec, request, oldest, newest);
  if (start === undefined) return short(MODULE_LOG_INFO.outOfRange);
  const available = forward ? newest - start + 1 : start - oldest + 1;
  const fit = recordsWithin(Math.min(request.maxLength, DEVICE_MAX_APL), known.length);
  const count = Math.max(0, Math.min(request.records, available, fit));
  if (count === 0) return short(MODULE_LOG_INFO.maxLengthReached);
  const ids = Array.from({ length: count }, (_, i) => (forward ? start + i : start - i));
  const records = ids.map((id) => ({ id, decimals: loggers.entry(spec, id, known).values.map((v) => v.decimal) }));
  const sample = loggers.entry(spec, ids[0]!, known).values;
  let info = 0;
  if (count < request.records && count === fit && count < available) info |= MODULE_LOG_INFO.maxLengthReached;
  if (count < request.records && count === available) info |= MODULE_LOG_INFO.endOfLog;
  return encodeModuleLogReply({
    cid: request.cid,
    log: request.log,
    registers: sample.map((v) => ({ id: v.id, unitCode: v.unitCode })),
    records,
    lastReadId: ids[ids.length - 1]!,
    newestId: newest,
    info,
  });
}

/** Where a read starts: the id asked for, or the first record at or after (A0) or at or before (A3) a time. */
function firstRecord(
  loggers: MeterLoggers,
  spec: LoggerSpec,
  request: ModuleLogRequest,
  oldest: number,
  newest: number,
): number | undefined {
  const timeOf = (id: number) => loggers.entry(spec, id, []).time;
  switch (request.cid) {
    case CID.GetLogIdPresent:
      if (request.fromId > newest) return undefined;
      return Math.max(request.fromId, oldest);
    case CID.GetLogTimePresent: {
      for (let id = oldest; id <= newest; id++) if (timeOf(id) >= request.time) return id;
      return undefined;
    }
    case CID.GetLogTimePast: {
      for (let id = newest; id >= oldest; id--)
        if (timeOf(id) <= request.time) return id - request.offset >= oldest ? id - request.offset : undefined;
      return undefined;
    }
    default:
      // A1 reads on from a pointer the meter keeps for its own readers; never asked by kmp-web.
      return undefined;
  }
}

/**
 * The module's answer to GetEventStatus (9B, CID first): the interval log's flag is set while it
 * holds a record newer than `barrier`, the id a reading system last cleared the flag at (9C,
 * which kmp-web never sends). The virtual module has no RTC log: that flag stays clear.
 */
export function answerEventStatus(loggers: MeterLoggers, barrier: number, nowHost: number): Uint8Array {
  return encodeEventStatusReply({
    intervalLogUnread: intervalLogNewest(loggers, nowHost) > barrier,
    rtcLogUnread: false,
  });
}

/** The newest interval log id now: where a reading system's last clear left the barrier. */
export function intervalLogNewest(loggers: MeterLoggers, nowHost: number): number {
  const type = MODULE_LOGS.find((l) => l.lid === EVENT_STATUS_INTERVAL_LOG_ID)!.type;
  const spec = loggers.spec(type);
  return spec ? loggers.range(spec, nowHost).newest : 0;
}
