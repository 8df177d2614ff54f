// Generates images/icon.png (128x128): a shield with a check mark on a rounded square.
// Dependency-free: rasterised with 4x4 supersampling, written as PNG with node:zlib.
// Run: node images/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const N = 128;
const SS = 4;

const inRoundedSquare = (x, y) => {
  const r = 24,
    m = 4;
  const cx = Math.min(Math.max(x, m + r), N - m - r);
  const cy = Math.min(Math.max(y, m + r), N - m - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r && x >= m && x <= N - m && y >= m && y <= N - m;
};
// Shield: flat top with rounded corners, sides going down, then curving to a point.
const inShield = (x, y, inset = 0) => {
  const top = 22 + inset,
    left = 30 + inset,
    right = 98 - inset,
    mid = 64;
  const bottom = 112 - inset * 1.6;
  if (y < top || y > bottom) return false;
  if (y <= 66) return x >= left && x <= right;
  // below: half-width shrinks along a curve to the tip
  const t = (y - 66) / (bottom - 66);
  const half = ((right - left) / 2) * Math.sqrt(Math.max(0, 1 - t * t));
  return Math.abs(x - mid) <= half;
};
const distToSegment = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax,
    dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
};
const inCheck = (x, y) => distToSegment(x, y, 46, 64, 59, 78) <= 6 || distToSegment(x, y, 59, 78, 84, 49) <= 6;

function shade(x, y) {
  // back-to-front layers, colours RGBA
  let c = [0, 0, 0, 0];
  if (inRoundedSquare(x, y)) {
    const g = y / N; // vertical gradient: indigo to teal
    c = [Math.round(30 + 10 * g), Math.round(41 + 80 * g), Math.round(92 + 40 * g), 255];
  }
  if (inShield(x, y)) c = [245, 247, 250, 255];
  if (inShield(x, y, 7)) c = [255, 153, 0, 255]; // Cedar orange
  if (inCheck(x, y)) c = [255, 255, 255, 255];
  return c;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0; // filter: none
  for (let x = 0; x < N; x++) {
    const acc = [0, 0, 0, 0];
    for (let sy = 0; sy < SS; sy++)
      for (let sx = 0; sx < SS; sx++) {
        const c = shade(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        acc[0] += c[0] * c[3];
        acc[1] += c[1] * c[3];
        acc[2] += c[2] * c[3];
        acc[3] += c[3];
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    const a = acc[3];
    raw[o] = a ? Math.round(acc[0] / a) : 0;
    raw[o + 1] = a ? Math.round(acc[1] / a) : 0;
    raw[o + 2] = a ? Math.round(acc[2] / a) : 0;
    raw[o + 3] = Math.round(a / (SS * SS));
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8;
ihdr[9] = 6;
ihdr[10] = 0;
ihdr[11] = 0;
ihdr[12] = 0; // 8-bit RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = fileURLToPath(new URL('./icon.png', import.meta.url));
writeFileSync(out, png);
console.log(`wrote ${out} (${png.length} bytes)`);
