import { CID, DST_HEAT_METER, MAX_REGISTERS_PER_REQUEST } from './constants.ts';
import { UNIT_DATE_TIME_DST, decodeDateTimeDst } from './date-time-dst.ts';
import { KmpError } from './errors.ts';
import { encodeFrame } from './frame.ts';
import { decodeKmpNumber, encodeKmpNumber } from './number.ts';
import { unitName } from './units.ts';

/** One register block of a GetRegister reply, decoded. */
export interface RegisterValue {
  id: number;
  unitCode: number;
  /** Unit text for `unitCode`, from the meter's reply, never from a catalogue. */
  unit: string;
  /** Nearest number to `decimal` (64.57, never 64.57000000000001). */
  value: number;
  /** Exact decimal text of the mantissa and exponent. */
  decimal: string;
  /**
   * Unit 79 (register 348) only: the meter's raw date and time as ISO 8601 local date-time
   * ("2026-04-21T12:07:30"), daylight saving not applied; absent in an empty logger's placeholder.
   */
  dateTime?: string;
  /** Unit 79 only, beside `dateTime`: the minutes of daylight saving the meter adds for its display. */
  dstMinutes?: number;
}

/** Register id, unit code, mantissa length and SIEX: the bytes before each mantissa. */
const BLOCK_HEADER = 5;

export function checkRegisterIds(ids: readonly number[]): void {
  if (ids.length < 1 || ids.length > MAX_REGISTERS_PER_REQUEST) {
    throw new KmpError(
      'argument',
      `a GetRegister request takes 1 to ${MAX_REGISTERS_PER_REQUEST} register ids, not ${ids.length}`,
    );
  }
  for (const id of ids) {
    if (!Number.isInteger(id) || id < 0 || id > 0xffff)
      throw new KmpError('argument', `register id ${id} is not 0..65535`);
  }
}

/** The body (destination, CID, data) of a GetRegister request. */
export function getRegisterBody(ids: readonly number[]): Uint8Array {
  checkRegisterIds(ids);
  const body = new Uint8Array(3 + ids.length * 2);
  body[0] = DST_HEAT_METER;
  body[1] = CID.GetRegister;
  body[2] = ids.length;
  ids.forEach((id, i) => {
    body[3 + i * 2] = id >> 8;
    body[4 + i * 2] = id & 0xff;
  });
  return body;
}

/** A complete wire request for 1 to 8 registers. */
export function encodeGetRegister(ids: readonly number[]): Uint8Array {
  return encodeFrame(getRegisterBody(ids));
}

/** The register ids of a GetRegister request's data (after the command id). */
export function decodeGetRegisterRequest(data: Uint8Array): number[] {
  const n = data[0];
  if (n === undefined || data.length !== 1 + n * 2) {
    throw new KmpError(
      'length',
      `GetRegister request data of ${data.length} byte(s) does not match its count ${n ?? '(none)'}`,
    );
  }
  const ids: number[] = [];
  for (let i = 0; i < n; i++) ids.push((data[1 + i * 2]! << 8) | data[2 + i * 2]!);
  return ids;
}

/**
 * Decodes the data of a GetRegister reply block by block, in reply order. Registers the
 * meter does not know are simply absent, so callers key by `id`, never by position.
 */
export function decodeRegisters(data: Uint8Array): RegisterValue[] {
  const out: RegisterValue[] = [];
  let i = 0;
  while (i < data.length) {
    if (i + BLOCK_HEADER > data.length) {
      throw new KmpError(
        'length',
        `register block at byte ${i} is cut off: ${data.length - i} byte(s) left, a block header needs ${BLOCK_HEADER}`,
      );
    }
    const id = (data[i]! << 8) | data[i + 1]!;
    const unitCode = data[i + 2]!;
    const len = data[i + 3]!;
    const siex = data[i + 4]!;
    if (len === 0) throw new KmpError('length', `register ${id} has a zero-length mantissa`);
    const end = i + BLOCK_HEADER + len;
    if (end > data.length) {
      throw new KmpError(
        'length',
        `register ${id} says ${len} mantissa byte(s) but only ${data.length - i - BLOCK_HEADER} remain`,
      );
    }
    out.push(decodeRegisterValue(id, unitCode, siex, data.subarray(i + BLOCK_HEADER, end)));
    i = end;
  }
  return out;
}

/**
 * One register value from its block fields, for GetRegister replies and logger rows alike: the
 * exact decimal of any mantissa length, the unit from the reply, and for unit 79 the date-time.
 * Every failure is a KmpError naming the register.
 */
export function decodeRegisterValue(id: number, unitCode: number, siex: number, mantissa: Uint8Array): RegisterValue {
  try {
    const { decimal, value } = decodeKmpNumber(siex, mantissa);
    const out: RegisterValue = { id, unitCode, unit: unitName(unitCode), value, decimal };
    if (unitCode !== UNIT_DATE_TIME_DST) return out;
    if (siex !== 0) throw new KmpError('range', `a date-time (unit 79) has sign and exponent byte 0, not ${siex}`);
    const dt = decodeDateTimeDst(mantissa);
    return dt ? { ...out, dateTime: dt.dateTime, dstMinutes: dt.dstMinutes } : out;
  } catch (e) {
    if (e instanceof KmpError) throw new KmpError(e.code, `register ${id}: ${e.message}`);
    throw e;
  }
}

/** What the virtual meter (or a test) needs to encode one register block. */
export interface RegisterBlockSpec {
  id: number;
  unitCode: number;
  decimal: string;
  /** Mantissa bytes; the smallest that fits when left out. */
  length?: number;
}

/** Encodes register blocks as the data of a GetRegister reply. */
export function encodeRegisterBlocks(blocks: readonly RegisterBlockSpec[]): Uint8Array {
  const parts = blocks.map((b) => {
    const { siex, mantissa } = encodeKmpNumber(b.decimal, b.length);
    const block = new Uint8Array(BLOCK_HEADER + mantissa.length);
    block[0] = b.id >> 8;
    block[1] = b.id & 0xff;
    block[2] = b.unitCode;
    block[3] = mantissa.length;
    block[4] = siex;
    block.set(mantissa, BLOCK_HEADER);
    return block;
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
