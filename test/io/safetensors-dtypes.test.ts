import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { bfloat16Bits, decodeSafetensors, encodeSafetensors, float16Bits, float16Value } from '../../src/io/index.js';

/** Builds a file by hand from a header object and data bytes. */
function handMade(header: Record<string, unknown>, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

/** The header and data part of encoded bytes, read independently of src/io. */
function parts(bytes: Uint8Array): { header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>; data: DataView } {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  return { header, data: new DataView(bytes.buffer, bytes.byteOffset + 8 + n) };
}

/** Every finite binary16 value, ascending, with its bits: an independent reference for rounding. */
const HALF_VALUES: { value: number; bits: number }[] = (() => {
  const out: { value: number; bits: number }[] = [];
  for (let e = 0; e < 31; e++) {
    for (let m = 0; m < 1024; m++) {
      const value = e === 0 ? m * 2 ** -24 : (1 + m / 1024) * 2 ** (e - 15);
      out.push({ value, bits: (e << 10) | m });
    }
  }
  return out;
})();

/** Nearest binary16 by search over the table (ties to the even bit pattern), for v >= 0. */
function nearestHalf(v: number): number {
  const max = HALF_VALUES.at(-1)!;
  // IEEE: round as if the exponent range were unbounded; 65520 (max + half an ulp) and above overflow
  if (v >= max.value + 2 ** 4) return 0x7c00;
  let lo = 0;
  let hi = HALF_VALUES.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (HALF_VALUES[mid]!.value <= v) lo = mid;
    else hi = mid;
  }
  const a = HALF_VALUES[lo]!;
  const b = HALF_VALUES[hi]!;
  if (v <= a.value) return a.bits;
  const da = v - a.value;
  const db = b.value - v;
  if (da < db) return a.bits;
  if (db < da) return b.bits;
  return a.bits % 2 === 0 ? a.bits : b.bits;
}

test('float16: known values, overflow, subnormals, ties to even, inf and nan', () => {
  const cases: [number, number][] = [
    [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800], [65504, 0x7bff],
    [65519.99, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-1e6, 0xfc00], [Infinity, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], [2 ** -24, 0x0001], [1023 * 2 ** -24, 0x03ff], [2 ** -25, 0x0000], [3 * 2 ** -26, 0x0001],
    [1.5 * 2 ** -24, 0x0002], [2.5 * 2 ** -24, 0x0002], [1 + 2 ** -11, 0x3c00], [1 + 3 * 2 ** -11, 0x3c02], [0.1, 0x2e66],
    [(1023.5 / 1024) * 2 ** -14, 0x0400], [1e-10, 0x0000], [-1e-10, 0x8000],
  ];
  for (const [v, bits] of cases) assert.equal(float16Bits(v), bits, `float16Bits(${v})`);
  const nan = float16Bits(NaN);
  assert.ok((nan & 0x7c00) === 0x7c00 && (nan & 0x3ff) !== 0, 'NaN stays NaN');
  assert.ok(Number.isNaN(float16Value(0x7e00)));
  assert.equal(float16Value(0xfc00), -Infinity);
  assert.equal(float16Value(0x0001), 2 ** -24);
  assert.equal(float16Value(0x7bff), 65504);
});

test('float16: every finite pattern round-trips, and random values round like an exhaustive search', () => {
  for (let bits = 0; bits < 65536; bits++) {
    if ((bits & 0x7c00) === 0x7c00 && (bits & 0x3ff) !== 0) continue; // NaNs
    assert.equal(float16Bits(float16Value(bits)), bits, `pattern ${bits.toString(16)}`);
  }
  const g = new nb.Generator(7);
  for (let i = 0; i < 20000; i++) {
    // log-uniform magnitudes from far below the subnormals to past the largest half
    const v = Math.fround(2 ** (g.uniform() * 48 - 30) * (1 + g.uniform()));
    assert.equal(float16Bits(v), nearestHalf(v), `float16Bits(${v})`);
    assert.equal(float16Bits(-v), nearestHalf(v) | 0x8000);
  }
});

test('bfloat16: known values and agreement with rounding the float32 bits', () => {
  assert.equal(bfloat16Bits(1), 0x3f80);
  assert.equal(bfloat16Bits(-2), 0xc000);
  assert.equal(bfloat16Bits(1 + 2 ** -8), 0x3f80); // tie → even
  assert.equal(bfloat16Bits(1 + 3 * 2 ** -8), 0x3f82);
  assert.equal(bfloat16Bits(3.4028234663852886e38), 0x7f80); // float32 max rounds to infinity
  assert.equal(bfloat16Bits(2 ** -133), 0x0001);
  assert.equal(bfloat16Bits(-Infinity), 0xff80);
  const nan = bfloat16Bits(NaN);
  assert.ok((nan & 0x7f80) === 0x7f80 && (nan & 0x7f) !== 0);
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  const g = new nb.Generator(3);
  for (let i = 0; i < 50000; i++) {
    u[0] = g.nextUint32();
    if (Number.isNaN(f[0]!)) continue;
    const w = u[0]!;
    // the usual float32 → bfloat16 rounding on bits (carry into the exponent gives infinity)
    const expected = ((w + 0x7fff + ((w >>> 16) & 1)) >>> 16) & 0xffff;
    assert.equal(bfloat16Bits(f[0]!), expected, `bits ${w.toString(16)}`);
  }
});

