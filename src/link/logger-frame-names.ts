import {
  CID,
  LOGGER_SUB,
  decodeLoggerConfig,
  decodeLoggerReply,
  decodeLoggerRequest,
  loggerInfoWords,
  type LoggerRequest,
} from '../kmp/index.ts';
import { describeFramesOf } from './wire-log.ts';

const entries = (n: number) => (n === 1 ? '1 entry' : `${n} entries`);

function describeLoggerRequest(r: LoggerRequest): string {
  if (r.sub === LOGGER_SUB.config) return `configuration of logger ${r.logger}`;
  const from =
    r.sub === LOGGER_SUB.byId ? `from id ${r.fromId}` : r.offset === 0xffff ? 'from the newest' : `offset ${r.offset}`;
  return `logger ${r.logger} ${from}, ${entries(r.count)} of ${r.registers.join(', ')}`;
}

function describeLoggerReply(data: Uint8Array): string {
  if (data[0] === LOGGER_SUB.config) {
    const c = decodeLoggerConfig(data);
    return `logger ${c.logger} keeps ${c.depth} entries of ${c.registers.length} registers`;
  }
  const r = decodeLoggerReply(data);
  const rows = r.count ? `${entries(r.count)} from id ${r.firstId}` : 'no entries';
  return `logger ${r.logger}, ${rows} (newest ${r.lastIdInMeter}), ${loggerInfoWords(r.info)}`;
}

/** The frame log names logger requests and replies once the logger code is loaded (see wire-log.ts). */
describeFramesOf(CID.Logger, (direction, data) =>
  direction === 'request' ? describeLoggerRequest(decodeLoggerRequest(data)) : describeLoggerReply(data),
);
