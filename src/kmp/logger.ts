import { CID, DST_HEAT_METER, LOGGER_SUB } from './constants.ts';
import { KmpError } from './errors.ts';
import { encodeFrame } from './frame.ts';
import { listWords } from './list-words.ts';
import { decodeRegisterValue, type RegisterValue } from './registers.ts';
import { fill, words, type Sentences, type Words } from './words.ts';

/**
 * The logger read-out, CID 0xB8 (docs/loggers.md): a meter's own yearly, monthly, daily, hourly and
 * info loggers. Only sub-commands 05, 06 and 07 (LOGGER_SUB, in constants.ts) have a public
 * layout; 08 and 09 are never sent.
 */

/** Logger types (the `type` byte). 8 and 9 are firmware-update logs, not useful to a person. */
export const LOGGER_TYPE = {
  configuration: 0,
  info: 1,
  year: 2,
  month: 3,
  day: 4,
  hour: 5,
  minute1: 6,
  minute2: 7,
  firmware1: 8,
  firmware2: 9,
} as const;

export type LoggerType = (typeof LOGGER_TYPE)[keyof typeof LOGGER_TYPE];

const MAX_LOGGER_TYPE = 9;

/** Registers one entries request may name, as for GetRegister. */
export const MAX_LOGGER_REGISTERS = 8;

/** Sub 07 offset meaning "from the newest entry", as Kamstrup's software sends it. */
export const LOGGER_OFFSET_NEWEST = 0xffff;

/** The largest entry id a request or reply can carry (u32). */
export const MAX_LOGGER_ID = 0xffff_ffff;

/** The most entries one request may ask for (u16); the meter silently returns fewer. */
export const MAX_LOGGER_COUNT = 0xffff;

/** Bits of a reply's `info` word. Only empty, oldest and newest have been seen on real meters. */
export const LOGGER_INFO = {
  empty: 0x0001,
  outOfRange: 0x0002,
  unsupportedRegister: 0x0008,
  entriesTruncated: 0x0010,
  formatChanged: 0x0020,
  oldestIncluded: 0x0040,
  newestIncluded: 0x0080,
  memoryError: 0x0100,
  invalidRequest: 0x0200,
  registersTruncated: 0x2000,
} as const;

const KNOWN_INFO_BITS = Object.values(LOGGER_INFO).reduce((a, b) => a | b, 0);

/** Each info flag in words (docs/loggers.md; the names are one public reader's reading, not Kamstrup's). */
const INFO_WORDS: Readonly<Record<keyof typeof LOGGER_INFO, string>> = {
  empty: 'no entries',
  outOfRange: 'out of range',
  unsupportedRegister: 'unsupported register',
  entriesTruncated: 'entries truncated',
  formatChanged: 'format changed',
  oldestIncluded: 'oldest entry included',
  newestIncluded: 'newest entry included',
  memoryError: 'memory error',
  invalidRequest: 'invalid request',
  registersTruncated: 'registers truncated',
};

/** The flags that say the logger itself failed, not that a page ended: no row under them is taken. */
export const LOGGER_ERROR_INFO = LOGGER_INFO.memoryError | LOGGER_INFO.invalidRequest;

const LOGGER_NAMES: Readonly<Record<number, string>> = {
  1: 'info-code',
  2: 'yearly',
  3: 'monthly',
  4: 'daily',
  5: 'hourly',
  6: 'first minute',
  7: 'second minute',
};

/**
 * What the codec says of loggers, by id (src/kmp/words.ts), made from the tables above: each
 * logger's short name ('daily', as in "the daily log"), its name as a noun phrase ('daily
 * logger', as in "the meter's daily logger reported an error", so that a language can make one
 * word of it), and each info flag.
 */
export const LOGGER_SENTENCES: Sentences = {
  ...Object.fromEntries(Object.entries(LOGGER_NAMES).map(([type, name]) => [`kmp.logger.${type}`, name])),
  'kmp.logger.other': 'number {type}',
  ...Object.fromEntries(
    Object.entries(LOGGER_NAMES).map(([type, name]) => [`kmp.logger.${type}.noun`, `${name} logger`]),
  ),
  'kmp.logger.other.noun': 'number {type} logger',
  ...Object.fromEntries(Object.entries(INFO_WORDS).map(([flag, said]) => [`kmp.logger-info.${flag}`, said])),
  'kmp.logger-info.other': 'flags {hex}',
  'kmp.logger-info.none': 'no flags',
};

