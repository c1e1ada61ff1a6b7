/**
 * CRC-16/XMODEM (poly 0x1021, init 0, no reflection, no final xor): the KMP checksum.
 * Table-driven over the bare message, so it yields the frame CRC directly; the bit-wise
 * "augmented" routine some peers use needs two zero bytes appended to give the same value.
 */
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n << 8;
    for (let k = 0; k < 8; k++) c = c & 0x8000 ? (c << 1) ^ 0x1021 : c << 1;
    table[n] = c & 0xffff;
  }
  return table;
})();

export function crc16(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) crc = ((crc << 8) ^ TABLE[((crc >> 8) ^ bytes[i]!) & 0xff]!) & 0xffff;
  return crc;
}
