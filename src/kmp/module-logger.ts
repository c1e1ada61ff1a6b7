import { CID } from './constants.ts';
import { KmpError } from './errors.ts';
import { encodeKmpNumber } from './number.ts';
import { decodeRegisterValue, type RegisterValue } from './registers.ts';

/**
 * The logger read-out of the MULTICAL 601 and 801, CIDs A0–A3 (docs/loggers.md, from Kamstrup's
 * KMP description 5512-447): sent to the logger module's address, never to the meter's 0x3F.
 * Record ids are 16-bit, time stamps 8 bytes `YY MM DD hh mm ss WK Info`, values always 4 bytes.
 */

/** Where the loggers answer: the 601's top logger module (and the 801's own logger), the 601's base module. */
export const LOGGER_ADDRESS = { topModule: 0x7f, baseModule: 0xbf } as const;

/** The readout commands; A1 is never sent (its read pointer is shared with the meter's own readers). */
export type ModuleLogCid =
  typeof CID.GetLogTimePresent | typeof CID.GetLogPastPresent | typeof CID.GetLogIdPresent | typeof CID.GetLogTimePast;

/**
 * The log id of each logger period on a 601 logger module or the 801. 5512-447 names 01 the
 * interval (hourly) logger; the ids of the daily, monthly and yearly logs are not public, and 2, 3
 * and 4 are an assumption (the virtual meter follows it) until a real module shows otherwise.
 */
export const MODULE_LOG_IDS: Readonly<Record<number, number>> = { 5: 1, 4: 2, 3: 3, 2: 4 };

/** At most this many registers in one request (the document keeps replies manageable). */
export const MAX_MODULE_LOG_REGISTERS = 8;

/** The reply limit the document marks: ask with MaxL 128 and the meter cuts the records to fit. */
export const MODULE_LOG_MAX_APL = 128;

/** Value bytes of every register on the 601 and 801. */
export const MODULE_LOG_VALUE_BYTES = 4;

/** INFO byte flags of an A0–A3 reply. */
export const MODULE_LOG_INFO = {
  empty: 0x01,
  outOfRange: 0x04,
  maxLengthReached: 0x08,
  endOfLog: 0x10,
} as const;

const INFO_WORDS: ReadonlyArray<[number, string]> = [
  [MODULE_LOG_INFO.empty, 'log empty'],
  [MODULE_LOG_INFO.outOfRange, 'out of range'],
  [MODULE_LOG_INFO.maxLengthReached, 'MaxL reached'],
  [MODULE_LOG_INFO.endOfLog, 'end of log'],
];
const KNOWN_INFO_BITS = Object.values(MODULE_LOG_INFO).reduce((a, b) => a | b, 0);

/** The INFO byte of an A0–A3 reply in words, bits without a documented meaning as hex. */
export function moduleLogInfoWords(info: number): string {
  const said = INFO_WORDS.filter(([bit]) => info & bit).map(([, w]) => w);
  const other = info & ~KNOWN_INFO_BITS & 0xff;
  if (other) said.push(`flags 0x${other.toString(16).padStart(2, '0')}`);
  return said.length ? said.join(', ') : 'no flags';
}

interface RequestBase {
  log: number;
  registers: readonly number[];
  records: number;
  maxLength: number;
}

export type ModuleLogRequest =
  | (RequestBase & { cid: typeof CID.GetLogTimePresent; time: string })
  | (RequestBase & { cid: typeof CID.GetLogPastPresent })
  | (RequestBase & { cid: typeof CID.GetLogIdPresent; fromId: number })
  | (RequestBase & { cid: typeof CID.GetLogTimePast; time: string; offset: number });

export interface ModuleLogRecord {
  id: number;
  values: RegisterValue[];
}

export interface ModuleLogReply {
  cid: ModuleLogCid;
  log: number;
  records: ModuleLogRecord[];
  /** The record read last (newest going forward, oldest going back); undefined in a short error reply. */
  lastReadId?: number;
  /** The newest record the log holds. */
  newestId?: number;
  info: number;
}

