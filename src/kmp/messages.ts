import { CID, DST_HEAT_METER } from './constants.ts';
import { KmpError } from './errors.ts';
import { encodeFrame } from './frame.ts';

/** Meter type and software revision from GetType (KMP doc 6.2.1). */
export interface MeterType {
  /** The 16-bit meter type code; no public table maps it to models, so it is shown raw too. */
  typeCode: number;
  /** e.g. "0x1101". */
  typeHex: string;
  /** e.g. "F1"; undefined when the meter reports 00 00 (not available). */
  softwareRevision: string | undefined;
}

export function encodeGetType(): Uint8Array {
  return encodeFrame(Uint8Array.of(DST_HEAT_METER, CID.GetType));
}

export function encodeGetSerialNo(): Uint8Array {
  return encodeFrame(Uint8Array.of(DST_HEAT_METER, CID.GetSerialNo));
}

export function decodeGetTypeResponse(data: Uint8Array): MeterType {
  if (data.length !== 4) throw new KmpError('length', `a GetType reply carries 4 data bytes, not ${data.length}`);
  const typeCode = (data[0]! << 8) | data[1]!;
  return {
    typeCode,
    typeHex: `0x${typeCode.toString(16).toUpperCase().padStart(4, '0')}`,
    softwareRevision: formatRevision(data[2]!, data[3]!),
  };
}

/** The revision is a letter index (1 = A) and a number; 00 00 means not available. */
function formatRevision(letter: number, number: number): string | undefined {
  if (letter === 0 && number === 0) return undefined;
  const l = letter >= 1 && letter <= 26 ? String.fromCharCode(64 + letter) : `?${letter}`;
  return `${l}${number}`;
}

export function encodeGetTypeResponse(type: {
  typeCode: number;
  revisionLetter: number;
  revisionNumber: number;
}): Uint8Array {
  return Uint8Array.of(type.typeCode >> 8, type.typeCode & 0xff, type.revisionLetter, type.revisionNumber);
}

/** The serial number from GetSerialNo: a 4-byte big-endian unsigned integer. */
export function decodeSerialNoResponse(data: Uint8Array): number {
  if (data.length !== 4) throw new KmpError('length', `a GetSerialNo reply carries 4 data bytes, not ${data.length}`);
  return ((data[0]! << 24) >>> 0) + ((data[1]! << 16) | (data[2]! << 8) | data[3]!);
}

export function encodeSerialNoResponse(serial: number): Uint8Array {
  if (!Number.isInteger(serial) || serial < 0 || serial > 0xffffffff) {
    throw new KmpError('argument', `serial ${serial} does not fit in 4 bytes`);
  }
  return Uint8Array.of(serial >>> 24, (serial >>> 16) & 0xff, (serial >>> 8) & 0xff, serial & 0xff);
}
