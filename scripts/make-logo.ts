// Generates logo.png (512x512): a white keyhole on an indigo-to-teal rounded square.
// Writes a real PNG with node:zlib only, so the store logo is reproducible from source without image tools.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const SIZE = 512;
const CORNER_RADIUS = 112;
const SAMPLES = 4; // per axis: 16 samples per pixel give smooth edges without a rasteriser dependency
const TOP_LEFT = [0x31, 0x2e, 0x81]; // indigo
const BOTTOM_RIGHT = [0x0f, 0x76, 0x6e]; // teal
const HOLE_CENTER = { x: 256, y: 212, r: 72 };
const HOLE_STEM = { top: 236, bottom: 382, topHalfWidth: 30, bottomHalfWidth: 58 };

function isInsideRoundedSquare(x: number, y: number): boolean {
  const dx = Math.max(CORNER_RADIUS - x, x - (SIZE - CORNER_RADIUS), 0);
  const dy = Math.max(CORNER_RADIUS - y, y - (SIZE - CORNER_RADIUS), 0);
  return dx * dx + dy * dy <= CORNER_RADIUS * CORNER_RADIUS;
}

function isInsideKeyhole(x: number, y: number): boolean {
  const cx = x - HOLE_CENTER.x;
  const cy = y - HOLE_CENTER.y;
  if (cx * cx + cy * cy <= HOLE_CENTER.r * HOLE_CENTER.r) return true;
  if (y < HOLE_STEM.top || y > HOLE_STEM.bottom) return false;
  const t = (y - HOLE_STEM.top) / (HOLE_STEM.bottom - HOLE_STEM.top);
  const halfWidth = HOLE_STEM.topHalfWidth + t * (HOLE_STEM.bottomHalfWidth - HOLE_STEM.topHalfWidth);
  return Math.abs(x - HOLE_CENTER.x) <= halfWidth;
}

function blendGradient(x: number, y: number): number[] {
  const t = (x + y) / (2 * SIZE);
  return TOP_LEFT.map((from, i) => Math.round(from + t * (BOTTOM_RIGHT[i] - from)));
}

/** One RGBA pixel: coverage of the square sets alpha, coverage of the keyhole mixes in white. */
function shadePixel(px: number, py: number): number[] {
  let square = 0;
  let hole = 0;
  for (let sy = 0; sy < SAMPLES; sy += 1) {
    for (let sx = 0; sx < SAMPLES; sx += 1) {
      const x = px + (sx + 0.5) / SAMPLES;
      const y = py + (sy + 0.5) / SAMPLES;
      if (!isInsideRoundedSquare(x, y)) continue;
      square += 1;
      if (isInsideKeyhole(x, y)) hole += 1;
    }
  }
  if (square === 0) return [0, 0, 0, 0];
  const white = hole / square;
  const rgb = blendGradient(px, py).map((c) => Math.round(c + white * (255 - c)));
  return [...rgb, Math.round((255 * square) / (SAMPLES * SAMPLES))];
}

/** Scanlines with the Sub filter: the gradient becomes near-constant deltas, which deflate well. */
function renderScanlines(): Buffer {
  const stride = SIZE * 4 + 1;
  const out = Buffer.alloc(stride * SIZE);
  for (let y = 0; y < SIZE; y += 1) {
    const row = Buffer.alloc(SIZE * 4);
    for (let x = 0; x < SIZE; x += 1) Buffer.from(shadePixel(x, y)).copy(row, x * 4);
    out[y * stride] = 1;
    for (let i = 0; i < row.length; i += 1) {
      out[y * stride + 1 + i] = (row[i] - (i >= 4 ? row[i - 4] : 0)) & 0xff;
    }
  }
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

// Own CRC-32 rather than zlib.crc32, which only exists from Node 20.15 on.
function computeCrc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function encodeChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(computeCrc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function encodeLogoPng(): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit depth, RGBA, deflate, adaptive filtering, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    encodeChunk('IHDR', header),
    encodeChunk('IDAT', zlib.deflateSync(renderScanlines(), { level: 9 })),
    encodeChunk('IEND', Buffer.alloc(0)),
  ]);
}

if (require.main === module) {
  const target = path.resolve(__dirname, '..', 'logo.png');
  const png = encodeLogoPng();
  fs.writeFileSync(target, png);
  console.log(`wrote ${target} (${SIZE}x${SIZE}, ${png.length} bytes)`);
}
