/**
 * Pooling (max/avg 1-D and 2-D, global pools) and nearest upsampling against direct loops
 * (conv-ref.ts): strides, 'valid'/'same'/numeric padding, both data formats; float64 gradchecks;
 * bad inputs.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { jsBackend, setBackend, type Backend, type Tensor } from '../../src/index.js';
import { nativeBackend } from '../../src/backend/native/index.js';
import {
  avgPool1d, avgPool2d, globalAvgPool1d, globalAvgPool2d, globalMaxPool1d, globalMaxPool2d, maxPool1d, maxPool2d,
  type AvgPoolOptions, type PoolOptions,
} from '../../src/ops/pool.js';
import { im2col, slidingWindow, windowParams } from '../../src/ops/window.js';
import { upsampleNearest2d } from '../../src/ops/upsample.js';
import { arr, refPool2d, samePads, transposeArr, withAxis, withoutAxis, type Arr, type RefWindow } from './conv-ref.js';

/** Every backend runs these tests: the JS kernels, and the native addon (all calls in C) where it is built. */
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = native ? [jsBackend, native] : [jsBackend];

const rnd = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64'): Tensor =>
  nb.randn(shape, { dtype, generator: new nb.Generator(seed) });

function assertClose(actual: Tensor, expected: Arr, tol = 1e-12): void {
  assert.deepEqual(actual.shape, expected.shape, 'shape');
  Array.from(actual.data()).forEach((v, i) => {
    const e = expected.data[i]!;
    assert.ok(Math.abs(v - e) <= tol * (1 + Math.abs(e)), `element ${i}: ${v} != ${e}`);
  });
}

function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const r = nb.testing.gradcheck(fn, inputs, { atol: 1e-6, rtol: 1e-5 });
  assert.ok(r.ok, `gradcheck failed: ${JSON.stringify(r.worst)}`);
}

const win = (strides: [number, number], pads: RefWindow['pads'], dilation: [number, number] = [1, 1]): RefWindow => ({ strides, pads, dilation });

interface PoolCase {
  label: string;
  x: number[];
  pool: [number, number];
  opts: AvgPoolOptions;
  ref: RefWindow;
}

const poolCases: PoolCase[] = [
  { label: '2×2, default strides', x: [2, 6, 8, 3], pool: [2, 2], opts: {}, ref: win([2, 2], [[0, 0], [0, 0]]) },
  { label: 'odd input, 2×2 (last row/column dropped)', x: [1, 5, 7, 2], pool: [2, 2], opts: {}, ref: win([2, 2], [[0, 0], [0, 0]]) },
  { label: "3×3 stride 2 'same'", x: [1, 7, 6, 2], pool: [3, 3], opts: { strides: 2, padding: 'same' }, ref: win([2, 2], [samePads(7, 3, 2, 1), samePads(6, 3, 2, 1)]) },
  { label: "2×2 'same' on odd sizes", x: [2, 5, 3, 1], pool: [2, 2], opts: { padding: 'same' }, ref: win([2, 2], [samePads(5, 2, 2, 1), samePads(3, 2, 2, 1)]) },
  { label: '[2,3] with strides [1,2]', x: [1, 4, 7, 2], pool: [2, 3], opts: { strides: [1, 2] }, ref: win([1, 2], [[0, 0], [0, 0]]) },
  { label: 'numeric padding 1, pool 3, stride 2', x: [1, 6, 5, 2], pool: [3, 3], opts: { padding: 1, strides: 2 }, ref: win([2, 2], [[1, 1], [1, 1]]) },
  { label: 'explicit pads with dilation 2', x: [1, 7, 7, 1], pool: [2, 2], opts: { padding: [[1, 0], [0, 1]], dilation: 2, strides: 1 }, ref: win([1, 1], [[1, 0], [0, 1]], [2, 2]) },
];