const two = (n: number) => String(n).padStart(2, '0');
const u16 = (n: number) => [(n >> 8) & 0xff, n & 0xff];
const READOUT = new Set<number>([
  CID.GetLogTimePresent,
  CID.GetLogPastPresent,
  CID.GetLogIdPresent,
  CID.GetLogTimePast,
]);

function checkByte(name: string, n: number, min = 0, max = 0xff): void {
  if (!Number.isInteger(n) || n < min || n > max)
    throw new KmpError('argument', `${name} ${n} is not ${min} to ${max}`);
}

/** "2007-05-24T10:30:00" → the 8 time bytes (weekday and info 0). */
export function encodeLogTime(dateTime: string): Uint8Array {
  const m = /^20(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)$/.exec(dateTime);
  if (!m) throw new KmpError('argument', `"${dateTime}" is not a date-time from 2000 to 2099`);
  const bytes = Uint8Array.of(...m.slice(1).map(Number), 0, 0);
  decodeLogTime(bytes);
  return bytes;
}

/** The 8 time bytes → ISO local date-time; KmpError 'range' when not a calendar date and time of day. */
export function decodeLogTime(bytes: Uint8Array): string {
  if (bytes.length !== 8) throw new KmpError('length', `a logger time stamp has 8 bytes, not ${bytes.length}`);
  const [yy, mo, dd, hh, mi, ss] = Array.from(bytes) as [number, number, number, number, number, number];
  const days = new Date(Date.UTC(2000 + yy, mo, 0)).getUTCDate();
  if (yy > 99 || mo < 1 || mo > 12 || dd < 1 || dd > days || hh > 23 || mi > 59 || ss > 59)
    throw new KmpError(
      'range',
      `logger time ${Array.from(bytes.subarray(0, 6), two).join(' ')} is not a date and time`,
    );
  return `20${two(yy)}-${two(mo)}-${two(dd)}T${two(hh)}:${two(mi)}:${two(ss)}`;
}

/** The application data of a readout request, CID first. */
export function encodeModuleLogRequest(r: ModuleLogRequest): Uint8Array {
  if (!READOUT.has(r.cid)) throw new KmpError('argument', `0x${r.cid.toString(16)} is not a logger readout command`);
  checkByte('log id', r.log);
  if (r.registers.length < 1 || r.registers.length > MAX_MODULE_LOG_REGISTERS)
    throw new KmpError(
      'argument',
      `a logger request names 1 to ${MAX_MODULE_LOG_REGISTERS} registers, not ${r.registers.length}`,
    );
  r.registers.forEach((id) => checkByte('register id', id, 0, 0xffff));
  checkByte('record count', r.records, 1);
  checkByte('MaxL', r.maxLength, 1);
  const head = [r.cid, r.log, r.registers.length, ...r.registers.flatMap(u16), r.records, r.maxLength];
  switch (r.cid) {
    case CID.GetLogTimePresent:
      return Uint8Array.of(...head, ...encodeLogTime(r.time));
    case CID.GetLogPastPresent:
      return Uint8Array.from(head);
    case CID.GetLogIdPresent:
      checkByte('record id', r.fromId, 0, 0xffff);
      return Uint8Array.of(...head, ...u16(r.fromId));
    case CID.GetLogTimePast:
      checkByte('record offset', r.offset, 0, 0xffff);
      return Uint8Array.of(...head, ...encodeLogTime(r.time), ...u16(r.offset));
  }
}

