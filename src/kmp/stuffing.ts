import { ESCAPE, RESERVED } from './constants.ts';
import { KmpError } from './errors.ts';

/** Replaces each reserved byte with 0x1B followed by its complement (KMP doc 3.1). */
export function stuff(bytes: Uint8Array): Uint8Array {
  let extra = 0;
  for (const b of bytes) if (RESERVED.has(b)) extra++;
  const out = new Uint8Array(bytes.length + extra);
  let j = 0;
  for (const b of bytes) {
    if (RESERVED.has(b)) {
      out[j++] = ESCAPE;
      out[j++] = b ^ 0xff;
    } else {
      out[j++] = b;
    }
  }
  return out;
}

/**
 * Undoes stuffing. An escape must be followed by the complement of a reserved byte;
 * anything else (or a trailing escape) means the frame was damaged on the way.
 * A reserved byte appearing bare inside the body is damage too.
 */
export function unstuff(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESCAPE) {
      if (i + 1 >= bytes.length) throw new KmpError('escape', 'frame ends in the middle of an escape (0x1B)');
      const original = bytes[++i]! ^ 0xff;
      if (!RESERVED.has(original)) {
        throw new KmpError(
          'escape',
          `escape 0x1B followed by 0x${hex2(bytes[i]!)}, which does not stand for a reserved byte`,
        );
      }
      out[j++] = original;
    } else if (RESERVED.has(b)) {
      throw new KmpError('framing', `reserved byte 0x${hex2(b)} inside a frame body`);
    } else {
      out[j++] = b;
    }
  }
  return out.slice(0, j);
}

function hex2(b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0');
}
