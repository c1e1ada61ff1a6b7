import { LOGGER_SUB } from './constants.ts';
import { KmpError } from './errors.ts';
import { LOGGER_CONFIG_UNKNOWN_BYTES as CONFIG_UNKNOWN, type LoggerConfig } from './logger.ts';
import { encodeKmpNumber } from './number.ts';

/*
 * The meter's side of the logger read-out (CID 0xB8, docs/loggers.md): replies encoded as a
 * MULTICAL sends them. The virtual meter and the tests use these; the app only decodes
 * (logger.ts), so this half never reaches the app's bundle.
 */

const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** What the virtual meter needs to encode a reply to 06 or 07. */
export interface LoggerReplySpec {
  sub: typeof LOGGER_SUB.byId | typeof LOGGER_SUB.fromEnd;
  logger: number;
  firstId: number;
  lastIdInMeter: number;
  info: number;
  /** Each register's id, unit code and mantissa length, in row order. */
  registers: ReadonlyArray<{ id: number; unitCode: number; length: number }>;
  /** Each row's decimal values, in register order, newest first. */
  rows: ReadonlyArray<readonly string[]>;
}

/**
 * Encodes the data of a reply to 06 or 07. Every row uses row 0's sign-and-exponent byte per
 * register, as rows after the first carry values only; a value needing another is refused.
 */
export function encodeLoggerReply(spec: LoggerReplySpec): Uint8Array {
  const out: number[] = [
    spec.sub,
    spec.logger,
    ...u16(spec.rows.length),
    spec.registers.length,
    ...u32(spec.firstId),
    ...u32(spec.lastIdInMeter),
    ...u16(spec.info),
  ];
  const siexes: number[] = [];
  spec.rows.forEach((row, i) => {
    if (row.length !== spec.registers.length)
      throw new KmpError('argument', `row ${i} has ${row.length} values for ${spec.registers.length} registers`);
    spec.registers.forEach((reg, r) => {
      const { siex, mantissa } = encodeKmpNumber(row[r]!, reg.length);
      if (i === 0) {
        siexes.push(siex);
        out.push(...u16(reg.id), reg.unitCode, mantissa.length, siex);
      } else if (siex !== siexes[r]) {
        throw new KmpError('argument', `row ${i} register ${reg.id}: "${row[r]}" needs another exponent than row 0`);
      }
      out.push(...mantissa);
    });
  });
  return Uint8Array.from(out);
}

/** Encodes the data of a reply to 05. */
export function encodeLoggerConfig(config: LoggerConfig): Uint8Array {
  if (config.header.length !== CONFIG_UNKNOWN)
    throw new KmpError('argument', `a logger configuration header is ${CONFIG_UNKNOWN} bytes`);
  return Uint8Array.of(
    LOGGER_SUB.config,
    config.logger,
    ...config.header,
    ...u16(config.depth),
    config.registers.length,
    ...config.registers.flatMap(u16),
  );
}