/** A readout request's application data (the virtual meter's side). */
export function decodeModuleLogRequest(data: Uint8Array): ModuleLogRequest {
  const cid = data[0];
  if (cid === undefined || !READOUT.has(cid))
    throw new KmpError('unexpected', `0x${(cid ?? 0).toString(16)} is not a logger readout command`);
  const n = data[2] ?? 0;
  const fixed = 3 + 2 * n + 2;
  const extra = {
    [CID.GetLogTimePresent]: 8,
    [CID.GetLogPastPresent]: 0,
    [CID.GetLogIdPresent]: 2,
    [CID.GetLogTimePast]: 10,
  }[cid]!;
  if (n < 1 || n > MAX_MODULE_LOG_REGISTERS || data.length !== fixed + extra)
    throw new KmpError(
      'length',
      `a 0x${cid.toString(16)} request of ${data.length} bytes does not fit ${n} register(s)`,
    );
  const registers = Array.from({ length: n }, (_, i) => (data[3 + 2 * i]! << 8) | data[4 + 2 * i]!);
  const base = { log: data[1]!, registers, records: data[fixed - 2]!, maxLength: data[fixed - 1]! };
  const tail = data.subarray(fixed);
  switch (cid) {
    case CID.GetLogTimePresent:
      return { cid, ...base, time: decodeLogTime(tail) };
    case CID.GetLogPastPresent:
      return { cid, ...base };
    case CID.GetLogIdPresent:
      return { cid, ...base, fromId: (tail[0]! << 8) | tail[1]! };
    default:
      return {
        cid: CID.GetLogTimePast,
        ...base,
        time: decodeLogTime(tail.subarray(0, 8)),
        offset: (tail[8]! << 8) | tail[9]!,
      };
  }
}

/** Application bytes of a reply with m records of n registers of 4 bytes (the document's formula). */
export function moduleLogReplyLength(records: number, registers: number): number {
  if (records === 0) return 3 + 5;
  return 3 + 2 * records + 5 * registers + 4 * records * registers + 5;
}

/** The most records of n registers one reply within `maxLength` application bytes can carry. */
export function recordsWithin(maxLength: number, registers: number): number {
  let m = 0;
  while (moduleLogReplyLength(m + 1, registers) <= maxLength) m++;
  return m;
}

/**
 * An A0–A3 reply's application data (CID first). INFO is always the last byte; a reply that
 * carries an error flag may hold nothing else but the CID, which gives no records. Everything
 * malformed is a KmpError.
 */
export function decodeModuleLogReply(data: Uint8Array): ModuleLogReply {
  const cid = data[0];
  if (cid === undefined || !READOUT.has(cid))
    throw new KmpError('unexpected', `0x${(cid ?? 0).toString(16)} is not a logger readout reply`);
  const info = data[data.length - 1]!;
  if (data.length < 2) throw new KmpError('length', 'a logger reply has at least its command id and INFO byte');
  if (data.length < 8) {
    if (info === 0)
      throw new KmpError('length', `a logger reply of ${data.length} bytes without an error flag is cut off`);
    return { cid: cid as ModuleLogCid, log: data.length > 2 ? data[1]! : 0, records: [], info };
  }
  const log = data[1]!;
  const n = data[2]!;
  const trailer = data.length - 5;
  const lastReadId = (data[trailer]! << 8) | data[trailer + 1]!;
  const newestId = (data[trailer + 2]! << 8) | data[trailer + 3]!;
  const body = data.subarray(3, trailer);
  if (body.length === 0) return { cid: cid as ModuleLogCid, log, records: [], lastReadId, newestId, info };
  if (n === 0 || n > MAX_MODULE_LOG_REGISTERS)
    throw new KmpError('length', `a logger reply with ${body.length} record bytes names ${n} registers`);
  // The first record: its id, then each register's id, format (unit, NoB, SiEx) and value.
  const formats: Array<{ id: number; unit: number; nob: number; siex: number }> = [];
  let i = 2;
  for (let r = 0; r < n; r++) {
    if (i + 5 > body.length) throw new KmpError('length', `the first record's register ${r + 1} is cut off`);
    const f = { id: (body[i]! << 8) | body[i + 1]!, unit: body[i + 2]!, nob: body[i + 3]!, siex: body[i + 4]! };
    if (f.nob === 0) throw new KmpError('length', `register ${f.id} has a zero-length value`);
    formats.push(f);
    i += 5 + f.nob;
  }
  if (i > body.length) throw new KmpError('length', 'the first record is cut off');
  const rowBytes = 2 + formats.reduce((s, f) => s + f.nob, 0);
  if ((body.length - i) % rowBytes !== 0)
    throw new KmpError(
      'length',
      `${body.length - i} bytes after the first record are not whole records of ${rowBytes}`,
    );
  const records: ModuleLogRecord[] = [];
  const read = (at: number, first: boolean): ModuleLogRecord => {
    const id = (body[at]! << 8) | body[at + 1]!;
    let p = at + 2;
    const values = formats.map((f) => {
      if (first) p += 5;
      const v = decodeRegisterValue(f.id, f.unit, f.siex, body.subarray(p, p + f.nob));
      p += f.nob;
      return v;
    });
    return { id, values };
  };
  records.push(read(0, true));
  for (let at = i; at < body.length; at += rowBytes) records.push(read(at, false));
  return { cid: cid as ModuleLogCid, log, records, lastReadId, newestId, info };
}