for (const backend of BACKENDS) {
  describe(`pooling on the ${backend.name} backend`, () => {
    before(() => setBackend(backend));
    after(() => setBackend(jsBackend));

    test('by hand: max and average of 2×2 blocks; same-padded averages count only real cells', () => {
      const x = nb.tensor([1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [1, 3, 3, 1] });
      assert.deepEqual(Array.from(maxPool2d(x, 2).data()), [5]);
      assert.deepEqual(Array.from(maxPool2d(x, 2, { padding: 'same' }).data()), [5, 6, 8, 9]);
      assert.deepEqual(Array.from(avgPool2d(x, 2, { padding: 'same' }).data()), [3, 4.5, 7.5, 9]);
      assert.deepEqual(Array.from(avgPool2d(x, 2, { padding: 'same', countIncludePad: true }).data()), [3, 2.25, 3.75, 2.25]);
      // padding never wins a max, even when every real value is negative
      assert.deepEqual(Array.from(maxPool2d(nb.neg(x), 2, { padding: 'same' }).data()), [-1, -3, -7, -9]);
    });

    for (const c of poolCases) {
      test(`maxPool2d and avgPool2d ${c.label} match the direct loop, both formats`, () => {
        const x = rnd(c.x, 1);
        const xf = nb.permute(x, [0, 3, 1, 2]);
        assertClose(maxPool2d(x, c.pool, c.opts), refPool2d(arr(x), 'max', c.pool, c.ref));
        assertClose(avgPool2d(x, c.pool, c.opts), refPool2d(arr(x), 'avg', c.pool, c.ref));
        assertClose(avgPool2d(x, c.pool, { ...c.opts, countIncludePad: true }), refPool2d(arr(x), 'avgIncludePad', c.pool, c.ref));
        const yf = maxPool2d(xf, c.pool, { ...c.opts, dataFormat: 'channelsFirst' });
        assertClose(yf, transposeArr(refPool2d(arr(x), 'max', c.pool, c.ref), [0, 3, 1, 2]));
        const af = avgPool2d(xf, c.pool, { ...c.opts, dataFormat: 'channelsFirst' });
        assertClose(af, transposeArr(refPool2d(arr(x), 'avg', c.pool, c.ref), [0, 3, 1, 2]));
      });
    }

    test('maxPool1d and avgPool1d match the direct loop (valid, same, strides, channelsFirst)', () => {
      const x = rnd([2, 9, 3], 2);
      const ref = (kind: 'max' | 'avg', k: number, s: number, pads: [number, number]) =>
        withoutAxis(refPool2d(withAxis(arr(x), 1), kind, [1, k], win([1, s], [[0, 0], pads])), 1);
      assertClose(maxPool1d(x, 2), ref('max', 2, 2, [0, 0]));
      assertClose(avgPool1d(x, 3, { strides: 2 }), ref('avg', 3, 2, [0, 0]));
      assertClose(maxPool1d(x, 4, { padding: 'same', strides: 3 }), ref('max', 4, 3, samePads(9, 4, 3, 1)));
      assertClose(avgPool1d(x, 4, { padding: 'same', strides: 3 }), ref('avg', 4, 3, samePads(9, 4, 3, 1)));
      const yf = avgPool1d(nb.permute(x, [0, 2, 1]), 2, { padding: 'same', dataFormat: 'channelsFirst' });
      assertClose(nb.permute(yf, [0, 2, 1]), ref('avg', 2, 2, samePads(9, 2, 2, 1)));
    });

    test('global pools: mean and max over the spatial axes, keepDims, both formats', () => {
      const x = rnd([2, 3, 4, 5], 3);
      const a = arr(x);
      const per = (f: (vals: number[]) => number): number[] => {
        const out: number[] = [];
        for (let n = 0; n < 2; n++) {
          for (let c = 0; c < 5; c++) {
            const vals: number[] = [];
            for (let s = 0; s < 12; s++) vals.push(a.data[(n * 12 + s) * 5 + c]!);
            out.push(f(vals));
          }
        }
        return out;
      };
      const means = per((v) => v.reduce((s, t) => s + t, 0) / v.length);
      const maxes = per((v) => Math.max(...v));
      assertClose(globalAvgPool2d(x), { shape: [2, 5], data: means });
      assertClose(globalMaxPool2d(x), { shape: [2, 5], data: maxes });
      assertClose(globalAvgPool2d(nb.permute(x, [0, 3, 1, 2]), { dataFormat: 'channelsFirst', keepDims: true }), { shape: [2, 5, 1, 1], data: means });
      assertClose(globalMaxPool2d(x, { keepDims: true }), { shape: [2, 1, 1, 5], data: maxes });
      const seq = nb.reshape(x, [2, 12, 5]);
      assertClose(globalAvgPool1d(seq), { shape: [2, 5], data: means });
      assertClose(globalMaxPool1d(nb.permute(seq, [0, 2, 1]), { dataFormat: 'channelsFirst' }), { shape: [2, 5], data: maxes });
    });

    test('upsampleNearest2d repeats every pixel into a block (both formats)', () => {
      const x = nb.tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
      assert.deepEqual(upsampleNearest2d(x, [2, 3]).toArray(), [[
        [[1], [1], [1], [2], [2], [2]], [[1], [1], [1], [2], [2], [2]],
        [[3], [3], [3], [4], [4], [4]], [[3], [3], [3], [4], [4], [4]],
      ]]);
      const xf = rnd([2, 3, 2, 2], 4);
      const yf = upsampleNearest2d(xf, 2, { dataFormat: 'channelsFirst' });
      assert.deepEqual(yf.shape, [2, 3, 4, 4]);
      const a = arr(xf);
      const expected: number[] = [];
      for (let k = 0; k < 2 * 3; k++) for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expected.push(a.data[k * 4 + (i >> 1) * 2 + (j >> 1)]!);
      assertClose(yf, { shape: [2, 3, 4, 4], data: expected });
    });

    test('the max-pool gradient goes to the maximum of each window', () => {
      const x = nb.tensor([1, 5, 2, 0, 3, 4, 9, 8, 7], { shape: [1, 3, 3, 1], dtype: 'float64' }).requireGrad();
      nb.sum(maxPool2d(x, 2, { strides: 1 })).backward();
      // windows [1,5,0,3]→5, [5,2,3,4]→5, [0,3,9,8]→9, [3,4,8,7]→8: the 5 collects two gradients
      assert.deepEqual(Array.from(x.grad!.data()), [0, 2, 0, 0, 0, 0, 1, 1, 0]);
      // a tie sends the whole gradient to the first maximum in window order, as PyTorch does
      const flat = nb.ones([1, 2, 2, 1]).requireGrad();
      nb.sum(maxPool2d(flat, 2)).backward();
      assert.deepEqual(Array.from(flat.grad!.data()), [1, 0, 0, 0]);
    });

    test('the max pool primitive (maxima and arg-max in one kernel pass) agrees with the composite (im2col, argmax, gather): values, NaNs, gradients', () => {
      // the composite: every window laid out with −∞ padding, the first arg-max gathered
      const composite = (x: Tensor, pool: [number, number], opts: PoolOptions): Tensor => {
        const [n, h, w, c] = x.shape as [number, number, number, number];
        const p = windowParams(slidingWindow('test', 'pool window', [h, w], pool, { ...opts, strides: opts.strides ?? pool }));
        const kk = pool[0] * pool[1];
        const m = n * p.grid[0] * p.grid[1];
        const patches = nb.reshape(im2col(x, p, -Infinity), [m, kk, c]);
        const rowStart = nb.tensor(Array.from({ length: m * c }, (_, i) => Math.floor(i / c) * kk * c + (i % c)), { shape: [m, c], dtype: 'int32' });
        const at = nb.add(nb.mul(nb.argmax(patches, 1), c), rowStart);
        return nb.reshape(nb.gather(nb.reshape(patches, [m * kk * c]), nb.reshape(at, [m * c]), 0), [n, p.grid[0], p.grid[1], c]);
      };
      const cases: [number[], [number, number], PoolOptions][] = [
        [[3, 9, 8, 5], [2, 2], {}],
        [[2, 7, 7, 3], [3, 3], { strides: 2, padding: 'same' }],
        [[1, 8, 9, 4], [2, 3], { strides: [1, 2], padding: 1, dilation: [2, 1] }],
      ];
      for (const [dtype, seed] of [['float32', 1], ['float64', 2]] as const) {
        for (const [shape, pool, opts] of cases) {
          const base = rnd(shape, seed, dtype).data();
          // ties (rounded values) and a few NaNs: the first maximum wins, a NaN wins
          const vals = Array.from(base, (v, i) => (i % 17 === 3 ? NaN : Math.round(v * 2) / 2));
          const x1 = nb.tensor(vals, { shape, dtype }).requireGrad();
          const x2 = nb.tensor(vals, { shape, dtype }).requireGrad();
          const y1 = maxPool2d(x1, pool, opts), y2 = composite(x2, pool, opts);
          assert.deepEqual(Array.from(y1.data()), Array.from(y2.data()), `${dtype} ${JSON.stringify(opts)} values`);
          const g = rnd([...y1.shape], seed + 5, dtype);
          nb.sum(nb.mul(y1, g)).backward();
          nb.sum(nb.mul(y2, g)).backward();
          assert.deepEqual(Array.from(x1.grad!.data()), Array.from(x2.grad!.data()), `${dtype} ${JSON.stringify(opts)} gradients`);
        }
      }
    });

    test('max pooling over more channels than one kernel block (64): values and gradients against the direct loop', () => {
      // 70 channels: a full block of 64 and a short one of 6; odd image sizes, a cut-off last window
      const x = rnd([2, 7, 5, 70], 21).requireGrad();
      const y = maxPool2d(x, 2, { padding: 'same' });
      assertClose(y, refPool2d(arr(x), 'max', [2, 2], win([2, 2], [samePads(7, 2, 2, 1), samePads(5, 2, 2, 1)])));
      nb.sum(y).backward();
      // each window's maximum collects 1, every other cell 0: the gradient sums to the output count
      const gx = Array.from(x.grad!.data());
      assert.equal(gx.reduce((a, b) => a + b, 0), y.size);
      assert.ok(gx.every((v) => v === 0 || v === 1));
    });

    test('the max-pool gradient is differentiable again (second order, through the scatter)', () => {
      const w = rnd([1, 4, 6, 2], 23);
      // d/dv Σ w·∂/∂x Σ(maxPool(x)·v) = w gathered at each window's arg-max
      const second = (x: Tensor, v: Tensor): Tensor => {
        const gx = nb.grad((a: Tensor) => nb.sum(nb.mul(maxPool2d(a, 2), v)), { argnums: 0 })(x, v) as Tensor;
        return nb.sum(nb.mul(gx, w));
      };
      gradcheck(second, [rnd([1, 4, 6, 2], 24), rnd([1, 2, 3, 2], 25)]);
    });

    test('gradcheck (float64): max and average pools, strides and padding modes', () => {
      gradcheck((a) => maxPool2d(a!, 3, { strides: 2, padding: 'same' }), [rnd([1, 5, 4, 2], 5)]);
      gradcheck((a) => maxPool2d(a!, [2, 3], { strides: [1, 2], padding: 1, dataFormat: 'channelsFirst' }), [rnd([1, 2, 4, 5], 6)]);
      gradcheck((a) => avgPool2d(a!, 3, { strides: 2, padding: 'same' }), [rnd([1, 5, 4, 2], 7)]);
      gradcheck((a) => avgPool2d(a!, 2, { padding: [[1, 0], [0, 1]], countIncludePad: true }), [rnd([2, 3, 3, 1], 8)]);
      gradcheck((a) => maxPool1d(a!, 3, { strides: 2, padding: 'same' }), [rnd([1, 7, 2], 9)]);
      gradcheck((a) => avgPool1d(a!, 2, { dataFormat: 'channelsFirst' }), [rnd([1, 2, 5], 10)]);
      gradcheck((a) => globalMaxPool2d(a!), [rnd([2, 3, 3, 2], 11)]);
      gradcheck((a) => globalAvgPool1d(a!), [rnd([2, 4, 3], 12)]);
      gradcheck((a) => upsampleNearest2d(a!, [2, 1]), [rnd([1, 2, 3, 2], 13)]);
    });
  });
}