/** The info field of a 06/07 reply as words: "memory error, flags 0x4000", bits without a public meaning as hex. */
export function loggerInfoWordsOf(info: number): Words {
  const said = (Object.keys(LOGGER_INFO) as (keyof typeof LOGGER_INFO)[])
    .filter((flag) => info & LOGGER_INFO[flag])
    .map((flag) => words(LOGGER_SENTENCES, `kmp.logger-info.${flag}`));
  const other = info & ~KNOWN_INFO_BITS & 0xffff;
  if (other)
    said.push(words(LOGGER_SENTENCES, 'kmp.logger-info.other', { hex: `0x${other.toString(16).padStart(4, '0')}` }));
  const [first, ...rest] = said;
  return first ? listWords([first, ...rest], 'comma') : words(LOGGER_SENTENCES, 'kmp.logger-info.none');
}

/** loggerInfoWordsOf in English, for the frame log: "memory error, flags 0x4000". */
export function loggerInfoWords(info: number): string {
  return fill(loggerInfoWordsOf(info));
}

/** A logger type's short name as words: "daily", or "number 9" for one without a name. */
export function loggerNameWords(type: number): Words {
  return LOGGER_NAMES[type] !== undefined
    ? words(LOGGER_SENTENCES, `kmp.logger.${type}`)
    : words(LOGGER_SENTENCES, 'kmp.logger.other', { type: String(type) });
}

/** A logger type as a noun phrase: "daily logger", or "number 9 logger" ("its number 9 logger"). */
export function loggerNounWords(type: number): Words {
  return LOGGER_NAMES[type] !== undefined
    ? words(LOGGER_SENTENCES, `kmp.logger.${type}.noun`)
    : words(LOGGER_SENTENCES, 'kmp.logger.other.noun', { type: String(type) });
}

/** A logger type as a person names it, in English: "daily", or "number 9" ("its number 9 logger"). */
export function loggerName(type: number): string {
  return fill(loggerNameWords(type));
}

export type LoggerFlags = { -readonly [K in keyof typeof LOGGER_INFO]: boolean } & {
  /** Bits without a public meaning: shown, never hidden. */
  unknown: number;
};

export type LoggerRequest =
  | { sub: typeof LOGGER_SUB.config; logger: number }
  | { sub: typeof LOGGER_SUB.byId; logger: number; fromId: number; count: number; registers: readonly number[] }
  | { sub: typeof LOGGER_SUB.fromEnd; logger: number; offset: number; count: number; registers: readonly number[] };

/** One logger entry as a reply carries it: no id or time of its own, so `id` comes from its position. */
export interface LoggerRow {
  id: number;
  values: RegisterValue[];
}

export interface LoggerReply {
  sub: typeof LOGGER_SUB.byId | typeof LOGGER_SUB.fromEnd;
  logger: number;
  /** Rows in this reply: may be fewer than asked, as the meter fills only its reply buffer. */
  count: number;
  /** Id of row 0; row i is entry `firstId − i` (newest first). */
  firstId: number;
  /** The newest entry id the meter holds in this logger. */
  lastIdInMeter: number;
  info: number;
  flags: LoggerFlags;
  rows: LoggerRow[];
}

export interface LoggerConfig {
  logger: number;
  /** How many entries the logger keeps. */
  depth: number;
  /** The registers each entry records, in the meter's order. */
  registers: number[];
  /** The 10 header bytes whose meaning is not public, kept for diagnostics. */
  header: number[];
}

/** sub, type, count u16, nRegs u8, firstId u32, lastIdInMeter u32, info u16. */
const REPLY_HEADER = 15;
/** sub, type, 10 unknown bytes, depth u16, nRegs u8. */
const CONFIG_HEADER = 15;
/** The configuration header's bytes whose meaning is not known (kept as they came). */
export const LOGGER_CONFIG_UNKNOWN_BYTES = 10;
/** Register id, unit, nob, siex: what row 0 carries before each value. */
const ROW0_BLOCK = 5;

const isUint = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max;

function checkLogger(logger: number): void {
  if (!isUint(logger, MAX_LOGGER_TYPE))
    throw new KmpError('argument', `logger type ${logger} is not one of 0 to ${MAX_LOGGER_TYPE}`);
}