export interface ModuleLogReplySpec {
  cid: ModuleLogCid;
  log: number;
  registers: ReadonlyArray<{ id: number; unitCode: number }>;
  records: ReadonlyArray<{ id: number; decimals: readonly string[] }>;
  lastReadId: number;
  newestId: number;
  info: number;
}

/** A reply's application data (the virtual meter's side): 4 value bytes each, as on the 601 and 801. */
export function encodeModuleLogReply(spec: ModuleLogReplySpec): Uint8Array {
  const out: number[] = [spec.cid, spec.log, spec.registers.length];
  // The format, sign and exponent included, is sent once: every record must share it.
  const siexes: number[] = [];
  spec.records.forEach((rec, r) => {
    out.push(...u16(rec.id));
    spec.registers.forEach((reg, k) => {
      const { siex, mantissa } = encodeKmpNumber(rec.decimals[k]!, MODULE_LOG_VALUE_BYTES);
      if (r === 0) {
        siexes[k] = siex;
        out.push(...u16(reg.id), reg.unitCode, MODULE_LOG_VALUE_BYTES, siex);
      } else if ((siex & 0x7f) !== (siexes[k]! & 0x7f) || (siex & 0x80) !== 0) {
        throw new KmpError(
          'argument',
          `record ${rec.id}: register ${reg.id} needs the first record's exponent and no sign`,
        );
      }
      out.push(...mantissa);
    });
  });
  out.push(...u16(spec.lastReadId), ...u16(spec.newestId), spec.info);
  return Uint8Array.from(out);
}

/**
 * GetEventStatus (9B) on a logger module: four status bytes, of which byte 2 flags, per log, that
 * records were written after the module's read barrier. Only ClearEventStatus (9C, never sent)
 * moves that barrier, so a set flag may be stale; a clear flag means nothing was written since.
 */
export interface EventStatus {
  /** Byte 2 bit 0: the interval (hourly) log holds records newer than the barrier. */
  intervalLogUnread: boolean;
  /** Byte 2 bit 1: the RTC log holds records newer than the barrier. */
  rtcLogUnread: boolean;
  /** The four bytes as received, for the frame log. */
  bytes: Uint8Array;
}

/** The log whose new records byte 2 bit 0 flags: the interval log (MODULE_LOG_IDS). */
export const EVENT_STATUS_INTERVAL_LOG_ID = 1;

/** A 9B reply's application data, CID first. */
export function decodeEventStatusReply(data: Uint8Array): EventStatus {
  if (data[0] !== CID.GetEventStatus)
    throw new KmpError('unexpected', `0x${(data[0] ?? 0).toString(16)} is not an event status reply`);
  if (data.length !== 5) throw new KmpError('length', `an event status reply has 4 bytes, not ${data.length - 1}`);
  const bytes = data.slice(1);
  return { intervalLogUnread: (bytes[2]! & 0x01) !== 0, rtcLogUnread: (bytes[2]! & 0x02) !== 0, bytes };
}

/** A 9B reply's application data (the virtual meter's side). */
export function encodeEventStatusReply(status: { intervalLogUnread: boolean; rtcLogUnread: boolean }): Uint8Array {
  return Uint8Array.of(
    CID.GetEventStatus,
    0,
    0,
    (status.intervalLogUnread ? 0x01 : 0) | (status.rtcLogUnread ? 0x02 : 0),
    0,
  );
}
