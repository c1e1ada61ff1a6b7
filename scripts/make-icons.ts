/**
 * Draws the app icons as PNGs with nothing but zlib, so no image tool is needed on any machine.
 * Run once (`node --import tsx scripts/make-icons.ts`); the PNGs are committed in public/icons.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A meter dial: orange disc, white ring, a needle; `safe` shrinks it into the maskable safe zone. */
function draw(size: number, safe: boolean): Buffer {
  const raw = Buffer.alloc((size * 4 + 1) * size);
  const c = size / 2;
  const scale = safe ? 0.8 : 1;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const dx = (x + 0.5 - c) / (c * scale);
      const dy = (y + 0.5 - c) / (c * scale);
      const r = Math.hypot(dx, dy);
      let rgba: [number, number, number, number] = safe ? [0xc2, 0x41, 0x0c, 255] : [0, 0, 0, 0];
      if (r <= 0.96) rgba = [0xc2, 0x41, 0x0c, 255];
      if (r > 0.62 && r < 0.76 && !(dy > 0.35)) rgba = [255, 255, 255, 255];
      // Needle from the centre towards the upper right.
      const along = (dx + -dy) / Math.SQRT2;
      const across = Math.abs((dx - -dy) / Math.SQRT2);
      if (along > -0.05 && along < 0.6 && across < 0.07) rgba = [255, 255, 255, 255];
      if (r < 0.13) rgba = [255, 255, 255, 255];
      raw.set(rgba, y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/icons/', import.meta.url);
writeFileSync(new URL('icon-192.png', out), draw(192, false));
writeFileSync(new URL('icon-512.png', out), draw(512, false));
writeFileSync(new URL('maskable-512.png', out), draw(512, true));
console.log('icons written to public/icons');
