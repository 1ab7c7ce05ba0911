/**
 * The native movement kernels (native/movement.c, native/im2col.c) against the JS backend, the
 * reference: strided copy (with dtype conversion), gather/scatter-add, where, arg-reduce,
 * middle-axis reductions, im2col/col2im and max pooling's arg-max, on random shapes, strides,
 * offsets, padding and dilation, non-contiguous and broadcast views, float32 and float64; and the
 * batch norm kernels (native/batchnorm.c).
 * Skipped, with the reason, when the addon is not built.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsBackend, type Backend, type View } from '../../src/backend/index.js';
import type { Window2d } from '../../src/backend/backend.js';
import { nativeBackend, nativeUnavailableReason } from '../../src/backend/index.js';
import { loadAddon } from '../../src/backend/native/addon.js';
import type { TypedArray } from '../../src/tensor/dtype.js';

// Every supported call goes to C, however small.
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const skip = native ? false : `native addon unavailable: ${nativeUnavailableReason()}`;

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
const FLOATS: [string, FloatCtor][] = [['float32', Float32Array], ['float64', Float64Array]];

/** A small seeded generator (xorshift), so a failure names a reproducible case. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)) };
}

/** `n` values of `ctor`: a few specials (NaN, ±∞, ±0) among small integers (ties) and fractions. */
function values(ctor: Ctor, n: number, seed: number, specials = true): TypedArray {
  const r = rng(seed);
  const out = new ctor(n);
  const sp = [NaN, Infinity, -Infinity, 0, -0];
  for (let i = 0; i < n; i++) {
    const u = r.next();
    if (ctor === Uint8Array) out[i] = u < 0.5 ? 0 : 1;
    else if (ctor === Int32Array) out[i] = Math.floor((u - 0.5) * 2000);
    else if (specials && u < 0.03) out[i] = sp[Math.floor(u * 1000) % sp.length]!;
    else if (u < 0.4) out[i] = Math.floor(u * 20) - 4;
    else out[i] = (u - 0.5) * 10;
  }
  return out;
}

/** A random view of `shape` over a fresh array: permuted, sliced with gaps, broadcast dims, an offset. */
function randomView(ctor: Ctor, shape: number[], seed: number, broadcast = true): View {
  const r = rng(seed);
  const nd = shape.length;
  const perm = shape.map((_, i) => i).sort(() => r.next() - 0.5);
  const strides = new Array<number>(nd).fill(0);
  let size = 1;
  for (const d of perm) {
    if (broadcast && r.next() < 0.2) continue; // stride 0: a broadcast dim
    strides[d] = size * (r.next() < 0.3 ? 2 : 1); // every other element: a gap
    size = strides[d]! * shape[d]! + r.int(0, 1);
  }
  const offset = r.int(0, 3);
  return { data: values(ctor, offset + size + 1, seed + 1), shape, strides, offset };
}

function randomShape(r: ReturnType<typeof rng>, maxDims = 5, maxSize = 6): number[] {
  return Array.from({ length: r.int(0, maxDims) }, () => r.int(1, maxSize));
}

const same = (a: number, b: number) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

function assertSame(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) if (!same(got[i]!, want[i]!)) assert.fail(`${what}: [${i}] is ${got[i]}, JS gives ${want[i]}`);
}

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** A random window over a small image, every option varied; the grid fits the padded image. */
function randomWindow(seed: number): Window2d {
  const r = rng(seed);
  const w: Window2d = {
    batch: r.int(1, 3), height: r.int(1, 9), width: r.int(1, 9), channels: r.int(1, 6),
    outH: 0, outW: 0, kernelH: r.int(1, 4), kernelW: r.int(1, 4), strideH: r.int(1, 3), strideW: r.int(1, 3),
    dilationH: r.int(1, 2), dilationW: r.int(1, 2), padTop: r.int(0, 2), padLeft: r.int(0, 2),
  };
  const grid = (n: number, k: number, d: number, s: number, before: number) => {
    const padded = n + before + r.int(0, 2);
    return Math.max(Math.floor((padded - (d * (k - 1) + 1)) / s) + 1, 1);
  };
  w.outH = grid(w.height, w.kernelH, w.dilationH, w.strideH, w.padTop);
  w.outW = grid(w.width, w.kernelW, w.dilationW, w.strideW, w.padLeft);
  return w;
}

