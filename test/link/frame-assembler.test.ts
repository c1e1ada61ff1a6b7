import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, encodeGetRegister, fromHex, toHex } from '../../src/kmp/index.ts';
import { FrameAssembler, type AssembledPiece } from '../../src/link/index.ts';

function assemble(chunks: Uint8Array[]): Array<{ kind: string; hex: string }> {
  const out: AssembledPiece[] = [];
  const a = new FrameAssembler((p) => out.push(p));
  for (const c of chunks) a.push(c);
  // Noise is reported per chunk; merge neighbours so differently chunked streams compare equal.
  const merged: Array<{ kind: string; hex: string }> = [];
  for (const p of out) {
    const last = merged[merged.length - 1];
    if (p.kind === 'noise' && last?.kind === 'noise') last.hex += ` ${toHex(p.bytes)}`;
    else merged.push({ kind: p.kind, hex: toHex(p.bytes) });
  }
  return merged;
}

describe('FrameAssembler', () => {
  const request = encodeGetRegister([0x3c]);
  const reply = fromHex('40 3F 10 00 3C 08 04 42 00 01 E2 1B BF 7E 4A 0D');

  it('separates our echoed request from the reply that follows it', () => {
    expect(assemble([Uint8Array.of(...request, ...reply)])).toEqual([
      { kind: 'echo', hex: toHex(request) },
      { kind: 'response', hex: toHex(reply) },
    ]);
  });

  it('gives the same frames however the stream is chunked', () => {
    const stream = Uint8Array.of(0x00, 0xff, ...request, ...reply, ...reply);
    const whole = assemble([stream]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { minLength: 1, maxLength: 20 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const chunks: Uint8Array[] = [];
        let at = 0;
        for (const p of points) {
          chunks.push(stream.subarray(at, p));
          at = p;
        }
        chunks.push(stream.subarray(at));
        expect(assemble(chunks)).toEqual(whole);
      }),
    );
    expect(whole.map((p) => p.kind)).toEqual(['noise', 'echo', 'response', 'response']);
  });

  it('reports a frame interrupted by a new start byte as cut, and keeps the new one', () => {
    const cut = reply.subarray(0, 7);
    expect(assemble([cut, reply]).map((p) => p.kind)).toEqual(['cut', 'response']);
  });

  it('reset() hands back a half-received frame and starts clean', () => {
    const out: AssembledPiece[] = [];
    const a = new FrameAssembler((p) => out.push(p));
    a.push(reply.subarray(0, 5));
    expect(a.inResponse).toBe(true);
    expect(toHex(a.reset()!)).toBe(toHex(reply.subarray(0, 5)));
    expect(a.inResponse).toBe(false);
    a.push(reply.subarray(5));
    expect(out.map((p) => p.kind)).toEqual(['noise']);
  });

  it('a runaway frame without a stop byte is cut rather than grown forever (past the longest logger reply)', () => {
    const out: AssembledPiece[] = [];
    const a = new FrameAssembler((p) => out.push(p));
    a.push(Uint8Array.of(0x40, ...new Uint8Array(5000).fill(0x11)));
    expect(out[0]!.kind).toBe('cut');
    expect(encodeFrame(Uint8Array.of(0x3f, 1)).length).toBeLessThan(5000);
  });

  it('cuts a frame at its 4609th byte (past the longest logger reply), with every byte, and treats what follows as noise', () => {
    const out: AssembledPiece[] = [];
    const a = new FrameAssembler((p) => out.push(p));
    a.push(Uint8Array.of(0x40, ...new Uint8Array(4607).fill(0x11)));
    expect(out).toEqual([]);
    expect(a.inResponse).toBe(true);
    a.push(Uint8Array.of(0x22, 0x33));
    expect(out.map((p) => [p.kind, p.bytes.length, p.bytes[0], p.bytes[p.bytes.length - 1]])).toEqual([
      ['cut', 4609, 0x40, 0x22],
      ['noise', 1, 0x33, 0x33],
    ]);
    expect(a.inResponse).toBe(false);
  });

  it('is not in a response while an echo is coming in, nor before anything came', () => {
    const a = new FrameAssembler(() => undefined);
    expect(a.inResponse).toBe(false);
    a.push(Uint8Array.of(0x80, 0x3f));
    expect(a.inResponse).toBe(false);
    expect(toHex(a.reset()!)).toBe('80 3F');
    expect(a.reset()).toBeUndefined();
  });

  it('hands over noise before the frame it precedes, and the cut frame before its successor', () => {
    expect(assemble([fromHex('AA BB 40 3F 80 3F 0D CC')])).toEqual([
      { kind: 'noise', hex: 'AA BB' },
      { kind: 'cut', hex: '40 3F' },
      { kind: 'echo', hex: '80 3F 0D' },
      { kind: 'noise', hex: 'CC' },
    ]);
  });
});