test('pool errors name the op, the shapes and the remedy', () => {
  const x = nb.zeros([1, 4, 4, 2]);
  assert.throws(() => maxPool2d(nb.zeros([4, 4, 2]), 2), { name: 'ShapeError', message: /^maxPool2d: expected a 4-D input \[batch, height, width, channels\], got shape \[4,4,2\]/ });
  assert.throws(() => avgPool1d(x, 2), { name: 'ShapeError', message: /^avgPool1d: expected a 3-D input \[batch, length, channels\], got shape \[1,4,4,2\]/ });
  assert.throws(() => maxPool2d(x, 5), { name: 'ShapeError', message: /^maxPool2d: the 5×5 pool window is larger than the padded input 4×4/ });
  assert.throws(() => maxPool2d(x, 0), { name: 'ValueError', message: /^maxPool2d: poolSize must be a positive integer or 2 of them, got 0/ });
  assert.throws(() => avgPool2d(x, 2, { strides: -1 }), { name: 'ValueError', message: /^avgPool2d: strides must be a positive integer or 2 of them, got -1/ });
  assert.throws(() => maxPool2d(x, 2, { padding: 2 }), { name: 'ValueError', message: /^maxPool2d: padding 2 is more than half the 2×2 pool window; use at most 1/ });
  assert.throws(() => maxPool2d(x, 2, { padding: 'causal' }), { name: 'ValueError', message: /^maxPool2d: 'causal' padding is only for 1-D/ });
  assert.throws(() => maxPool2d(nb.zeros([1, 4, 4, 2], { dtype: 'int32' }), 2), { name: 'DTypeError', message: /^maxPool2d: expected a float input, got int32/ });
  assert.throws(() => globalAvgPool2d(nb.zeros([2, 3])), { name: 'ShapeError', message: /^globalAvgPool2d: expected a 4-D input/ });
  assert.throws(() => upsampleNearest2d(x, 0), { name: 'ValueError', message: /^upsampleNearest2d: size must be a positive integer or 2 of them, got 0/ });
});
