import {
  CID,
  DST_HEAT_METER,
  KmpError,
  MAX_REGISTERS_PER_REQUEST,
  decodeGetRegisterRequest,
  encodeGetTypeResponse,
  encodeRegisterBlocks,
  encodeSerialNoResponse,
} from '../kmp/index.ts';
import { answerLogger } from './logger-protocol.ts';
import { answerEventStatus, answerModuleLog } from './module-log-protocol.ts';
import type { MeterLoggers } from './meter-loggers.ts';
import type { MeterModel, MeterState } from './meter-state.ts';

/** What answering the logger read-out needs beyond the live state. */
export interface LoggerContext {
  loggers: MeterLoggers;
  now: number;
  replyBytes: number;
  /** Where the 601/801 logs answer (0x7F top module, 0xBF base module); undefined: no logger module. */
  moduleAddress?: number;
  /** Info flags added to every 0xB8 entries reply (VirtualMeterOptions.loggerFlags). */
  loggerFlags?: number;
  /** The interval log id the module's event flag was last cleared at (GetEventStatus). */
  eventBarrier?: number;
}

/** The older generation: no 0xB8 read-out; their loggers answer A0–A3 on a module address. */
const OLDER = new Set<MeterModel>(['402', '601', '801']);

/**
 * GetType answers. 0x0004 with revision 0x0601 ("F1") is Kamstrup's own example of a MULTICAL 601
 * with Pt100 sensors (5512-447, GetType); 0x1101 is named MULTICAL 402 by a Domoticz plugin; the
 * 403, 603 and 801 codes are invented for the simulation.
 */
const TYPES: Record<MeterModel, { typeCode: number; revisionLetter: number; revisionNumber: number }> = {
  '402': { typeCode: 0x1101, revisionLetter: 2, revisionNumber: 1 },
  '403': { typeCode: 0x3403, revisionLetter: 2, revisionNumber: 1 },
  '603': { typeCode: 0x3603, revisionLetter: 3, revisionNumber: 1 },
  '601': { typeCode: 0x0004, revisionLetter: 6, revisionNumber: 1 },
  '801': { typeCode: 0x3801, revisionLetter: 2, revisionNumber: 1 },
};

/**
 * The meter's application layer: a decoded request body in, a reply body (destination,
 * command id, data) out, or undefined where a real MULTICAL stays silent.
 */
export function answer(
  state: MeterState,
  dst: number,
  cid: number,
  data: Uint8Array,
  logger?: LoggerContext,
): Uint8Array | undefined {
  if (dst !== DST_HEAT_METER) {
    if (!logger || logger.moduleAddress !== dst) return undefined;
    if (cid === CID.GetEventStatus)
      return data.length
        ? undefined
        : Uint8Array.of(dst, ...answerEventStatus(logger.loggers, logger.eventBarrier ?? 0, logger.now));
    const payload = answerModuleLog(logger.loggers, Uint8Array.of(cid, ...data), logger.now);
    return payload && Uint8Array.of(dst, ...payload);
  }
  const reply = (payload: Uint8Array) => Uint8Array.of(DST_HEAT_METER, cid, ...payload);
  switch (cid) {
    case CID.GetType:
      return reply(encodeGetTypeResponse(TYPES[state.model]));
    case CID.GetSerialNo:
      return reply(encodeSerialNoResponse(state.serial));
    case CID.GetRegister: {
      let ids: number[];
      try {
        ids = decodeGetRegisterRequest(data);
      } catch (e) {
        if (e instanceof KmpError) return undefined;
        throw e;
      }
      if (ids.length === 0 || ids.length > MAX_REGISTERS_PER_REQUEST) return undefined;
      // Unknown ids are simply left out; known ones come back in request order.
      return reply(encodeRegisterBlocks(state.values(ids)));
    }
    case CID.Logger: {
      // The older generation (402, 601, 801) has no logger read-out of this kind: it stays silent.
      if (!logger || OLDER.has(state.model)) return undefined;
      const payload = answerLogger(logger.loggers, data, logger.now, logger.replyBytes, logger.loggerFlags);
      return payload && reply(payload);
    }
    default:
      // Writes (SetClock, PutRegister, ClearEventStatus) and commands we do not model: silence.
      return undefined;
  }
}
