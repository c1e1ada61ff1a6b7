import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  KmpError,
  RESERVED,
  crc16,
  decodeFrame,
  decodeKmpNumber,
  decodeLoggerConfig,
  decodeLoggerReply,
  decodeLoggerRequest,
  decodeRegisters,
  encodeFrame,
  encodeKmpNumber,
  encodeLoggerReply,
  encodeLoggerRequest,
  encodeRegisterBlocks,
  stuff,
  unstuff,
} from '../../src/kmp/index.ts';

const body = fc.uint8Array({ minLength: 2, maxLength: 80 });
const direction = fc.constantFrom<'request' | 'response'>('request', 'response');
const decimalText = fc
  .tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.integer({ min: 0, max: 12 }))
  .map(([neg, m, places]) => {
    const digits = m.toString().padStart(places + 1, '0');
    const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return neg && m !== 0n ? `-${text}` : text;
  });

describe('round trips', () => {
  it('decodeFrame(encodeFrame(body)) gives the body back, for any body and direction', () => {
    fc.assert(
      fc.property(body, direction, (b, dir) => {
        const wire = encodeFrame(b, dir);
        // Between start and stop no reserved byte may appear bare, so a receiver can split on them.
        for (const x of wire.subarray(1, -1)) expect(RESERVED.has(x) && x !== 0x1b).toBe(false);
        const f = decodeFrame(wire);
        expect(f.direction).toBe(dir);
        expect([f.dst, f.cid, ...f.data]).toEqual([...b]);
      }),
    );
  });

  it('unstuff(stuff(x)) = x', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (x) => {
        expect(unstuff(stuff(x))).toEqual(x);
      }),
    );
  });

  it('a body followed by its own CRC checks to zero', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (x) => {
        const c = crc16(x);
        expect(crc16(Uint8Array.of(...x, c >> 8, c & 0xff))).toBe(0);
      }),
    );
  });

  it('any decimal value survives encode → decode exactly, at its natural and at a wider mantissa', () => {
    fc.assert(
      fc.property(decimalText, fc.integer({ min: 0, max: 4 }), (text, extra) => {
        const natural = encodeKmpNumber(text);
        expect(decodeKmpNumber(natural.siex, natural.mantissa).decimal).toBe(text);
        const wide = encodeKmpNumber(text, natural.mantissa.length + extra);
        const n = decodeKmpNumber(wide.siex, wide.mantissa);
        expect(n.decimal).toBe(text);
        expect(n.value).toBe(Number(text));
      }),
    );
  });

  it('register blocks of any mantissa length decode in order with their ids and units', () => {
    const block = fc.record({
      id: fc.integer({ min: 0, max: 0xffff }),
      unitCode: fc.integer({ min: 0, max: 64 }),
      decimal: decimalText,
    });
    fc.assert(
      fc.property(fc.array(block, { maxLength: 8 }), (blocks) => {
        const regs = decodeRegisters(encodeRegisterBlocks(blocks));
        expect(regs.map((r) => ({ id: r.id, unitCode: r.unitCode, decimal: r.decimal }))).toEqual(blocks);
      }),
    );
  });
});