function checkRegisters(registers: readonly number[]): void {
  if (registers.length < 1 || registers.length > MAX_LOGGER_REGISTERS)
    throw new KmpError(
      'argument',
      `a logger request takes 1 to ${MAX_LOGGER_REGISTERS} register ids, not ${registers.length}`,
    );
  for (const id of registers)
    if (!isUint(id, 0xffff)) throw new KmpError('argument', `register id ${id} is not 0..65535`);
  // Row values carry no id after row 0: a register asked twice could not be told apart.
  if (new Set(registers).size !== registers.length)
    throw new KmpError('argument', 'a logger request names a register twice');
}

function checkCount(count: number): void {
  if (!isUint(count, MAX_LOGGER_COUNT) || count < 1)
    throw new KmpError('argument', `a logger request asks for 1 to ${MAX_LOGGER_COUNT} entries, not ${count}`);
}

const u16 = (n: number) => [n >> 8, n & 0xff];
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const regIds = (registers: readonly number[]) => [registers.length, ...registers.flatMap(u16)];

/** The application data (after the command id) of a logger request; refuses what the protocol cannot carry. */
export function loggerRequestData(request: LoggerRequest): Uint8Array {
  checkLogger(request.logger);
  switch (request.sub) {
    case LOGGER_SUB.config:
      return Uint8Array.of(request.sub, request.logger);
    case LOGGER_SUB.byId:
      // Ids start at 1: there is no entry 0 to go back from.
      if (!isUint(request.fromId, MAX_LOGGER_ID) || request.fromId < 1)
        throw new KmpError('argument', `entry id ${request.fromId} is not 1 to ${MAX_LOGGER_ID}`);
      checkCount(request.count);
      checkRegisters(request.registers);
      return Uint8Array.of(
        request.sub,
        request.logger,
        ...u32(request.fromId),
        ...u16(request.count),
        ...regIds(request.registers),
      );
    case LOGGER_SUB.fromEnd:
      if (!isUint(request.offset, 0xffff))
        throw new KmpError('argument', `offset ${request.offset} is not 0 to ${0xffff}`);
      checkCount(request.count);
      checkRegisters(request.registers);
      return Uint8Array.of(
        request.sub,
        request.logger,
        ...u16(request.offset),
        ...u16(request.count),
        ...regIds(request.registers),
      );
    default:
      throw new KmpError(
        'argument',
        `logger sub-command ${String((request as { sub: unknown }).sub)} is not one this app sends (only 05, 06 and 07)`,
      );
  }
}

/** A complete wire request for a logger's configuration or entries. */
export function encodeLoggerRequest(request: LoggerRequest): Uint8Array {
  return encodeFrame(Uint8Array.of(DST_HEAT_METER, CID.Logger, ...loggerRequestData(request)));
}

const rd16 = (d: Uint8Array, i: number) => (d[i]! << 8) | d[i + 1]!;
const rd32 = (d: Uint8Array, i: number) => ((d[i]! << 24) >>> 0) + ((d[i + 1]! << 16) | (d[i + 2]! << 8) | d[i + 3]!);

/**
 * A logger request's data (after the command id), as the virtual meter receives it. Whatever
 * `loggerRequestData` refuses to send is refused here too: 'length' when the bytes do not add
 * up, 'unexpected' for a sub-command, type or count no request of ours carries.
 */
export function decodeLoggerRequest(data: Uint8Array): LoggerRequest {
  if (data.length < 2)
    throw new KmpError('length', `a logger request carries a sub-command and a type, not ${data.length} byte(s)`);
  const sub = data[0]!;
  const logger = data[1]!;
  if (sub !== LOGGER_SUB.config && sub !== LOGGER_SUB.byId && sub !== LOGGER_SUB.fromEnd)
    throw new KmpError('unexpected', `logger sub-command 0x${sub.toString(16).padStart(2, '0')} is not 05, 06 or 07`);
  if (logger > MAX_LOGGER_TYPE)
    throw new KmpError('unexpected', `logger type ${logger} is not 0 to ${MAX_LOGGER_TYPE}`);
  if (sub === LOGGER_SUB.config) {
    if (data.length !== 2)
      throw new KmpError('length', `a logger configuration request is 2 bytes, not ${data.length}`);
    return { sub, logger };
  }
  // 06: id u32; 07: offset u16. Then count u16, nRegs u8 and the ids.
  const fixed = sub === LOGGER_SUB.byId ? 9 : 7;
  if (data.length < fixed)
    throw new KmpError('length', `a logger entries request is cut off at ${data.length} byte(s)`);
  const n = data[fixed - 1]!;
  if (data.length !== fixed + 2 * n)
    throw new KmpError(
      'length',
      `a logger entries request naming ${n} register(s) is ${fixed + 2 * n} bytes, not ${data.length}`,
    );
  const registers = Array.from({ length: n }, (_, i) => rd16(data, fixed + 2 * i));
  const count = rd16(data, fixed - 3);
  const request: LoggerRequest =
    sub === LOGGER_SUB.byId
      ? { sub, logger, fromId: rd32(data, 2), count, registers }
      : { sub, logger, offset: rd16(data, 2), count, registers };
  try {
    loggerRequestData(request);
  } catch (e) {
    if (e instanceof KmpError) throw new KmpError('unexpected', e.message);
    throw e;
  }
  return request;
}

