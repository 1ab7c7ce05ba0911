/**
 * RIFF/WAVE-aware mutations: chunk sizes that lie (0, huge, odd, off by one), `fmt ` fields set to
 * edge values (format tag, channels, sample rate, byte rate, block align, bits, the EXTENSIBLE
 * sub-format), chunks duplicated, dropped, reordered or invented, pad bytes lost, the samples cut
 * short. The file is parsed into chunks and written back, so each mutation hits one field and the
 * reader gets past the parts it did not touch.
 */
import type { Rng } from '../rng.js';
import { interestingInt, mutateBytes, randomBytes } from './bytes.js';

/** One chunk: its id, its body, and the size its header declares (normally the body's length). */
interface Chunk {
  id: string;
  data: Uint8Array;
  declared: number;
  /** Whether an odd-sized body is followed by its pad byte, as RIFF asks. */
  pad: boolean;
}

interface Riff {
  /** 'RIFF' normally; the form type 'WAVE' follows it. */
  magic: string;
  form: string;
  /** The RIFF size field, or null to write the true one. */
  riffSize: number | null;
  chunks: Chunk[];
  /** Bytes after the last whole chunk (a chunk cut off by the end of the file). */
  tail: Uint8Array;
}

const ascii = (b: Uint8Array, at: number) => String.fromCharCode(...b.subarray(at, at + 4));

/** The chunks of a RIFF file, or null when it is not one (then it gets byte mutations). */
function parse(bytes: Uint8Array): Riff | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: Chunk[] = [];
  let at = 12;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at + 4, true);
    if (at + 8 + size > bytes.length) break;
    chunks.push({ id: ascii(bytes, at), data: bytes.slice(at + 8, at + 8 + size), declared: size, pad: true });
    at += 8 + size + (size % 2);
  }
  return { magic: ascii(bytes, 0), form: ascii(bytes, 8), riffSize: null, chunks, tail: bytes.slice(Math.min(at, bytes.length)) };
}

function serialize(riff: Riff): Uint8Array {
  const length = riff.chunks.reduce((s, c) => s + 8 + c.data.length + (c.pad ? c.data.length % 2 : 0), 12 + riff.tail.length);
  const out = new Uint8Array(length);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string) => { for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i) & 0xff; };
  put(0, riff.magic);
  view.setUint32(4, riff.riffSize ?? length - 8, true);
  put(8, riff.form);
  let at = 12;
  for (const c of riff.chunks) {
    put(at, c.id);
    view.setUint32(at + 4, c.declared >>> 0, true);
    out.set(c.data, at + 8);
    at += 8 + c.data.length + (c.pad ? c.data.length % 2 : 0);
  }
  out.set(riff.tail, at);
  return out;
}

/** A size a chunk header might wrongly declare, given its true `size`. */
function lyingSize(rng: Rng, size: number): number {
  switch (rng.int(5)) {
    case 0: return 0;
    case 1: return rng.pick([0xffffffff, 0xfffffffe, 0x7fffffff, 0x80000000, 0x10000000]);
    case 2: return size % 2 === 0 ? size + 1 : size - 1;
    case 3: return Math.max(0, size + rng.pick([-1, 1, -2, 2, -8, 8]));
    default: return Number(BigInt.asUintN(32, interestingInt(rng, size)));
  }
}

/** `fmt ` field offsets and the edge values each is set to. */
const FMT_FIELDS: readonly (readonly [offset: number, size: 2 | 4, values: readonly number[]])[] = [
  [0, 2, [0, 1, 2, 3, 6, 7, 0x11, 0x55, 0xfffe, 0xffff]], // format tag
  [2, 2, [0, 1, 2, 3, 8, 255, 0x8000, 0xffff]], // channels
  [4, 4, [0, 1, 7, 8000, 44100, 0x7fffffff, 0x80000000, 0xffffffff]], // sample rate
  [8, 4, [0, 1, 0xffffffff]], // byte rate
  [12, 2, [0, 1, 3, 7, 0xffff]], // block align
  [14, 2, [0, 1, 4, 7, 8, 12, 16, 20, 24, 32, 48, 64, 0xffff]], // bits per sample
  [16, 2, [0, 22, 0xffff]], // cbSize (size of the extension)
  [18, 2, [0, 1, 24, 0xffff]], // EXTENSIBLE: valid bits
  [20, 4, [0, 0xffffffff]], // EXTENSIBLE: channel mask
  [24, 2, [0, 1, 2, 3, 6, 0xffff]], // EXTENSIBLE: sub-format tag (the GUID's first bytes)
];

