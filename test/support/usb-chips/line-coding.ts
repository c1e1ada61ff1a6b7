/**
 * The 7-byte line coding of USB CDC PSTN 1.2 §6.3.11 (SET_LINE_CODING/GET_LINE_CODING), which
 * the PL2303 uses too (pl2303.c SET_LINE_REQUEST 0x20 / GET_LINE_REQUEST 0x21): dwDTERate
 * (little-endian), bCharFormat (0 = 1, 1 = 1.5, 2 = 2 stop bits), bParityType (0 none, 1 odd,
 * 2 even, 3 mark, 4 space), bDataBits (5, 6, 7, 8 or 16).
 */
import { le32, readLe32 } from './fake-usb-device.ts';
import type { LineSettings, Parity } from './uart.ts';

const PARITIES: Parity[] = ['none', 'odd', 'even', 'mark', 'space'];
const STOPS = [1, 1.5, 2] as const;

export function decodeLineCoding(
  data: Uint8Array,
  baud: (raw: Uint8Array) => number = (raw) => readLe32(raw),
): LineSettings | undefined {
  if (data.length !== 7) return undefined;
  const stopBits = STOPS[data[4]!];
  const parity = PARITIES[data[5]!];
  const dataBits = data[6]!;
  if (stopBits === undefined || parity === undefined || ![5, 6, 7, 8, 16].includes(dataBits)) return undefined;
  return { baudRate: baud(data), stopBits, parity, dataBits };
}

export function encodeLineCoding(line: LineSettings): Uint8Array {
  const out = new Uint8Array(7);
  out.set(le32(Math.round(line.baudRate)), 0);
  out[4] = STOPS.indexOf(line.stopBits);
  out[5] = PARITIES.indexOf(line.parity);
  out[6] = line.dataBits;
  return out;
}
