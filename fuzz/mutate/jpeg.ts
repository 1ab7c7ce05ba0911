/**
 * JPEG-aware mutations: the frame header's size, precision and components, quantization and
 * Huffman tables, the scan header, restart intervals, segment lengths that lie, segments removed
 * or repeated, frame types the decoder may not support, and the entropy-coded data cut or changed.
 */
import type { Rng } from '../rng.js';
import { mutateBytes, randomBytes, splice } from './bytes.js';

interface Segment {
  /** Offset of the marker's 0xFF. */
  at: number;
  marker: number;
  /** Offset of the segment's payload (after the length field). */
  payload: number;
  /** Payload length as the length field says (minus its own two bytes). */
  length: number;
}

/** The marker segments before the first scan's data (where the headers are). */
function segments(bytes: Uint8Array): Segment[] {
  const out: Segment[] = [];
  let pos = 2;
  while (pos + 4 <= bytes.length && bytes[pos] === 0xff) {
    const marker = bytes[pos + 1]!;
    const length = ((bytes[pos + 2]! << 8) | bytes[pos + 3]!) - 2;
    out.push({ at: pos, marker, payload: pos + 4, length });
    if (marker === 0xda) break;
    pos += 4 + length;
  }
  return out;
}

const isFrame = (m: number): boolean => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

/** One mutation of a JPEG file (never in place). */
export function mutateJpeg(rng: Rng, bytes: Uint8Array): Uint8Array {
  const segs = segments(bytes);
  if (segs.length === 0 || rng.chance(0.15)) return mutateBytes(rng, bytes);
  const out = bytes.slice();
  const set16 = (at: number, v: number): void => {
    if (at + 1 < out.length) {
      out[at] = (v >> 8) & 0xff;
      out[at + 1] = v & 0xff;
    }
  };
  const pick = (test: (m: number) => boolean): Segment | undefined => {
    const found = segs.filter((s) => test(s.marker));
    return found.length === 0 ? undefined : rng.pick(found);
  };
  switch (rng.weighted([[25, 'frame'], [10, 'dqt'], [12, 'dht'], [10, 'sos'], [5, 'dri'], [10, 'length'], [8, 'segment'], [20, 'scan']] as const)) {
    case 'frame': {
      const f = pick(isFrame);
      if (!f) return mutateBytes(rng, bytes);
      switch (rng.int(5)) {
        case 0: set16(f.payload + rng.pick([1, 3]), rng.pick([0, 1, 8, 12000, 65535])); break;
        case 1: out[f.payload] = rng.pick([0, 1, 8, 12, 16, 255]); break;
        case 2: out[f.payload + 5] = rng.pick([0, 1, 2, 3, 4, 5, 255]); break;
        case 3: out[f.payload + 7 + 3 * rng.int(3)] = rng.pick([0x00, 0x11, 0x22, 0x44, 0xff, 0x41, 0x14]); break;
        default: out[f.at + 1] = rng.pick([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc9, 0xcb, 0xcf]);
      }
      break;
    }
    case 'dqt': {
      const q = pick((m) => m === 0xdb);
      if (!q) return mutateBytes(rng, bytes);
      if (rng.chance(0.4)) out[q.payload] = rng.pick([0x00, 0x01, 0x03, 0x04, 0x10, 0x13, 0xff]);
      else out.fill(rng.pick([0, 255]), q.payload + 1, Math.min(out.length, q.payload + 1 + rng.range(1, 64)));
      break;
    }
    case 'dht': {
      const h = pick((m) => m === 0xc4);
      if (!h) return mutateBytes(rng, bytes);
      if (rng.chance(0.3)) out[h.payload] = rng.pick([0x00, 0x01, 0x10, 0x11, 0x04, 0x20, 0xff]);
      else out[h.payload + 1 + rng.int(16)] = rng.pick([0, 1, 16, 255]);
      break;
    }
    case 'sos': {
      const s = pick((m) => m === 0xda);
      if (!s) return mutateBytes(rng, bytes);
      out[s.payload + rng.int(Math.max(1, s.length))] = rng.pick([0, 1, 3, 4, 63, 0x11, 0xff]);
      break;
    }
    case 'dri': {
      // a restart interval the scan does not honour
      const dri = new Uint8Array([0xff, 0xdd, 0x00, 0x04, rng.int(256), rng.int(256)]);
      return splice(bytes, segs[0]!.at, 0, dri);
    }
    case 'length': {
      const s = rng.pick(segs);
      set16(s.at + 2, rng.pick([0, 1, 2, 3, s.length + 1, s.length + 3, 0xffff]));
      break;
    }
    case 'segment': {
      const s = rng.pick(segs);
      const whole = bytes.slice(s.at, Math.min(bytes.length, s.payload + s.length));
      return rng.chance(0.5) ? splice(bytes, s.at, whole.length) : splice(bytes, s.at, 0, whole);
    }
    case 'scan': {
      const sos = segs.at(-1)!;
      const start = Math.min(bytes.length, sos.payload + sos.length);
      if (rng.chance(0.4)) return bytes.slice(0, start + rng.int(Math.max(1, bytes.length - start)));
      const scan = bytes.subarray(start);
      return splice(bytes, start, scan.length, rng.chance(0.7) ? mutateBytes(rng, scan) : randomBytes(rng, scan.length));
    }
  }
  return out;
}
