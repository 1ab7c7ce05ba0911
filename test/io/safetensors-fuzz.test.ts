/**
 * Fuzzing the safetensors reader: thousands of mutated files (bit flips, truncations, header
 * edits, lying length fields and offsets) must each give either a correct decode or a clean
 * error (FormatError, or DTypeError for an I64 value outside int32) with a message — never a
 * TypeError/RangeError from deep inside, a hang, or tensors whose storage disagrees with the
 * header (the sign of an out-of-bounds read).
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { decodeSafetensors, encodeSafetensors, FormatError, openSafetensors } from '../../src/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const g = new nb.Generator(20240611);
const rand = (n: number) => g.int(0, n);
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

/** Seed files covering every dtype, metadata, a scalar and an empty tensor. */
const SEEDS: Uint8Array[] = [
  encodeSafetensors({ 'dense.kernel': nb.randn([4, 3], { generator: g }), 'dense.bias': nb.zeros([3]) }, { format: 'pt' }),
  encodeSafetensors(
    {
      h: nb.tensor([1, -2, 0.5, 65504]), b: nb.tensor([3, 4]), d: nb.tensor([Math.PI], { dtype: 'float64' }),
      l: nb.tensor([-1, 7], { dtype: 'int32' }), s: nb.tensor([300, -300], { dtype: 'int32' }), c: nb.tensor([-5], { dtype: 'int32' }),
      u: nb.tensor([200], { dtype: 'int32' }), m: nb.tensor([true, false, true]), scalar: nb.tensor(2.5), empty: nb.zeros([0, 4]),
    },
    { note: 'every dtype' },
    { dtypes: { h: 'F16', b: 'BF16', l: 'I64', s: 'I16', c: 'I8', u: 'U8' } },
  ),
  encodeSafetensors({ x: nb.ones([64]) }),
];

const DTYPES = ['F64', 'F32', 'F16', 'BF16', 'I64', 'I32', 'I16', 'I8', 'U8', 'BOOL', 'F8_E4M3', 'U64', 'f32', '', 'Q4'];
const ODD_NUMBERS: unknown[] = [-1, 0, 1, 2, 3, 7, 8, 1e9, 2 ** 53, 2 ** 64, -0.5, 1.5, NaN, null, '4', [], {}, true];

function headerOf(bytes: Uint8Array): { n: number; json: Record<string, unknown> } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { n, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown> };
}

function withHeader(bytes: Uint8Array, json: unknown, lengthDelta = 0): Uint8Array {
  const { n } = headerOf(bytes);
  const text = new TextEncoder().encode(JSON.stringify(json));
  const out = new Uint8Array(8 + text.length + (bytes.length - 8 - n));
  new DataView(out.buffer).setBigUint64(0, BigInt(Math.max(0, text.length + lengthDelta)), true);
  out.set(text, 8);
  out.set(bytes.subarray(8 + n), 8 + text.length);
  return out;
}

/** One random header edit: a dtype, a shape, an offset, an entry removed or duplicated, metadata. */
function editHeader(bytes: Uint8Array): Uint8Array {
  const { json } = headerOf(bytes);
  const names = Object.keys(json).filter((k) => k !== '__metadata__');
  const name = pick(names);
  const entry = { ...(json[name] as Record<string, unknown>) };
  switch (rand(9)) {
    case 0:
      entry['dtype'] = pick(DTYPES);
      break;
    case 1: {
      const shape = [...(entry['shape'] as number[])];
      if (shape.length > 0 && rand(2) === 0) shape[rand(shape.length)] = pick(ODD_NUMBERS) as number;
      else if (rand(2) === 0) shape.push(rand(5));
      else shape.pop();
      entry['shape'] = shape;
      break;
    }
    case 2: {
      const offsets = [...(entry['data_offsets'] as number[])];
      const i = rand(2);
      offsets[i] = rand(3) === 0 ? (pick(ODD_NUMBERS) as number) : offsets[i]! + rand(33) - 16;
      entry['data_offsets'] = offsets;
      break;
    }
    case 3:
      delete json[name];
      return withHeader(bytes, json);
    case 4:
      entry['data_offsets'] = pick(ODD_NUMBERS);
      break;
    case 5:
      json['__metadata__'] = pick([{ a: 1 }, [], 'x', null, { ok: 'yes' }]);
      return withHeader(bytes, json);
    case 6:
      json[`${name}_copy`] = entry;
      return withHeader(bytes, json);
    case 7:
      return withHeader(bytes, pick([[], 'str', 42, null, { [name]: 'x' }]));
    default:
      // a lying length field around an otherwise valid header
      return withHeader(bytes, json, pick([-3, -1, 1, 2, 9, 1000, -100]));
  }
  json[name] = entry;
  return withHeader(bytes, json);
}

