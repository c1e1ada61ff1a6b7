import { crc16 } from './crc.ts';
import { START_REQUEST, START_RESPONSE, STOP } from './constants.ts';
import { KmpError } from './errors.ts';
import { stuff, unstuff } from './stuffing.ts';

export type Direction = 'request' | 'response';

/** A frame after unstuffing and CRC check. `data` is what follows the command id. */
export interface DecodedFrame {
  direction: Direction;
  dst: number;
  cid: number;
  data: Uint8Array;
}

/** Destination, command id and CRC: the least an unstuffed frame body can hold. */
const MIN_BODY = 4;

/**
 * Wraps a body (destination, command id, data) into a wire frame: appends the CRC
 * big-endian, stuffs, and adds the start byte for the direction and the stop byte.
 */
export function encodeFrame(body: Uint8Array, direction: Direction = 'request'): Uint8Array {
  if (body.length < 2) throw new KmpError('argument', 'a frame body needs at least a destination and a command id');
  for (const b of body) {
    if (!Number.isInteger(b) || b < 0 || b > 255) throw new KmpError('argument', 'frame body bytes must be 0..255');
  }
  const crc = crc16(body);
  const withCrc = new Uint8Array(body.length + 2);
  withCrc.set(body);
  withCrc[body.length] = crc >> 8;
  withCrc[body.length + 1] = crc & 0xff;
  const stuffed = stuff(withCrc);
  const wire = new Uint8Array(stuffed.length + 2);
  wire[0] = direction === 'request' ? START_REQUEST : START_RESPONSE;
  wire.set(stuffed, 1);
  wire[wire.length - 1] = STOP;
  return wire;
}

/** Decodes one complete wire frame (start to stop byte). Rejects any frame whose CRC fails. */
export function decodeFrame(wire: Uint8Array): DecodedFrame {
  if (wire.length < 2) throw new KmpError('length', `a frame of ${wire.length} byte(s) is too short`);
  const first = wire[0]!;
  const direction: Direction | undefined =
    first === START_REQUEST ? 'request' : first === START_RESPONSE ? 'response' : undefined;
  if (direction === undefined) {
    throw new KmpError('framing', `frame starts with 0x${first.toString(16).padStart(2, '0')}, not 0x80 or 0x40`);
  }
  if (wire[wire.length - 1] !== STOP) throw new KmpError('framing', 'frame does not end with the stop byte 0x0D');
  const body = unstuff(wire.subarray(1, wire.length - 1));
  if (body.length < MIN_BODY) {
    throw new KmpError(
      'length',
      `frame body of ${body.length} byte(s) is shorter than destination, command id and CRC`,
    );
  }
  if (crc16(body) !== 0) {
    const got = (body[body.length - 2]! << 8) | body[body.length - 1]!;
    const want = crc16(body, 0, body.length - 2);
    throw new KmpError('crc', `CRC mismatch: frame says 0x${hex4(got)}, content gives 0x${hex4(want)}`);
  }
  return { direction, dst: body[0]!, cid: body[1]!, data: body.slice(2, body.length - 2) };
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}