/** The named and unnamed bits of a reply's `info` word. */
export function loggerFlags(info: number): LoggerFlags {
  const flags = { unknown: info & ~KNOWN_INFO_BITS & 0xffff } as LoggerFlags;
  for (const [name, bit] of Object.entries(LOGGER_INFO)) flags[name as keyof typeof LOGGER_INFO] = (info & bit) !== 0;
  return flags;
}

/**
 * Decodes the data of a reply to 06 or 07 (after the command id, as decodeFrame gives it).
 * Strict, because rows carry no id or time of their own: a reply whose row count, register
 * count or lengths disagree is refused whole (KmpError 'length' or 'unexpected'), never read
 * as rows that might belong to other entries.
 */
export function decodeLoggerReply(data: Uint8Array): LoggerReply {
  if (data.length < 1) throw new KmpError('length', 'a logger reply with no data');
  const sub = data[0]!;
  if (sub === LOGGER_SUB.config)
    throw new KmpError('unexpected', 'a logger configuration reply (05) where entries (06 or 07) were expected');
  if (sub !== LOGGER_SUB.byId && sub !== LOGGER_SUB.fromEnd)
    throw new KmpError('unexpected', `logger reply for sub-command 0x${sub.toString(16).padStart(2, '0')}`);
  if (data.length < REPLY_HEADER)
    throw new KmpError(
      'length',
      `a logger reply header is ${REPLY_HEADER} bytes; this reply has ${data.length} byte(s) in all`,
    );
  const logger = data[1]!;
  if (logger > MAX_LOGGER_TYPE)
    throw new KmpError('unexpected', `logger type ${logger} is not 0 to ${MAX_LOGGER_TYPE}`);
  const count = rd16(data, 2);
  const nRegs = data[4]!;
  const firstId = rd32(data, 5);
  const lastIdInMeter = rd32(data, 9);
  const info = rd16(data, 13);
  if (nRegs > MAX_LOGGER_REGISTERS)
    throw new KmpError(
      'unexpected',
      `a logger reply with ${nRegs} registers; no request asks for more than ${MAX_LOGGER_REGISTERS}`,
    );
  const base = { sub, logger, count, firstId, lastIdInMeter, info, flags: loggerFlags(info) } as const;
  if (count === 0) {
    if (data.length !== REPLY_HEADER)
      throw new KmpError(
        'length',
        `a logger reply of 0 rows has ${data.length - REPLY_HEADER} byte(s) after its header`,
      );
    return { ...base, rows: [] };
  }
  if (nRegs === 0) throw new KmpError('unexpected', `a logger reply of ${count} row(s) without any register`);
  // Row 0: id, unit, nob and siex of each register, then its value; later rows hold values only.
  const heads: Array<{ id: number; unitCode: number; nob: number; siex: number }> = [];
  let at = REPLY_HEADER;
  for (let r = 0; r < nRegs; r++) {
    if (at + ROW0_BLOCK > data.length)
      throw new KmpError('length', `a logger reply is cut off in row 0 at register ${r + 1} of ${nRegs}`);
    const head = { id: rd16(data, at), unitCode: data[at + 2]!, nob: data[at + 3]!, siex: data[at + 4]! };
    if (head.nob === 0) throw new KmpError('length', `register ${head.id} has a zero-length value in a logger reply`);
    if (heads.some((h) => h.id === head.id))
      throw new KmpError('unexpected', `a logger reply names register ${head.id} twice`);
    heads.push(head);
    at += ROW0_BLOCK + head.nob;
  }
  const rowBytes = heads.reduce((n, h) => n + h.nob, 0);
  const expected = REPLY_HEADER + ROW0_BLOCK * nRegs + rowBytes * count;
  if (data.length !== expected)
    throw new KmpError(
      'length',
      `a logger reply of ${count} row(s) of ${nRegs} register(s) (${rowBytes} value bytes a row) is ${expected} bytes, not ${data.length}`,
    );
  // Entry ids start at 1; only an empty logger's placeholder row stands at id 0.
  const lowest = base.flags.empty ? 0 : 1;
  if (firstId < count - 1 + lowest)
    throw new KmpError('unexpected', `a logger reply of ${count} rows from id ${firstId} would run below id ${lowest}`);
  if (firstId > lastIdInMeter)
    throw new KmpError(
      'unexpected',
      `a logger reply starts at id ${firstId}, beyond the newest id ${lastIdInMeter} it names`,
    );
  const rows: LoggerRow[] = [];
  let v = REPLY_HEADER;
  for (let i = 0; i < count; i++) {
    const id = firstId - i;
    const values: RegisterValue[] = [];
    for (const h of heads) {
      if (i === 0) v += ROW0_BLOCK;
      try {
        values.push(decodeRegisterValue(h.id, h.unitCode, h.siex, data.subarray(v, v + h.nob)));
      } catch (e) {
        if (e instanceof KmpError) throw new KmpError(e.code, `logger entry ${id}: ${e.message}`);
        throw e;
      }
      v += h.nob;
    }
    rows.push({ id, values });
  }
  return { ...base, rows };
}