/** Whether every window of `w` has at least one cell inside the image (max pooling needs it). */
function everyWindowTouchesImage(w: Window2d): boolean {
  const touches = (out: number, n: number, k: number, s: number, d: number, before: number) => {
    for (let i = 0; i < out; i++) {
      let any = false;
      for (let a = 0; a < k; a++) {
        const at = i * s - before + a * d;
        if (at >= 0 && at < n) any = true;
      }
      if (!any) return false;
    }
    return true;
  };
  return touches(w.outH, w.height, w.kernelH, w.strideH, w.dilationH, w.padTop) &&
    touches(w.outW, w.width, w.kernelW, w.strideW, w.dilationW, w.padLeft);
}

describe('native movement kernels', { skip }, () => {
  const b = native as Backend;

  test('the addon loads, with every function (loadAddon checks for each)', () => {
    const r = loadAddon();
    assert.ok('addon' in r, 'reason' in r ? r.reason : '');
  });

  test('copy matches the JS kernel on random strided views, for every dtype and into float', () => {
    const pairs: [Ctor, Ctor][] = [
      [Float32Array, Float32Array], [Float64Array, Float64Array], [Int32Array, Int32Array], [Uint8Array, Uint8Array],
      [Float32Array, Float64Array], [Float64Array, Float32Array], [Int32Array, Float32Array], [Uint8Array, Float64Array],
    ];
    for (let seed = 1; seed <= 60; seed++) {
      const shape = randomShape(rng(seed));
      for (const [sc, dc] of pairs) {
        const src = randomView(sc, shape, seed * 7);
        const dstView = randomView(dc, shape, seed * 7 + 3, false);
        const got = { ...dstView, data: dstView.data.slice() };
        const want = { ...dstView, data: dstView.data.slice() };
        b.copy(src, got);
        jsBackend.copy(src, want);
        assertSame(got.data, want.data, `copy ${sc.name}→${dc.name} shape [${shape}] seed ${seed}`);
      }
    }
  });

  test('a copy into int32 or bool from another type stays with the JS rules (truncation, x ≠ 0)', () => {
    const src: View = { data: Float32Array.from([1.7, -2.5, 0, NaN, 0.25]), shape: [5], strides: [1], offset: 0 };
    const i32 = new Int32Array(5), u8 = new Uint8Array(5);
    b.copy(src, { data: i32, shape: [5], strides: [1], offset: 0 });
    b.copy(src, { data: u8, shape: [5], strides: [1], offset: 0 });
    assert.deepEqual(Array.from(i32), [1, -2, 0, 0, 0]);
    assert.deepEqual(Array.from(u8), [1, 1, 0, 1, 1]);
  });

  for (const [dtype, ctor] of FLOATS) {
    test(`gather and scatterAdd match the JS kernels, repeated indices included (${dtype})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const r = rng(seed);
        const outer = r.int(1, 4), axis = r.int(1, 7), inner = r.int(1, 5), m = r.int(1, 12);
        const idx = Int32Array.from({ length: m }, () => r.int(0, axis - 1));
        const x = values(ctor, outer * axis * inner, seed, false);
        const g1 = new ctor(outer * m * inner), g2 = new ctor(outer * m * inner);
        b.gather(x, outer, axis, inner, idx, g1);
        jsBackend.gather(x, outer, axis, inner, idx, g2);
        assertSame(g1, g2, `gather seed ${seed}`);
        const g = values(ctor, outer * m * inner, seed + 100, false);
        const s1 = values(ctor, outer * axis * inner, seed + 200, false), s2 = s1.slice();
        b.scatterAdd(g, outer, axis, inner, idx, s1);
        jsBackend.scatterAdd(g, outer, axis, inner, idx, s2);
        assertSame(s1, s2, `scatterAdd seed ${seed}`);
      }
    });

    test(`where matches the JS kernel on broadcast and strided views (${dtype})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const shape = randomShape(rng(seed));
        const cond = randomView(Uint8Array, shape, seed), a = randomView(ctor, shape, seed + 1), bv = randomView(ctor, shape, seed + 2);
        const got = new ctor(sizeOf(shape)), want = new ctor(sizeOf(shape));
        b.where(cond, a, bv, got);
        jsBackend.where(cond, a, bv, want);
        assertSame(got, want, `where shape [${shape}] seed ${seed}`);
      }
      // the row fast paths: a condition per row (stride 0 along it) over dense, strided and scalar
      // sides; a dense condition against a scalar on either side or both
      const shape = [3, 5, 9];
      const cond = (strides: number[]): View => ({ data: Uint8Array.from({ length: 200 }, (_, i) => (i * 7) % 3 === 0 ? 1 : 0), shape, strides, offset: 1 });
      const side = (strides: number[], seed: number): View => ({ data: values(ctor, 400, seed), shape, strides, offset: 2 });
      const cases: [View, View, View][] = [
        [cond([5, 1, 0]), side([45, 9, 1], 1), side([0, 0, 0], 2)],
        [cond([5, 1, 0]), side([0, 0, 0], 3), side([90, 18, 2], 4)],
        [cond([0, 1, 0]), side([45, 9, 1], 5), side([45, 9, 1], 6)],
        [cond([45, 9, 1]), side([9, 0, 1], 7), side([0, 0, 0], 8)],
        [cond([45, 9, 1]), side([0, 0, 0], 9), side([45, 9, 1], 10)],
        [cond([15, 3, 1]), side([0, 0, 0], 11), side([0, 0, 0], 12)],
      ];
      for (const [k, [c, a, bv]] of cases.entries()) {
        const got = new ctor(sizeOf(shape)), want = new ctor(sizeOf(shape));
        b.where(c, a, bv, got);
        jsBackend.where(c, a, bv, want);
        assertSame(got, want, `where row case ${k}`);
      }
    });

    test(`argmax/argmin and middle-axis reductions match the JS kernels, NaNs and ties included (${dtype})`, () => {
      for (let seed = 1; seed <= 40; seed++) {
        const r = rng(seed);
        const outer = r.int(1, 4), n = r.int(1, 9), inner = r.int(1, 300), offset = r.int(0, 3);
        const x = values(ctor, offset + outer * n * inner, seed);
        for (const op of ['argmax', 'argmin'] as const) {
          const got = new Int32Array(outer * inner), want = new Int32Array(outer * inner);
          b.argReduce(op, x, offset, outer, n, inner, got);
          jsBackend.argReduce(op, x, offset, outer, n, inner, want);
          assertSame(got, want, `${op} [${outer},${n},${inner}] seed ${seed}`);
        }
        if (inner === 1) continue;
        for (const op of ['sum', 'max', 'min', 'prod'] as const) {
          const got = new ctor(outer * inner), want = new ctor(outer * inner);
          b.reduce(op, x, offset, outer, n, inner, got);
          jsBackend.reduce(op, x, offset, outer, n, inner, want);
          assertSame(got, want, `reduce ${op} [${outer},${n},${inner}] seed ${seed}`);
        }
      }
    });

    test(`im2col and col2im match the JS kernels: padding, strides, dilation, strided images (${dtype})`, () => {
      for (let seed = 1; seed <= 80; seed++) {
        const w = randomWindow(seed);
        const shape = [w.batch, w.height, w.width, w.channels];
        // a channels-first image seen channels-last (permuted strides), or a random strided view
        const x = seed % 2 ? randomView(ctor, shape, seed, false)
          : { data: values(ctor, sizeOf(shape) + 2, seed), shape, strides: [w.channels * w.height * w.width, w.width, 1, w.height * w.width], offset: 2 };
        const cols = sizeOf([w.batch, w.outH, w.outW, w.kernelH, w.kernelW, w.channels]);
        const pad = [0, -Infinity, 1.5][seed % 3]!;
        const got = new ctor(cols), want = new ctor(cols);
        b.im2col(x, w, pad, got);
        jsBackend.im2col(x, w, pad, want);
        assertSame(got, want, `im2col ${JSON.stringify(w)}`);
        const g = values(ctor, cols + 3, seed + 9, false);
        const i1 = values(ctor, sizeOf(shape), seed + 10, false), i2 = i1.slice();
        b.col2im(g, 3, w, i1);
        jsBackend.col2im(g, 3, w, i2);
        assertSame(i1, i2, `col2im ${JSON.stringify(w)}`);
      }
    });

    test(`maxPoolIndices matches the JS kernel: first maximum, NaN wins, padding never wins (${dtype})`, () => {
      let checked = 0;
      for (let seed = 1; checked < 60; seed++) {
        const w = randomWindow(seed);
        if (!everyWindowTouchesImage(w)) continue;
        checked++;
        const x = values(ctor, 1 + sizeOf([w.batch, w.height, w.width, w.channels]), seed);
        const got = new Int32Array(w.batch * w.outH * w.outW * w.channels), want = got.slice();
        b.maxPoolIndices(x, 1, w, got);
        jsBackend.maxPoolIndices(x, 1, w, want);
        assertSame(got, want, `maxPoolIndices ${JSON.stringify(w)}`);
      }
    });
  }

  for (const [dtype, ctor] of FLOATS) {
    test(`batch norm statistics, forward and backward match the JS kernels (${dtype})`, () => {
      const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string) => {
        for (let i = 0; i < want.length; i++) {
          if (!(Math.abs(got[i]! - want[i]!) <= tol * (1 + Math.abs(want[i]!)))) assert.fail(`${what}: [${i}] is ${got[i]}, JS gives ${want[i]}`);
        }
      };
      const tol = ctor === Float32Array ? 1e-5 : 1e-11;
      for (let seed = 1; seed <= 12; seed++) {
        const r = rng(seed);
        const rows = r.int(1, 700), cols = r.int(1, 40);
        const x = values(ctor, rows * cols, seed, false), g = values(ctor, rows * cols, seed + 50, false);
        const m1 = new Float64Array(cols), v1 = new Float64Array(cols), m2 = new Float64Array(cols), v2 = new Float64Array(cols);
        b.batchNormStats(x, rows, cols, m1, v1);
        jsBackend.batchNormStats(x, rows, cols, m2, v2);
        close(m1, m2, 1e-12, `mean ${rows}x${cols}`);
        close(v1, v2, 1e-9, `variance ${rows}x${cols}`);
        const rstd = v2.map((v) => 1 / Math.sqrt(v + 1e-3)), gamma = Float64Array.from(values(Float64Array, cols, seed + 7, false));
        const beta = values(ctor, cols, seed + 8, false);
        const y1 = new ctor(rows * cols), y2 = new ctor(rows * cols);
        b.batchNormForward(x, rows, cols, m2, rstd, beta, y1);
        jsBackend.batchNormForward(x, rows, cols, m2, rstd, beta, y2);
        close(y1, y2, tol, `forward ${rows}x${cols}`);
        const dx1 = new ctor(rows * cols), dx2 = new ctor(rows * cols);
        const dg1 = new Float64Array(cols), db1 = new Float64Array(cols), dg2 = new Float64Array(cols), db2 = new Float64Array(cols);
        b.batchNormBackward(x, g, rows, cols, m2, rstd, gamma, dx1, dg1, db1);
        jsBackend.batchNormBackward(x, g, rows, cols, m2, rstd, gamma, dx2, dg2, db2);
        close(db1, db2, 1e-11, `dbeta ${rows}x${cols}`);
        close(dg1, dg2, 1e-9, `dgamma ${rows}x${cols}`);
        // dx sums terms that cancel: compare against the size of its largest term
        const scale = Math.max(...Array.from(dx2, Math.abs), 1);
        for (let i = 0; i < dx2.length; i++) assert.ok(Math.abs(dx1[i]! - dx2[i]!) <= tol * 10 * scale, `dx ${rows}x${cols} [${i}]: ${dx1[i]} vs ${dx2[i]}`);
      }
    });
  }

  test('maxPoolIndices rejects a window that lies entirely in the padding', () => {
    const w: Window2d = {
      batch: 1, height: 2, width: 2, channels: 1, outH: 2, outW: 1, kernelH: 1, kernelW: 1,
      strideH: 3, strideW: 1, dilationH: 1, dilationW: 1, padTop: 1, padLeft: 0,
    };
    assert.throws(() => b.maxPoolIndices(new Float32Array(4), 0, w, new Int32Array(2)), /entirely in the padding/);
  });

  test('the addon checks bounds and argument types before touching memory', () => {
    const r = loadAddon();
    assert.ok('addon' in r);
    const a = r.addon;
    const win = [1, 4, 4, 1, 2, 2, 3, 3, 1, 1, 1, 1, 0, 0];
    assert.throws(() => a.im2col(new Float32Array(16), 0, [16, 4, 1, 1], win, 0, new Float32Array(10)), /im2col: out: 36 elements at offset 0 exceed its 10/);
    assert.throws(() => a.im2col(new Float32Array(15), 0, [16, 4, 1, 1], win, 0, new Float32Array(36)), /im2col: x: the view/);
    assert.throws(() => a.col2im(new Float32Array(36), 1, win, new Float32Array(16)), /col2im: cols: 36 elements at offset 1/);
    assert.throws(() => a.gather(new Float32Array(4), 1, 4, 1, Int32Array.from([4]), new Float32Array(1)), /index 4 is out of range \[0, 4\)/);
    assert.throws(() => a.copy(new Float32Array(4), 0, [2], new Float32Array(4), 0, [1], [3]), /copy: src: the view/);
    assert.throws(() => a.copy(new Float32Array(4), 0, [1], new Int32Array(4), 0, [1], [4]), /same type, or dst be float/);
    assert.throws(() => a.argReduce(5, new Float32Array(4), 0, 1, 4, 1, new Int32Array(1)), /unknown op/);
    assert.throws(() => a.im2col(new Float32Array(16), 0, [16, 4, 1, 1], [1, 4, 4, 1, 2, 2, 0, 3, 1, 1, 1, 1, 0, 0], 0, new Float32Array(36)), /kernel, strides and dilation positive/);
  });
});
