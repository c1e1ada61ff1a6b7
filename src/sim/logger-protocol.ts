import {
  KmpError,
  LOGGER_INFO,
  LOGGER_OFFSET_NEWEST,
  LOGGER_SUB,
  decodeLoggerRequest,
  encodeLoggerConfig,
  encodeLoggerReply,
} from '../kmp/index.ts';
import type { MeterLoggers, SimLoggerEntry } from './meter-loggers.ts';

/** The 10 configuration bytes of unknown meaning, as the captured 603 sends them for its yearly logger. */
const CONFIG_HEADER = [1, 1, 1, 1, 0, 0, 1, 0, 1, 0];

/** Reply data (after the command id) a real meter's buffer holds, by default; no limit is documented. */
export const DEFAULT_LOGGER_REPLY_BYTES = 240;

/** Header of a reply to 06 or 07, and what row 0 adds per register before its value. */
const REPLY_HEADER = 15;
const ROW0_BLOCK = 5;

/**
 * The meter's answer to CID 0xB8 (the data after the command id), or undefined where a real
 * MULTICAL stays silent: an unknown sub-command, a logger it does not have, a malformed request.
 * A reply holds as many rows as fit `replyBytes`, silently fewer than asked, as a real meter does.
 */
export function answerLogger(
  loggers: MeterLoggers,
  data: Uint8Array,
  nowHost: number,
  replyBytes: number,
  /** Info flags added to every entries reply: a logger that fails (memory error 0x100, say). */
  extraInfo = 0,
): Uint8Array | undefined {
  let request;
  try {
    request = decodeLoggerRequest(data);
  } catch (e) {
    if (e instanceof KmpError) return undefined;
    throw e;
  }
  const spec = loggers.spec(request.logger);
  if (!spec) return undefined;
  if (request.sub === LOGGER_SUB.config)
    return encodeLoggerConfig({
      logger: spec.type,
      depth: spec.depth,
      registers: [...spec.registers],
      header: CONFIG_HEADER,
    });
  const { oldest, newest } = loggers.range(spec, nowHost);
  const asked = request.registers;
  const known = asked.filter((r) => spec.registers.includes(r));
  const unsupported = known.length < asked.length ? LOGGER_INFO.unsupportedRegister : 0;
  const reply = (firstId: number, info: number, rows: SimLoggerEntry['values'][]) =>
    encodeLoggerReply({
      sub: request.sub,
      logger: spec.type,
      firstId,
      lastIdInMeter: newest,
      info: info | unsupported | extraInfo,
      registers: rows[0] ?? known.map((id) => ({ id, unitCode: 0, length: 1 })),
      rows: rows.map((r) => r.map((v) => v.decimal)),
    });
  if (known.length === 0) return reply(0, LOGGER_INFO.invalidRequest, []);
  // An empty logger answers with one placeholder row of zeros (the captured minute logger).
  if (newest === 0) return reply(0, LOGGER_INFO.empty, [loggers.placeholder(spec, known)]);
  const start =
    request.sub === LOGGER_SUB.byId
      ? request.fromId
      : request.offset === LOGGER_OFFSET_NEWEST
        ? newest
        : newest - request.offset;
  if (start > newest || start < oldest) return reply(start < 0 ? 0 : start, LOGGER_INFO.outOfRange, []);
  const wanted = Math.min(request.count, start - oldest + 1, rowsThatFit(loggers, spec.type, known, replyBytes));
  const rows: SimLoggerEntry['values'][] = [];
  for (let id = start; id > start - wanted; id--) rows.push(loggers.entry(spec, id, known).values);
  const last = start - wanted + 1;
  const info = (start === newest ? LOGGER_INFO.newestIncluded : 0) | (last === oldest ? LOGGER_INFO.oldestIncluded : 0);
  return reply(start, info, rows);
}

/** Rows of these registers that fit the reply buffer; at least one, however small the buffer. */
function rowsThatFit(loggers: MeterLoggers, type: number, registers: readonly number[], replyBytes: number): number {
  const spec = loggers.spec(type)!;
  const row = loggers.placeholder(spec, registers);
  const rowBytes = row.reduce((n, v) => n + v.length, 0);
  const first = REPLY_HEADER + ROW0_BLOCK * row.length + rowBytes;
  return Math.max(1, 1 + Math.floor((replyBytes - first) / rowBytes));
}