describe('fuzzing: only KmpError comes out, and no damaged frame is accepted', () => {
  function decodeOrKmpError(wire: Uint8Array): ReturnType<typeof decodeFrame> | KmpError {
    try {
      return decodeFrame(wire);
    } catch (e) {
      if (e instanceof KmpError) return e;
      throw e; // anything else is a bug
    }
  }

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (wire) => {
        const r = decodeOrKmpError(wire);
        if (!(r instanceof KmpError)) {
          // Accepted only if it really is a well-formed frame: re-encoding gives the same bytes.
          expect(encodeFrame(Uint8Array.of(r.dst, r.cid, ...r.data), r.direction)).toEqual(wire);
        }
      }),
      { numRuns: 5000 },
    );
  });

  it('a valid frame with one byte changed is never accepted with other content', () => {
    fc.assert(
      fc.property(body, fc.nat(), fc.integer({ min: 1, max: 255 }), (b, at, xor) => {
        const wire = encodeFrame(b, 'response');
        const i = 1 + (at % (wire.length - 2)); // damage inside the stuffed region
        const bad = wire.slice();
        bad[i]! ^= xor;
        const r = decodeOrKmpError(bad);
        // CRC-16 detects every single-byte error, so a changed byte inside the frame must be rejected.
        expect(r).toBeInstanceOf(KmpError);
      }),
      { numRuns: 5000 },
    );
  });

  it('cut-off frames are rejected', () => {
    fc.assert(
      fc.property(body, fc.nat(), (b, at) => {
        const wire = encodeFrame(b, 'response');
        const cut = wire.slice(0, 1 + (at % (wire.length - 1)));
        expect(decodeOrKmpError(cut)).toBeInstanceOf(KmpError);
      }),
      { numRuns: 3000 },
    );
  });

  it('register data of random bytes decodes or fails with KmpError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (data) => {
        try {
          decodeRegisters(data);
        } catch (e) {
          expect(e).toBeInstanceOf(KmpError);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('logger read-out (CID 0xB8): round trips and fuzzing', () => {
  const registerSet = fc.uniqueArray(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 8 });
  const request = fc.oneof(
    fc.record({ sub: fc.constant(5 as const), logger: fc.integer({ min: 0, max: 9 }) }),
    fc.record({
      sub: fc.constant(6 as const),
      logger: fc.integer({ min: 0, max: 9 }),
      fromId: fc.integer({ min: 1, max: 0xffff_ffff }),
      count: fc.integer({ min: 1, max: 0xffff }),
      registers: registerSet,
    }),
    fc.record({
      sub: fc.constant(7 as const),
      logger: fc.integer({ min: 0, max: 9 }),
      offset: fc.integer({ min: 0, max: 0xffff }),
      count: fc.integer({ min: 1, max: 0xffff }),
      registers: registerSet,
    }),
  );

  it('any request survives encode → frame → decode', () => {
    fc.assert(
      fc.property(request, (r) => {
        const f = decodeFrame(encodeLoggerRequest(r));
        expect([f.direction, f.dst, f.cid]).toEqual(['request', 0x3f, 0xb8]);
        expect(decodeLoggerRequest(f.data)).toEqual(r);
      }),
      { numRuns: 2000 },
    );
  });

  /** Registers with integer values of a fixed mantissa length, so every row shares row 0's SIEX. */
  const replySpec = fc
    .record({
      sub: fc.constantFrom(6 as const, 7 as const),
      logger: fc.integer({ min: 0, max: 9 }),
      registers: fc.uniqueArray(
        fc.record({
          id: fc.integer({ min: 0, max: 0xffff }),
          unitCode: fc.integer({ min: 0, max: 64 }),
          length: fc.integer({ min: 1, max: 9 }),
        }),
        { minLength: 1, maxLength: 8, selector: (r) => r.id },
      ),
      n: fc.integer({ min: 0, max: 12 }),
      lowest: fc.integer({ min: 1, max: 0xffff_ff00 }),
      newer: fc.integer({ min: 0, max: 50 }),
      info: fc.integer({ min: 0, max: 0xffff }).map((i) => i & ~1),
      seed: fc.bigInt({ min: 0n, max: 2n ** 72n }),
    })
    .map(({ n, lowest, newer, seed, ...s }) => ({
      ...s,
      firstId: lowest + Math.max(0, n - 1),
      lastIdInMeter: lowest + Math.max(0, n - 1) + newer,
      rows: Array.from({ length: n }, (_, i) =>
        s.registers.map((r, k) => ((seed >> BigInt(i + k)) % 2n ** BigInt(8 * r.length)).toString()),
      ),
    }));

  it('any reply survives encode → decode, rows newest first with id = firstId − i', () => {
    fc.assert(
      fc.property(replySpec, (spec) => {
        const reply = decodeLoggerReply(encodeLoggerReply(spec));
        expect(reply.count).toBe(spec.rows.length);
        expect(reply.rows.map((r) => r.id)).toEqual(spec.rows.map((_, i) => spec.firstId - i));
        expect(reply.rows.map((r) => r.values.map((v) => v.decimal))).toEqual(spec.rows);
        expect(reply.rows.every((r) => r.values.every((v, k) => v.id === spec.registers[k]!.id))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  const decodeAny = (data: Uint8Array) => {
    for (const decode of [decodeLoggerReply, decodeLoggerConfig, decodeLoggerRequest]) {
      try {
        decode(data);
      } catch (e) {
        if (!(e instanceof KmpError)) throw e;
      }
    }
  };

  it('random data decodes or fails with KmpError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (data) => decodeAny(data)),
      { numRuns: 5000 },
    );
  });

  it('a reply with one byte changed after the CRC is refused or keeps its shape (rows, registers, ids)', () => {
    fc.assert(
      fc.property(
        replySpec.filter((s) => s.rows.length > 0),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (spec, at, xor) => {
          const data = encodeLoggerReply(spec);
          const bad = data.slice();
          bad[at % bad.length]! ^= xor;
          let reply;
          try {
            reply = decodeLoggerReply(bad);
          } catch (e) {
            expect(e).toBeInstanceOf(KmpError);
            return;
          }
          // One changed byte can alter a value, an id or a flag, but never the shape: a changed count,
          // register count or value length must have been refused, as the lengths no longer add up.
          expect(reply.count).toBe(spec.rows.length);
          expect(reply.rows).toHaveLength(spec.rows.length);
          for (const row of reply.rows) expect(row.values).toHaveLength(spec.registers.length);
          expect(reply.rows.map((r) => r.id)).toEqual(reply.rows.map((_, i) => reply.firstId - i));
          expect(reply.firstId).toBeLessThanOrEqual(reply.lastIdInMeter);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
