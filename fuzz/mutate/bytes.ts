/**
 * Format-blind mutations of bytes: bit flips, interesting values, truncation, extension, chunks
 * copied or removed, and integer fields overwritten with values that lie about sizes.
 */
import type { Rng } from '../rng.js';

const INTERESTING_BYTES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x20, 0x22, 0x5b, 0x7b, 0x0a];
/** Values for 16/32/64-bit fields: zero, one, sign boundaries, all ones, sizes that overflow. */
const INTERESTING_INTS = [0n, 1n, 2n, 0x7fn, 0xffn, 0x7fffn, 0xffffn, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 64n - 1n];

/** `bytes` with `count` bytes at `at` replaced by `insert` (a new array). */
export function splice(bytes: Uint8Array, at: number, count: number, insert: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(bytes.length - count + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + count), at + insert.length);
  return out;
}

/** Random bytes. */
export function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

/** Writes `value` as a `size`-byte integer at `at`, in the given byte order (truncated to fit). */
export function writeInt(bytes: Uint8Array, at: number, size: number, value: bigint, littleEndian: boolean): void {
  let v = BigInt.asUintN(size * 8, value);
  for (let k = 0; k < size && at + k < bytes.length; k++) {
    const pos = littleEndian ? at + k : at + size - 1 - k;
    if (pos >= 0) bytes[pos] = Number(v & 0xffn);
    v >>= 8n;
  }
}

/** One random interesting integer for a field, sometimes near the original length. */
export function interestingInt(rng: Rng, around?: number): bigint {
  if (around !== undefined && rng.chance(0.3)) return BigInt(Math.max(0, around + rng.range(-9, 9)));
  return rng.pick(INTERESTING_INTS);
}

/** One format-blind mutation of `bytes` (never in place). */
export function mutateBytes(rng: Rng, bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const at = n === 0 ? 0 : rng.int(n);
  switch (rng.int(10)) {
    case 0: {
      const out = bytes.slice();
      for (let k = rng.range(1, 8); k > 0 && n > 0; k--) out[rng.int(n)]! ^= 1 << rng.int(8);
      return out;
    }
    case 1: {
      const out = bytes.slice();
      if (n > 0) out[at] = rng.chance(0.5) ? rng.pick(INTERESTING_BYTES) : rng.int(256);
      return out;
    }
    case 2:
      // truncation: often near the end (a download cut short), sometimes anywhere
      return bytes.slice(0, rng.chance(0.5) ? Math.max(0, n - rng.range(1, 16)) : at);
    case 3:
      return splice(bytes, n, 0, rng.chance(0.5) ? new Uint8Array(rng.range(1, 4096)) : randomBytes(rng, rng.range(1, 256)));
    case 4:
      return splice(bytes, at, Math.min(n - at, rng.range(1, 64)));
    case 5: {
      const from = n === 0 ? 0 : rng.int(n);
      const chunk = bytes.slice(from, Math.min(n, from + rng.range(1, 128)));
      return splice(bytes, at, 0, rng.chance(0.2) ? repeat(chunk, rng.range(2, 200)) : chunk);
    }
    case 6: {
      const out = bytes.slice();
      const size = rng.pick([2, 4, 8]);
      writeInt(out, Math.max(0, Math.min(at, n - size)), size, interestingInt(rng, n), rng.chance(0.5));
      return out;
    }
    case 7:
      return splice(bytes, at, 0, randomBytes(rng, rng.range(1, 32)));
    case 8: {
      const out = bytes.slice();
      const len = Math.min(n - at, rng.range(1, 256));
      out.fill(rng.pick(INTERESTING_BYTES), at, at + len);
      return out;
    }
    default:
      return rng.chance(0.5) ? new Uint8Array(0) : randomBytes(rng, rng.range(1, 64));
  }
}

/** `chunk` repeated `times` times. */
export function repeat(chunk: Uint8Array, times: number): Uint8Array {
  const out = new Uint8Array(chunk.length * times);
  for (let t = 0; t < times; t++) out.set(chunk, t * chunk.length);
  return out;
}
