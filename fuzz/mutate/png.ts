/**
 * PNG-aware mutations: the header's size, bit depth and colour type, the pixel data (inflated,
 * changed, deflated again), chunks removed, repeated, reordered or invented. Checksums are
 * usually fixed afterwards, so that the decoder goes past its CRC check into the interesting code.
 */
import { crc32, deflateSync, inflateSync } from 'node:zlib';
import type { Rng } from '../rng.js';
import { interestingInt, mutateBytes, randomBytes, writeInt } from './bytes.js';

interface Chunk {
  type: string;
  data: Uint8Array;
}

const SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function parse(bytes: Uint8Array): Chunk[] | null {
  if (bytes.length < 8 || !SIGNATURE.every((b, i) => bytes[i] === b)) return null;
  const chunks: Chunk[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let pos = 8; pos + 12 <= bytes.length; ) {
    const len = view.getUint32(pos);
    if (pos + 12 + len > bytes.length) return null;
    chunks.push({ type: String.fromCharCode(...bytes.subarray(pos + 4, pos + 8)), data: bytes.slice(pos + 8, pos + 8 + len) });
    pos += 12 + len;
  }
  return chunks;
}

function serialize(chunks: Chunk[], fixCrc: boolean): Uint8Array {
  const parts: Uint8Array[] = [SIGNATURE];
  for (const c of chunks) {
    const out = new Uint8Array(12 + c.data.length);
    const view = new DataView(out.buffer);
    view.setUint32(0, c.data.length);
    for (let i = 0; i < 4; i++) out[4 + i] = c.type.charCodeAt(i) & 0xff;
    out.set(c.data, 8);
    const crc = crc32(out.subarray(4, 8 + c.data.length));
    view.setUint32(8 + c.data.length, fixCrc ? crc : crc ^ 1);
    parts.push(out);
  }
  const total = parts.reduce((s, p) => s + p.length, 0);
  const file = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    file.set(p, at);
    at += p.length;
  }
  return file;
}

function mutateHeader(rng: Rng, ihdr: Chunk): void {
  const d = ihdr.data.slice();
  switch (rng.int(4)) {
    case 0: writeInt(d, rng.pick([0, 4]), 4, rng.chance(0.5) ? BigInt(rng.pick([0, 1, 12000, 65535, 100_000, 0x7fffffff])) : interestingInt(rng), false); break;
    case 1: d[8] = rng.pick([0, 1, 2, 4, 8, 16, 3, 255]); break;
    case 2: d[9] = rng.pick([0, 2, 3, 4, 6, 1, 5, 7]); break;
    default: d[10 + rng.int(3)] = rng.pick([0, 1, 2, 255]);
  }
  ihdr.data = d;
}

/** The pixel data inflated, mutated (filter bytes, rows, length) and deflated again. */
function mutatePixels(rng: Rng, chunks: Chunk[]): Chunk[] {
  const idat = chunks.filter((c) => c.type === 'IDAT');
  let raw: Uint8Array;
  try {
    raw = new Uint8Array(inflateSync(Buffer.concat(idat.map((c) => c.data))));
  } catch {
    return chunks;
  }
  const changed = rng.chance(0.3) && raw.length > 0 ? raw.map((b, i) => (i % 7 === 0 ? rng.int(6) : b)) : mutateBytes(rng, raw);
  const packed = new Uint8Array(deflateSync(changed));
  // sometimes split over several IDAT chunks, as encoders do for large images
  const pieces = rng.chance(0.3) ? [packed.subarray(0, packed.length >> 1), packed.subarray(packed.length >> 1)] : [packed];
  const first = chunks.findIndex((c) => c.type === 'IDAT');
  const rest = chunks.filter((c) => c.type !== 'IDAT');
  rest.splice(first < 0 ? rest.length : first, 0, ...pieces.map((data) => ({ type: 'IDAT', data })));
  return rest;
}

/** One mutation of a PNG file (never in place). */
export function mutatePng(rng: Rng, bytes: Uint8Array): Uint8Array {
  let chunks = parse(bytes);
  if (chunks === null || rng.chance(0.15)) return mutateBytes(rng, bytes);
  const op = rng.weighted([[25, 'header'], [25, 'pixels'], [10, 'remove'], [10, 'repeat'], [8, 'insert'], [7, 'order'], [10, 'chunkBytes'], [5, 'crc']] as const);
  switch (op) {
    case 'header': {
      const ihdr = chunks.find((c) => c.type === 'IHDR');
      if (ihdr) mutateHeader(rng, ihdr);
      break;
    }
    case 'pixels': chunks = mutatePixels(rng, chunks); break;
    case 'remove': if (chunks.length > 0) chunks.splice(rng.int(chunks.length), 1); break;
    case 'repeat': if (chunks.length > 0) { const c = rng.pick(chunks); chunks.splice(rng.int(chunks.length + 1), 0, { ...c }); } break;
    case 'insert': {
      const type = rng.pick(['PLTE', 'tRNS', 'gAMA', 'sBIT', 'IEND', 'abCD', 'IDAT', 'IHDR', 'iCCP', 'zTXt']);
      chunks.splice(rng.int(chunks.length + 1), 0, { type, data: randomBytes(rng, rng.pick([0, 1, 3, 6, 13, 256, 769])) });
      break;
    }
    case 'order': chunks.reverse(); break;
    case 'chunkBytes': if (chunks.length > 0) { const c = rng.pick(chunks); c.data = mutateBytes(rng, c.data); } break;
    case 'crc': return serialize(chunks, false);
  }
  return serialize(chunks, true);
}