test('F16 and BF16 tensors are written on request and load as float32', () => {
  const values = [1, -2.5, 0.1, 65504, 70000, 2 ** -24, -0, Infinity, NaN, 1e-8];
  const w = nb.tensor(values);
  const bytes = encodeSafetensors({ w, b: w, keep: w }, undefined, { dtypes: { w: 'F16', b: 'BF16' } });
  const { header, data } = parts(bytes);
  assert.equal(header['w']!.dtype, 'F16');
  assert.equal(header['b']!.dtype, 'BF16');
  assert.equal(header['keep']!.dtype, 'F32');
  assert.deepEqual(header['w']!.shape, [10]);
  const [wBegin] = header['w']!.data_offsets;
  values.forEach((v, i) => assert.equal(data.getUint16(wBegin + 2 * i, true), float16Bits(Math.fround(v)), `F16 element ${i}`));
  const loaded = decodeSafetensors(bytes).tensors;
  assert.equal(loaded['w']!.dtype, 'float32');
  assert.deepEqual(loaded['w']!.toArray(), [1, -2.5, float16Value(0x2e66), 65504, Infinity, 2 ** -24, -0, Infinity, NaN, 0]);
  assert.equal(loaded['b']!.dtype, 'float32');
  assert.deepEqual((loaded['b']!.toArray() as number[]).slice(0, 2), [1, -2.5]);
  // floatDType applies to every float tensor; int and bool tensors keep theirs
  const all = parts(encodeSafetensors({ a: w, d: nb.tensor([1], { dtype: 'float64' }), i: nb.tensor([1], { dtype: 'int32' }) }, undefined, { floatDType: 'BF16' })).header;
  assert.deepEqual([all['a']!.dtype, all['d']!.dtype, all['i']!.dtype], ['BF16', 'BF16', 'I32']);
});

test('float64 → F16 rounds once, from the float64 value', () => {
  // just above the midpoint of 1 and 1 + 2^-10: float32 would first round it onto the midpoint
  const x = nb.tensor([1 + 2 ** -11 + 2 ** -40], { dtype: 'float64' });
  const { data, header } = parts(encodeSafetensors({ x }, undefined, { dtypes: { x: 'F16' } }));
  assert.equal(data.getUint16(header['x']!.data_offsets[0], true), 0x3c01);
  const f32 = parts(encodeSafetensors({ x }, undefined, { dtypes: { x: 'F32' } }));
  assert.equal(f32.data.getFloat32(0, true), Math.fround(1 + 2 ** -11 + 2 ** -40));
});

test('integer dtypes: I64, I16, I8, U8 load as int32; narrowing saves are range-checked', () => {
  const big = new DataView(new ArrayBuffer(24));
  big.setBigInt64(0, -1n, true);
  big.setBigInt64(8, 2147483647n, true);
  big.setBigInt64(16, -2147483648n, true);
  const small = new Uint8Array([0xff, 0x7f, 0x00, 0x80, 0x85, 0xff]); // I16 32767, -32768; I8 -123; U8 255
  const file = handMade(
    {
      __metadata__: { source: 'hand' },
      a: { dtype: 'I64', shape: [3], data_offsets: [0, 24] },
      b: { dtype: 'I16', shape: [2], data_offsets: [24, 28] },
      c: { dtype: 'I8', shape: [1], data_offsets: [28, 29] },
      d: { dtype: 'U8', shape: [1], data_offsets: [29, 30] },
    },
    new Uint8Array([...new Uint8Array(big.buffer), ...small]),
  );
  const { tensors, metadata } = decodeSafetensors(file);
  assert.deepEqual(metadata, { source: 'hand' });
  for (const t of Object.values(tensors)) assert.equal(t.dtype, 'int32');
  assert.deepEqual(tensors['a']!.toArray(), [-1, 2147483647, -2147483648]);
  assert.deepEqual(tensors['b']!.toArray(), [32767, -32768]);
  assert.deepEqual(tensors['c']!.toArray(), [-123]);
  assert.deepEqual(tensors['d']!.toArray(), [255]);

  const tooBig = new DataView(new ArrayBuffer(16));
  tooBig.setBigInt64(8, 3000000000n, true);
  assert.throws(
    () => decodeSafetensors(handMade({ ids: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, new Uint8Array(tooBig.buffer))),
    (e: Error) => e instanceof nb.DTypeError && /tensor 'ids' is I64 and element 1 holds 3000000000, which does not fit in int32/.test(e.message),
  );

  const ints = nb.tensor([-5, 0, 100], { dtype: 'int32' });
  for (const dtype of ['I64', 'I16', 'I8'] as const) {
    const back = decodeSafetensors(encodeSafetensors({ ints }, undefined, { dtypes: { ints: dtype } }));
    assert.deepEqual(back.tensors['ints']!.toArray(), [-5, 0, 100], dtype);
  }
  assert.deepEqual(parts(encodeSafetensors({ ints }, undefined, { dtypes: { ints: 'I64' } })).header['ints']!.dtype, 'I64');
  assert.throws(() => encodeSafetensors({ ints }, undefined, { dtypes: { ints: 'U8' } }), /tensor 'ints': element 0 is -5, which does not fit in U8 \(0\.\.255\)/);
  assert.throws(() => encodeSafetensors({ ints: nb.tensor([40000], { dtype: 'int32' }) }, undefined, { dtypes: { ints: 'I16' } }), /does not fit in I16/);
  assert.throws(() => encodeSafetensors({ ints }, undefined, { dtypes: { ints: 'F16' } }), /tensor 'ints' is int32 and cannot be saved as "F16"; it can be saved as I32, I64, I16, I8, U8/);
  assert.throws(() => encodeSafetensors({ ints }, undefined, { dtypes: { other: 'I64' } }), /options\.dtypes names 'other', which is not one of the tensors/);
  assert.throws(() => encodeSafetensors({ ints }, undefined, { floatDType: 'I8' as 'F16' }), /floatDType must be one of F32, F64, F16, BF16/);
});
