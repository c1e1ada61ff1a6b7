/**
 * The USB CDC PSTN 1.2 line requests, class requests to an interface (bmRequestType 0x21): the
 * CDC-ACM driver sends them to its communication interface, and the PL2303 takes the very same
 * two (Linux pl2303.c: SET_LINE_REQUEST 0x20, SET_CONTROL_REQUEST 0x22) to interface 0.
 */
import { le32, type LineSettings } from './driver.ts';

/** §6.3.10 SET_LINE_CODING. */
export const SET_LINE_CODING = 0x20;
/** §6.3.12 SET_CONTROL_LINE_STATE. */
export const SET_CONTROL_LINE_STATE = 0x22;
/** §6.3.12 wValue: DTR bit 0, RTS (carrier activation) bit 1. */
export const DTR_RTS = 0x03;

/** §6.3.10 line coding, 7 bytes: rate LE32, stop (0 one, 2 two), parity (0 none, 1 odd, 2 even), data bits. */
export function lineCoding(line: LineSettings): Uint8Array<ArrayBuffer> {
  const parity = { none: 0, odd: 1, even: 2 }[line.parity];
  return Uint8Array.from([...le32(line.baudRate), line.stopBits === 2 ? 2 : 0, parity, line.dataBits]);
}
