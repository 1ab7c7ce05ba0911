import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import {
  decodeSafetensors, encodeSafetensors, FileNotFoundError, FormatError, loadSafetensors, saveSafetensors,
} from '../../src/io/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-safetensors-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A reader written from the spec alone, sharing no code with src/io. */
function readIndependently(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(view.getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, unknown>;
  const start = 8 + n;
  const floats = (name: string): number[] => {
    const e = header[name] as { dtype: string; data_offsets: [number, number] };
    assert.equal(e.dtype, 'F32');
    const out: number[] = [];
    for (let at = start + e.data_offsets[0]; at < start + e.data_offsets[1]; at += 4) out.push(view.getFloat32(at, true));
    return out;
  };
  return { n, header, start, floats };
}

/** Builds a file by hand from a header object and data bytes. */
function handMade(header: unknown, data: Uint8Array, lengthField?: bigint): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthField ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

test('a saved file is read correctly by an independent reader written from the spec', () => {
  const w = nb.tensor([[1.5, -2, 3], [4, 5.25, -6]]);
  const wt = w.transpose(); // non-contiguous view: written as contiguous [3,2] data
  const b = nb.tensor([0.1, 0.2, 0.3]);
  const path = join(dir, 'spec.safetensors');
  saveSafetensors(path, { 'dense.kernel': w, 'dense.kernel_t': wt, 'dense.bias': b }, { format: 'pt', epoch: '3' });
  const bytes = readFileSync(path);
  const { n, header, start, floats } = readIndependently(bytes);
  assert.equal(start % 8, 0, 'data starts 8-byte aligned (header padded with spaces)');
  assert.deepEqual(header['__metadata__'], { format: 'pt', epoch: '3' });
  assert.deepEqual((header['dense.kernel'] as { shape: number[] }).shape, [2, 3]);
  assert.deepEqual((header['dense.kernel_t'] as { shape: number[] }).shape, [3, 2]);
  assert.deepEqual(floats('dense.kernel'), [1.5, -2, 3, 4, 5.25, -6]);
  assert.deepEqual(floats('dense.kernel_t'), [1.5, 4, -2, 5.25, 3, -6]);
  assert.deepEqual(floats('dense.bias'), Array.from(new Float32Array([0.1, 0.2, 0.3])));
  // the offsets tile the data part exactly
  const ranges = Object.entries(header)
    .filter(([k]) => k !== '__metadata__')
    .map(([, v]) => (v as { data_offsets: [number, number] }).data_offsets)
    .sort((p, q) => p[0] - q[0]);
  let covered = 0;
  for (const [lo, hi] of ranges) {
    assert.equal(lo, covered);
    covered = hi;
  }
  assert.equal(covered, bytes.length - 8 - n);
});

test('all four dtypes, a scalar, an empty tensor and metadata round-trip', () => {
  const tensors = {
    f32: nb.tensor([[1.25, -3], [1e30, -0]]),
    f64: nb.tensor([Math.PI, -1e-300, 2 ** 60], { dtype: 'float64' }),
    i32: nb.tensor([0, -1, 2147483647, -2147483648], { dtype: 'int32' }),
    mask: nb.tensor([true, false, true]),
    scalar: nb.tensor(7.5),
    empty: nb.zeros([0, 3]),
  };
  const metadata = { format: 'pt', note: 'ünïcode ✓' };
  const path = join(dir, 'dtypes.safetensors');
  saveSafetensors(path, tensors, metadata);
  for (const loaded of [loadSafetensors(path), decodeSafetensors(encodeSafetensors(tensors, metadata))]) {
    assert.deepEqual(loaded.metadata, metadata);
    assert.deepEqual(Object.keys(loaded.tensors).sort(), Object.keys(tensors).sort());
    for (const [name, t] of Object.entries(tensors)) {
      const got = loaded.tensors[name]!;
      assert.equal(got.dtype, t.dtype, name);
      assert.deepEqual(got.shape, t.shape, name);
      assert.deepEqual(got.toArray(), t.toArray(), name);
    }
  }
  assert.deepEqual(decodeSafetensors(encodeSafetensors({ a: nb.ones([2]) })).metadata, {});
});

test('saving over an existing file replaces it and leaves no temporary files', () => {
  const sub = mkdtempSync(join(dir, 'overwrite-'));
  const path = join(sub, 'm.safetensors');
  saveSafetensors(path, { a: nb.ones([100]) });
  saveSafetensors(path, { b: nb.zeros([2]) });
  assert.deepEqual(Object.keys(loadSafetensors(path).tensors), ['b']);
  assert.deepEqual(readdirSync(sub), ['m.safetensors']);
});

test('bad input to save is rejected before anything is written', () => {
  const path = join(dir, 'bad-save.safetensors');
  assert.throws(() => saveSafetensors(path, { __metadata__: nb.ones([1]) }), /'__metadata__' is reserved/);
  assert.throws(() => saveSafetensors(path, { a: [1, 2] as unknown as nb.Tensor }), /'a' is an array, not a Tensor/);
  assert.throws(() => saveSafetensors(path, { a: nb.ones([1]) }, { epoch: 3 as unknown as string }), /metadata 'epoch' .* must be strings/);
  assert.throws(() => readFileSync(path), /ENOENT/);
});

test('a truncated file is rejected', () => {
  const bytes = encodeSafetensors({ w: nb.ones([10, 20]) });
  assert.throws(() => decodeSafetensors(bytes.subarray(0, bytes.length - 4)), (e: Error) =>
    e instanceof FormatError && /tensor 'w' has data_offsets \[0,800\] but the data part holds only 796 bytes \(truncated file\?\)/.test(e.message));
  assert.throws(() => decodeSafetensors(bytes.subarray(0, 20)), /header length field says \d+ bytes but only 12 bytes follow/);
  assert.throws(() => decodeSafetensors(bytes.subarray(0, 5)), /5 bytes long; a safetensors file starts with an 8-byte header length/);
});

test('a corrupted header length is rejected', () => {
  const bytes = encodeSafetensors({ w: nb.ones([4]) });
  const huge = bytes.slice();
  new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
  assert.throws(() => decodeSafetensors(huge), /header length field says 1099511627776 bytes, over the 100000000-byte limit/);
  const long = bytes.slice();
  new DataView(long.buffer).setBigUint64(0, BigInt(bytes.length), true);
  assert.throws(() => decodeSafetensors(long), /header length field says \d+ bytes but only \d+ bytes follow/);
  const short = bytes.slice();
  new DataView(short.buffer).setBigUint64(0, 10n, true);
  assert.throws(() => decodeSafetensors(short), /header is not valid JSON/);
  assert.throws(() => decodeSafetensors(handMade([1, 2], new Uint8Array(0))), /must be a JSON object starting with '\{'/);
});

test('offsets outside the data part are rejected', () => {
  const header = { w: { dtype: 'F32', shape: [200], data_offsets: [0, 800] } };
  assert.throws(() => decodeSafetensors(handMade(header, new Uint8Array(400))), /tensor 'w' has data_offsets \[0,800\] but the data part holds only 400 bytes/);
  const backwards = { w: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } };
  assert.throws(() => decodeSafetensors(handMade(backwards, new Uint8Array(8))), /data_offsets \[8,4\] that end before they begin/);
  const negative = { w: { dtype: 'F32', shape: [1], data_offsets: [-4, 0] } };
  assert.throws(() => decodeSafetensors(handMade(negative, new Uint8Array(4))), /data_offsets \[-4,0\]; expected \[begin, end\]/);
});

