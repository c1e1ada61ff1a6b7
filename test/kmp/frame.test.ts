import { describe, expect, it } from 'vitest';
import { crc16, decodeFrame, encodeFrame, fromHex, stuff, toHex, unstuff } from '../../src/kmp/index.ts';
import { errorOf } from './error-of.ts';

// Exact bytes and exact messages: a frame log line or an error text is often the only clue a
// person at a meter we do not have can send back.

describe('encodeFrame', () => {
  it('wraps the shortest body (destination and command id) into a request', () => {
    expect(toHex(encodeFrame(Uint8Array.of(0x3f, 0x01)))).toBe('80 3F 01 05 8A 0D');
  });

  it('starts a response with 0x40 and stuffs the CRC too', () => {
    expect(toHex(encodeFrame(Uint8Array.of(0x3f, 0x10, 0xff), 'response'))).toBe('40 3F 10 FF F4 17 0D');
    expect(toHex(encodeFrame(fromHex('3F 01 00 04 06 01'), 'response'))).toBe('40 3F 01 00 04 1B F9 01 26 99 0D');
  });

  it('refuses a body of one byte, saying what it needs', () => {
    const e = errorOf(() => encodeFrame(Uint8Array.of(0x3f)));
    expect(e.code).toBe('argument');
    expect(e.message).toBe('a frame body needs at least a destination and a command id');
  });

  // Typed callers always pass a Uint8Array; a plain array from untyped code would be wrapped
  // silently (256 → 0) without the check.
  it.each([[[0x3f, 0x10, 256]], [[0x3f, 0x10, -1]], [[0x3f, 0x10, 1.5]], [[0x3f, 0x10, NaN]]])(
    'refuses body bytes outside 0..255 from untyped callers: %j',
    (bytes) => {
      const e = errorOf(() => encodeFrame(bytes as unknown as Uint8Array));
      expect(e.code).toBe('argument');
      expect(e.message).toBe('frame body bytes must be 0..255');
    },
  );

  it('accepts 0 and 255 from a plain array', () => {
    expect(toHex(encodeFrame([0x3f, 0x10, 0, 255] as unknown as Uint8Array))).toBe(
      toHex(encodeFrame(Uint8Array.of(0x3f, 0x10, 0, 255))),
    );
  });
});

describe('decodeFrame', () => {
  it('accepts the shortest frame: destination, command id and CRC, no data', () => {
    expect(decodeFrame(fromHex('80 3F 01 05 8A 0D'))).toEqual({
      direction: 'request',
      dst: 0x3f,
      cid: 0x01,
      data: new Uint8Array(0),
    });
  });

  it('returns the data between command id and CRC, unstuffed', () => {
    expect(decodeFrame(fromHex('40 3F 01 00 04 1B F9 01 26 99 0D'))).toEqual({
      direction: 'response',
      dst: 0x3f,
      cid: 0x01,
      data: Uint8Array.of(0x00, 0x04, 0x06, 0x01),
    });
  });

  it.each([
    ['', 'length', 'a frame of 0 byte(s) is too short'],
    ['40', 'length', 'a frame of 1 byte(s) is too short'],
    ['40 0D', 'length', 'frame body of 0 byte(s) is shorter than destination, command id and CRC'],
    ['40 3F 10 8A 0D', 'length', 'frame body of 3 byte(s) is shorter than destination, command id and CRC'],
    ['05 3F 01 05 8A 0D', 'framing', 'frame starts with 0x05, not 0x80 or 0x40'],
    ['C0 3F 01 05 8A 0D', 'framing', 'frame starts with 0xc0, not 0x80 or 0x40'],
    ['80 3F 01 05 8A 0E', 'framing', 'frame does not end with the stop byte 0x0D'],
    ['40 3F 10 0E 0A 29 0D', 'crc', 'CRC mismatch: frame says 0x0A29, content gives 0x0B29'],
    ['40 3F 10 1B 00 7E 4A 0D', 'escape', 'escape 0x1B followed by 0x00, which does not stand for a reserved byte'],
    ['40 3F 10 06 9A 00 0D', 'framing', 'reserved byte 0x06 inside a frame body'],
    ['40 3F 10 9A 1B 0D', 'escape', 'frame ends in the middle of an escape (0x1B)'],
  ])('%j → %s: %s', (wire, code, message) => {
    const e = errorOf(() => decodeFrame(fromHex(wire)));
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });
});

describe('stuffing', () => {
  it('escapes each reserved byte as 1B and its complement, and nothing else', () => {
    expect(toHex(stuff(fromHex('06 0D 1B 40 80 00 05 FF 7F 3F')))).toBe('1B F9 1B F2 1B E4 1B BF 1B 7F 00 05 FF 7F 3F');
    expect(toHex(unstuff(fromHex('1B F9 1B F2 1B E4 1B BF 1B 7F 00 05 FF 7F 3F')))).toBe(
      '06 0D 1B 40 80 00 05 FF 7F 3F',
    );
  });

  it('unstuffs an escape at the very end of the body', () => {
    expect(toHex(unstuff(fromHex('3F 1B F2')))).toBe('3F 0D');
  });

  it.each([
    ['1B', 'escape', 'frame ends in the middle of an escape (0x1B)'],
    ['1B 0F', 'escape', 'escape 0x1B followed by 0x0F, which does not stand for a reserved byte'],
    ['0D', 'framing', 'reserved byte 0x0D inside a frame body'],
    ['01 40', 'framing', 'reserved byte 0x40 inside a frame body'],
  ])('unstuff(%s) → %s: %s', (hex, code, message) => {
    const e = errorOf(() => unstuff(fromHex(hex)));
    expect(e.code).toBe(code);
    expect(e.message).toBe(message);
  });
});

describe('crc16 over part of a buffer', () => {
  it('covers bytes start (inclusive) to end (exclusive)', () => {
    const bytes = fromHex('FF 3F 10 01 00 3C FF');
    expect(crc16(bytes, 1, 6)).toBe(0xb25f);
    expect(crc16(bytes, 1)).toBe(crc16(fromHex('3F 10 01 00 3C FF')));
    expect(crc16(bytes, 0, 0)).toBe(0);
  });

  it('matches the table-free definition on every single byte', () => {
    for (let b = 0; b < 256; b++) {
      let c = b << 8;
      for (let k = 0; k < 8; k++) c = c & 0x8000 ? ((c << 1) ^ 0x1021) & 0xffff : (c << 1) & 0xffff;
      expect(crc16(Uint8Array.of(b))).toBe(c);
    }
  });
});

describe('hex helpers', () => {
  it('writes upper-case pairs, zero-padded', () => {
    expect(toHex(Uint8Array.of(0x00, 0x0a, 0xab, 0xff))).toBe('00 0A AB FF');
    expect(toHex([])).toBe('');
  });

  it('reads spaced, packed, colon-separated and mixed-case text', () => {
    expect(Array.from(fromHex('80 3f:01\n0d\t0A'))).toEqual([0x80, 0x3f, 0x01, 0x0d, 0x0a]);
    expect(Array.from(fromHex('803F'))).toEqual([0x80, 0x3f]);
    expect(fromHex('')).toEqual(new Uint8Array(0));
  });

  it.each(['8', '80 3', 'zz', '80 3G', '0x80', '80-3F'])('refuses %j', (text) => {
    expect(() => fromHex(text)).toThrow(new Error(`not a hex byte string: "${text}"`));
  });
});
