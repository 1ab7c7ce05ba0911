/**
 * Safetensors-aware mutations: the JSON header edited as JSON (dtypes, shapes, offsets, names,
 * metadata) and written back with a correct or a lying length field, tensors renamed to prototype
 * paths, the length field itself corrupted, and the data region changed under an intact header.
 */
import type { Rng } from '../rng.js';
import { interestingInt, mutateBytes, writeInt } from './bytes.js';
import { DOTTED_NAMES, RESERVED_NAMES } from './hostile.js';
import { fromValue, toText, type JNode } from './json-tree.js';
import { mutateTree } from './json.js';

interface Parts {
  header: JNode;
  data: Uint8Array;
}

function split(bytes: Uint8Array): Parts | null {
  if (bytes.length < 8) return null;
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
  if (n > bytes.length - 8) return null;
  try {
    return { header: fromValue(JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)))), data: bytes.subarray(8 + n) };
  } catch {
    return null;
  }
}

/** The file of a header and data; `lengthDelta` makes the length field lie. */
export function joinSafetensors(header: JNode, data: Uint8Array, opts: { pad?: boolean; lengthDelta?: number } = {}): Uint8Array {
  let text = toText(header);
  // writers pad the header with spaces to a multiple of 8 so that the data is aligned
  if (opts.pad) text += ' '.repeat((8 - ((new TextEncoder().encode(text).length) % 8)) % 8);
  const json = new TextEncoder().encode(text);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, json.length + (opts.lengthDelta ?? 0))), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** One mutation of a safetensors file (never in place). */
export function mutateSafetensors(rng: Rng, bytes: Uint8Array): Uint8Array {
  const parts = split(bytes);
  if (parts === null) return mutateBytes(rng, bytes);
  const { header, data } = parts;
  switch (rng.weighted([[45, 'header'], [15, 'rename'], [10, 'length'], [15, 'data'], [15, 'bytes']] as const)) {
    case 'header': {
      let root = header;
      for (let k = rng.weighted([[75, 1], [25, 2]] as const); k > 0; k--) root = mutateTree(rng, root);
      const lengthDelta = rng.chance(0.85) ? 0 : rng.pick([-1, 1, -8, 8, 1000]);
      try {
        return joinSafetensors(root, data, { pad: rng.chance(0.7), lengthDelta });
      } catch (err) {
        // a header past V8's string limit (see mutateJsonText): a byte mutation instead
        if (!(err instanceof RangeError)) throw err;
        return mutateBytes(rng, bytes);
      }
    }
    case 'rename': {
      // a tensor named like a prototype path: readers that split names on '.' must refuse it
      if (header.t === 'obj' && header.entries.length > 0) {
        const entry = rng.pick(header.entries);
        entry[0] = rng.chance(0.6) ? rng.pick(DOTTED_NAMES) : rng.chance(0.5) ? rng.pick(RESERVED_NAMES) : `${entry[0]}.${rng.pick(RESERVED_NAMES)}`;
      }
      return joinSafetensors(header, data, { pad: true });
    }
    case 'length': {
      const out = bytes.slice();
      writeInt(out, 0, 8, interestingInt(rng, bytes.length), true);
      return out;
    }
    case 'data': {
      const changed = data.length === 0 ? data : mutateBytes(rng, data);
      return joinSafetensors(header, changed, { pad: true });
    }
    case 'bytes':
      return mutateBytes(rng, bytes);
  }
}