test('overlapping offsets are rejected', () => {
  const header = {
    a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] },
    b: { dtype: 'F32', shape: [4], data_offsets: [8, 24] },
  };
  assert.throws(() => decodeSafetensors(handMade(header, new Uint8Array(24))), /tensors 'a' \[0,16\] and 'b' \[8,24\] overlap/);
});

test('gaps and trailing bytes in the data part are rejected', () => {
  const gap = { a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } };
  assert.throws(() => decodeSafetensors(handMade(gap, new Uint8Array(8))), /bytes \[0,4\) of the data part belong to no tensor/);
  const trailing = { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
  assert.throws(() => decodeSafetensors(handMade(trailing, new Uint8Array(12))), /holds 12 bytes but the tensors cover only 4/);
});

test('a byte count that does not match shape and dtype is rejected', () => {
  const header = { 'dense.kernel': { dtype: 'F32', shape: [10, 20], data_offsets: [0, 400] } };
  assert.throws(
    () => decodeSafetensors(handMade(header, new Uint8Array(400))),
    /safetensors: tensor 'dense\.kernel' has data_offsets \[0,400\] \(400 bytes\) but shape \[10,20\] F32 needs 800 bytes/,
  );
});

test('bad dtypes, shapes, metadata and BOOL bytes are rejected by name', () => {
  const one = (entry: unknown, data = new Uint8Array(4)) => () => decodeSafetensors(handMade({ t: entry }, data));
  assert.throws(one({ dtype: 'F8_E4M3', shape: [4], data_offsets: [0, 4] }), /tensor 't' has dtype F8_E4M3, which nabla cannot load \(supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL\)/);
  assert.throws(one({ dtype: 'F16', shape: [3], data_offsets: [0, 4] }), /shape \[3\] F16 needs 6 bytes/);
  assert.throws(one({ dtype: 'Q4', shape: [2], data_offsets: [0, 4] }), /tensor 't' has unknown dtype "Q4"/);
  assert.throws(one({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] }), /tensor 't' has shape \[-1\]; a shape is a list of non-negative integers/);
  assert.throws(one({ dtype: 'F32', shape: [1.5], data_offsets: [0, 4] }), /shape \[1.5\]/);
  assert.throws(one('nope'), /tensor 't' must be an object \{dtype, shape, data_offsets\}/);
  assert.throws(one({ dtype: 'BOOL', shape: [4], data_offsets: [0, 4] }, new Uint8Array([0, 1, 2, 0])), /BOOL but element 2 holds the byte 2/);
  assert.throws(() => decodeSafetensors(handMade({ __metadata__: { a: 1 } }, new Uint8Array(0))), /__metadata__ 'a' is 1; metadata values must be strings/);
});