function mutate(seed: Uint8Array): { bytes: Uint8Array; how: string } {
  const bytes = seed.slice();
  switch (rand(6)) {
    case 0: {
      const flips = 1 + rand(8);
      const headerEnd = Math.min(bytes.length, 8 + headerOf(seed).n);
      for (let i = 0; i < flips; i++) {
        // mostly in the length field and header, where a flip changes the meaning
        const at = rand(4) === 0 ? rand(bytes.length) : rand(headerEnd);
        bytes[at]! ^= 1 << rand(8);
      }
      return { bytes, how: `${flips} bit flips` };
    }
    case 1: {
      const at = rand(bytes.length);
      return { bytes: bytes.subarray(0, at), how: `truncated to ${at} bytes` };
    }
    case 2: {
      const view = new DataView(bytes.buffer);
      const { n } = headerOf(seed);
      const v = pick([0n, 1n, 2n, BigInt(n - 1), BigInt(n + 1), BigInt(bytes.length), 2n ** 63n, 2n ** 64n - 1n, BigInt(rand(1 << 30)), 99_999_999n]);
      view.setBigUint64(0, v, true);
      return { bytes, how: `length field ${v}` };
    }
    case 3: {
      const extra = new Uint8Array(1 + rand(16)).map(() => rand(256));
      const out = new Uint8Array(bytes.length + extra.length);
      out.set(bytes);
      out.set(extra, bytes.length);
      return { bytes: out, how: `${extra.length} bytes appended` };
    }
    case 4: {
      const { n } = headerOf(seed);
      const at = 8 + rand(n);
      bytes[at] = pick([...'{}[]",:0123456789-eE.ntf '].map((c) => c.charCodeAt(0)));
      return { bytes, how: `header byte ${at} replaced` };
    }
    default:
      return { bytes: editHeader(seed), how: 'header edited' };
  }
}

/** The check on each case: a decode whose tensors agree with their shapes, or a clean error. */
function checkOutcome(run: () => Record<string, nb.Tensor>, how: string): 'ok' | 'error' {
  let tensors: Record<string, nb.Tensor>;
  try {
    tensors = run();
  } catch (err) {
    const e = err as Error;
    assert.ok(e instanceof FormatError || e instanceof nb.DTypeError, `${how}: ${e?.name}: ${e?.message}`);
    assert.ok(e.message.startsWith('safetensors: ') && e.message.length > 20, `${how}: message ${JSON.stringify(e.message)}`);
    return 'error';
  }
  for (const [name, t] of Object.entries(tensors)) {
    assert.equal(t.storage.length, t.shape.reduce((a, b) => a * b, 1), `${how}: '${name}' storage does not match shape ${t.shape}`);
  }
  return 'ok';
}

test('thousands of mutated files decode or fail cleanly', { timeout: 60_000 }, () => {
  const counts = { ok: 0, error: 0 };
  let slowest = 0;
  for (let i = 0; i < 10000; i++) {
    const { bytes, how } = mutate(pick(SEEDS));
    const start = performance.now();
    counts[checkOutcome(() => decodeSafetensors(bytes).tensors, `case ${i} (${how})`)]++;
    slowest = Math.max(slowest, performance.now() - start);
  }
  // most mutations must be caught, and some must survive (a flip in tensor data is still a valid file)
  assert.ok(counts.error > 5000 && counts.ok > 100, JSON.stringify(counts));
  // no case may get stuck: a generous bound (the whole loop takes about a second)
  assert.ok(slowest < 2000, `slowest case took ${slowest} ms`);
});

test('mutated files on disk open lazily or fail cleanly', { timeout: 60_000 }, () => {
  const path = join(dir, 'fuzz.safetensors');
  const counts = { ok: 0, error: 0 };
  for (let i = 0; i < 300; i++) {
    const { bytes, how } = mutate(pick(SEEDS));
    writeFileSync(path, bytes);
    const outcome = checkOutcome(() => {
      const file = openSafetensors(path);
      try {
        return Object.fromEntries(file.keys().map((k) => [k, file.get(k)]));
      } finally {
        file.close();
      }
    }, `file case ${i} (${how})`);
    counts[outcome]++;
    // the in-memory reader must reach the same verdict
    assert.equal(checkOutcome(() => decodeSafetensors(bytes).tensors, `memory case ${i} (${how})`), outcome, how);
  }
  assert.ok(counts.error > 100, JSON.stringify(counts));
});