function mutateFmt(rng: Rng, fmt: Chunk): void {
  const d = fmt.data.slice();
  if (rng.chance(0.15)) {
    // the chunk itself too short for what its tag needs, or a byte of the GUID's tail changed
    if (rng.chance(0.5)) fmt.data = d.slice(0, rng.pick([0, 2, 14, 15, 16, 17, 18, 24, 39]));
    else if (d.length > 26) { const at = 26 + rng.int(d.length - 26); d[at] = d[at]! ^ (1 << rng.int(8)); fmt.data = d; }
    fmt.declared = fmt.data.length;
    return;
  }
  const [offset, size, values] = rng.pick(FMT_FIELDS);
  if (offset + size > d.length) return;
  const view = new DataView(d.buffer);
  const value = rng.chance(0.85) ? rng.pick(values) : rng.int(size === 2 ? 0x10000 : 0x100000000);
  if (size === 2) view.setUint16(offset, value, true);
  else view.setUint32(offset, value >>> 0, true);
  fmt.data = d;
}

const NEW_IDS = ['LIST', 'fact', 'data', 'fmt ', 'JUNK', 'cue ', 'bext', 'smpl', 'id3 ', '\0\0\0\0', 'ab\xffc'];

/** One mutation of a WAV (RIFF) file's bytes (never in place). */
export function mutateRiff(rng: Rng, bytes: Uint8Array): Uint8Array {
  const riff = parse(bytes);
  if (riff === null || rng.chance(0.12)) return mutateBytes(rng, bytes);
  const { chunks } = riff;
  const named = (id: string) => chunks.find((c) => c.id === id);
  const op = rng.weighted([
    [20, 'size'], [25, 'fmt'], [8, 'drop'], [8, 'duplicate'], [8, 'reorder'], [8, 'insert'],
    [10, 'truncate'], [4, 'pad'], [5, 'header'], [4, 'chunkBytes'],
  ] as const);
  switch (op) {
    case 'size': {
      // the data and fmt sizes matter most; the others are skipped by their size
      const any = chunks.length > 0 ? rng.pick(chunks) : undefined;
      const c = rng.chance(0.6) ? named(rng.pick(['data', 'fmt '])) ?? any : any;
      if (c) c.declared = lyingSize(rng, c.data.length);
      break;
    }
    case 'fmt': {
      const fmt = named('fmt ');
      if (fmt) mutateFmt(rng, fmt);
      break;
    }
    case 'drop': if (chunks.length > 0) chunks.splice(rng.int(chunks.length), 1); break;
    case 'duplicate': if (chunks.length > 0) { const c = rng.pick(chunks); chunks.splice(rng.int(chunks.length + 1), 0, { ...c, data: c.data.slice() }); } break;
    case 'reorder':
      if (rng.chance(0.5)) chunks.reverse();
      else if (chunks.length > 1) { const i = rng.int(chunks.length); const [c] = chunks.splice(i, 1); chunks.splice(rng.int(chunks.length + 1), 0, c!); }
      break;
    case 'insert': {
      const data = randomBytes(rng, rng.pick([0, 1, 3, 4, 16, 17, 40, 255]));
      chunks.splice(rng.int(chunks.length + 1), 0, { id: rng.pick(NEW_IDS), data, declared: data.length, pad: rng.chance(0.8) });
      break;
    }
    case 'truncate': {
      const data = named('data');
      if (data && rng.chance(0.6)) {
        // fewer samples than declared, a partial last frame, or none at all
        const keep = rng.pick([0, 1, Math.max(0, data.data.length - 1), data.data.length >> 1, rng.int(data.data.length + 1)]);
        data.data = data.data.slice(0, keep);
        if (rng.chance(0.5)) data.declared = keep;
        if (rng.chance(0.5)) { const at = chunks.indexOf(data); chunks.splice(at + 1); }
        break;
      }
      const whole = serialize(riff);
      return whole.slice(0, rng.pick([8, 12, 16, 20, 35, 36, 43, 44, rng.int(whole.length + 1)]));
    }
    case 'pad': {
      const odd = chunks.filter((c) => c.data.length % 2 === 1);
      if (odd.length > 0) rng.pick(odd).pad = false;
      else if (chunks.length > 0) { const c = rng.pick(chunks); c.data = Uint8Array.from([...c.data, rng.int(256)]); c.declared = c.data.length; }
      break;
    }
    case 'header':
      if (rng.chance(0.5)) riff.riffSize = lyingSize(rng, bytes.length - 8);
      else if (rng.chance(0.5)) riff.form = rng.pick(['WAVE', 'wave', 'AVI ', 'WAV ']);
      else riff.magic = rng.pick(['RIFF', 'RIFX', 'RF64', 'riff', 'FORM']);
      break;
    case 'chunkBytes': if (chunks.length > 0) { const c = rng.pick(chunks); c.data = mutateBytes(rng, c.data); if (rng.chance(0.7)) c.declared = c.data.length; } break;
  }
  return serialize(riff);
}