/** Decodes a reply to 05: the logger's depth and the registers its entries record. */
export function decodeLoggerConfig(data: Uint8Array): LoggerConfig {
  if (data.length < 1) throw new KmpError('length', 'a logger configuration reply with no data');
  if (data[0] !== LOGGER_SUB.config)
    throw new KmpError(
      'unexpected',
      `logger reply for sub-command 0x${data[0]!.toString(16).padStart(2, '0')} where a configuration (05) was expected`,
    );
  if (data.length < CONFIG_HEADER)
    throw new KmpError(
      'length',
      `a logger configuration header is ${CONFIG_HEADER} bytes; this reply has ${data.length} byte(s) in all`,
    );
  const logger = data[1]!;
  if (logger > MAX_LOGGER_TYPE)
    throw new KmpError('unexpected', `logger type ${logger} is not 0 to ${MAX_LOGGER_TYPE}`);
  const depth = rd16(data, 2 + LOGGER_CONFIG_UNKNOWN_BYTES);
  const n = data[CONFIG_HEADER - 1]!;
  if (data.length !== CONFIG_HEADER + 2 * n)
    throw new KmpError(
      'length',
      `a logger configuration naming ${n} register(s) is ${CONFIG_HEADER + 2 * n} bytes, not ${data.length}`,
    );
  const registers = Array.from({ length: n }, (_, i) => rd16(data, CONFIG_HEADER + 2 * i));
  if (new Set(registers).size !== n) throw new KmpError('unexpected', 'a logger configuration names a register twice');
  return { logger, depth, registers, header: Array.from(data.subarray(2, 2 + LOGGER_CONFIG_UNKNOWN_BYTES)) };
}

/**
 * The configuration header's ten bytes as the one public 0xB8 reader names them (docs/loggers.md:
 * "the public reader's reading, not Kamstrup's"): a target date and a second date, each with a
 * format byte, the most interval records and the interval, each with a format byte. Shown as
 * that reader's names, with the raw bytes beside them.
 */
export interface LoggerConfigHeaderNames {
  date1Format: number;
  /** Two bytes, month and day in the captured yearly 603 configuration (01 01: 1 January). */
  date1: [number, number];
  date2Format: number;
  date2: [number, number];
  maxIntervalRecordsFormat: number;
  maxIntervalRecords: number;
  intervalFormat: number;
  interval: number;
}

export function loggerConfigHeaderNames(header: readonly number[]): LoggerConfigHeaderNames | undefined {
  if (header.length !== LOGGER_CONFIG_UNKNOWN_BYTES) return undefined;
  const h = header as readonly [number, number, number, number, number, number, number, number, number, number];
  return {
    date1Format: h[0],
    date1: [h[1], h[2]],
    date2Format: h[3],
    date2: [h[4], h[5]],
    maxIntervalRecordsFormat: h[6],
    maxIntervalRecords: h[7],
    intervalFormat: h[8],
    interval: h[9],
  };
}