test('loading errors name the file', () => {
  const missing = join(dir, 'nope.safetensors');
  assert.throws(() => loadSafetensors(missing), (e: Error) => e instanceof FileNotFoundError && e.message.includes(missing));
  const corrupt = join(dir, 'corrupt.safetensors');
  writeFileSync(corrupt, encodeSafetensors({ w: nb.ones([3]) }).subarray(0, 20));
  assert.throws(() => loadSafetensors(corrupt), (e: Error) => e instanceof FormatError && e.message.startsWith(`safetensors: ${corrupt}: `));
});

test('decodeSafetensors reads a Node Buffer (as readFileSync returns) and a view at an offset', () => {
  const path = join(dir, 'buffer.safetensors');
  saveSafetensors(path, { a: nb.tensor([1.5, -2]), b: nb.tensor([[7, 8]], { dtype: 'int32' }) });
  // Buffer.slice is a view sharing memory, unlike Uint8Array.slice: the data must still be copied out right
  const fromBuffer = decodeSafetensors(readFileSync(path));
  assert.deepEqual(fromBuffer.tensors['a']!.toArray(), [1.5, -2]);
  assert.deepEqual(fromBuffer.tensors['b']!.toArray(), [[7, 8]]);
  const bytes = readFileSync(path);
  const shifted = new Uint8Array(bytes.length + 3);
  shifted.set(bytes, 3);
  assert.deepEqual(decodeSafetensors(shifted.subarray(3)).tensors['a']!.toArray(), [1.5, -2]);
});
