/**
 * `ceilMode` of the pooling ops and layers (PyTorch's `ceil_mode`): output sizes, values written
 * out by hand (last partial window, windows starting in the right padding dropped, the divisor of
 * the average with and without `countIncludePad`), float64 gradchecks, layer config round trip.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { jsBackend, setBackend, type Backend, type Tensor } from '../../src/index.js';
import { nativeBackend } from '../../src/backend/native/index.js';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d } from '../../src/ops/pool.js';
import { runLayerTest } from './run-layer-test.js';

const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = native ? [jsBackend, native] : [jsBackend];
const { layers } = nb;

/** A `[1, L, 1]` sequence of the given values. */
const seq = (values: number[], dtype: 'float32' | 'float64' = 'float64'): Tensor => nb.tensor(values, { shape: [1, values.length, 1], dtype });

function assertValues(t: Tensor, shape: number[], values: number[]): void {
  assert.deepEqual(t.shape, shape, 'shape');
  Array.from(t.data()).forEach((v, i) => assert.ok(Math.abs(v - values[i]!) < 1e-12, `element ${i}: ${v} != ${values[i]}`));
}

/** The 5×5 image x[i][j] = 5i + j as `[1, 5, 5, 1]`. */
const grid5 = (): Tensor => nb.reshape(nb.arange(0, 25, 1, { dtype: 'float64' }), [1, 5, 5, 1]);

for (const backend of BACKENDS) {
  describe(`ceilMode on the ${backend.name} backend`, () => {
    before(() => setBackend(backend));
    after(() => setBackend(jsBackend));

    test('1-D, no padding: a last window of one element covers the end', () => {
      const x = seq([1, 2, 3, 4, 5]);
      assertValues(maxPool1d(x, 2), [1, 2, 1], [2, 4]);
      assertValues(maxPool1d(x, 2, { ceilMode: true }), [1, 3, 1], [2, 4, 5]);
      // the last window holds only 5 (PyTorch divides by 1 either way: no padding to count)
      assertValues(avgPool1d(x, 2, { ceilMode: true }), [1, 3, 1], [1.5, 3.5, 5]);
      assertValues(avgPool1d(x, 2, { ceilMode: true, countIncludePad: true }), [1, 3, 1], [1.5, 3.5, 5]);
    });

    test('1-D with padding 1: padding is counted only with countIncludePad, the overhang never', () => {
      // L = 6, pool 3, stride 2, pad 1: windows start at -1, 1, 3, 5 → [p,1,2] [2,3,4] [4,5,6] [6,p,overhang]
      const x = seq([1, 2, 3, 4, 5, 6]);
      assertValues(maxPool1d(x, 3, { strides: 2, padding: 1 }), [1, 3, 1], [2, 4, 6]);
      assertValues(maxPool1d(x, 3, { strides: 2, padding: 1, ceilMode: true }), [1, 4, 1], [2, 4, 6, 6]);
      assertValues(avgPool1d(x, 3, { strides: 2, padding: 1, ceilMode: true }), [1, 4, 1], [1.5, 3, 5, 6]);
      // counting the padding: (0+1+2)/3, 9/3, 15/3, and (6+0)/2 — the overhang cell is not counted
      assertValues(avgPool1d(x, 3, { strides: 2, padding: 1, ceilMode: true, countIncludePad: true }), [1, 4, 1], [1, 3, 5, 3]);
    });

    test('a window that would start in the right padding is dropped', () => {
      // L = 4, pool 2, stride 3, pad 1: ceil gives 3 starts (-1, 2, 5), but 5 lies in the right padding
      const x = seq([1, 2, 3, 4]);
      assertValues(maxPool1d(x, 2, { strides: 3, padding: 1, ceilMode: true }), [1, 2, 1], [1, 4]);
      // L = 5, pool 2, stride 2, pad 1: windows [-1,0] [1,2] [3,4]; a 4th would start at 5 (padding)
      assertValues(maxPool1d(seq([1, 2, 3, 4, 5]), 2, { padding: 1, ceilMode: true }), [1, 3, 1], [1, 3, 5]);
    });

    test('2-D: 5×5 pooled 2×2 gives 3×3 with partial windows at the bottom and right', () => {
      assert.deepEqual(maxPool2d(grid5(), 2).shape, [1, 2, 2, 1]);
      assertValues(maxPool2d(grid5(), 2, { ceilMode: true }), [1, 3, 3, 1], [6, 8, 9, 16, 18, 19, 21, 23, 24]);
      // mean = 5·(mean row) + (mean column), rows/columns {0,1} → 0.5, {2,3} → 2.5, {4} → 4
      assertValues(avgPool2d(grid5(), 2, { ceilMode: true }), [1, 3, 3, 1], [3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24]);
      const first = nb.permute(grid5(), [0, 3, 1, 2]);
      const y = maxPool2d(first, 2, { ceilMode: true, dataFormat: 'channelsFirst' });
      assertValues(y, [1, 1, 3, 3], [6, 8, 9, 16, 18, 19, 21, 23, 24]);
    });

    test("ceilMode changes nothing where the windows fit, and nothing with 'same'", () => {
      const x = nb.randn([2, 6, 6, 3], { dtype: 'float64', generator: new nb.Generator(1) });
      assert.deepEqual(maxPool2d(x, 2, { ceilMode: true }).data(), maxPool2d(x, 2).data());
      const y = nb.randn([1, 7, 5, 2], { dtype: 'float64', generator: new nb.Generator(2) });
      assert.deepEqual(avgPool2d(y, 3, { strides: 2, padding: 'same', ceilMode: true }).data(), avgPool2d(y, 3, { strides: 2, padding: 'same' }).data());
    });

    test('gradcheck (float64) through partial windows', () => {
      const x = nb.randn([2, 5, 7, 2], { dtype: 'float64', generator: new nb.Generator(3) });
      for (const fn of [
        (t: Tensor) => maxPool2d(t, 2, { ceilMode: true }),
        (t: Tensor) => avgPool2d(t, 3, { strides: 2, padding: 1, ceilMode: true }),
        (t: Tensor) => avgPool2d(t, 3, { strides: 2, padding: 1, ceilMode: true, countIncludePad: true }),
        (t: Tensor) => maxPool1d(nb.reshape(t, [2, 35, 2]), 4, { strides: 3, ceilMode: true }),
      ]) {
        const r = nb.testing.gradcheck(fn, [x], { atol: 1e-6, rtol: 1e-5 });
        assert.ok(r.ok, `gradcheck failed: ${JSON.stringify(r.worst)}`);
      }
    });
  });
}

describe('pooling layers with ceilMode', () => {
  test('output shapes, values and computeOutputShape', () => {
    runLayerTest({ make: () => new layers.MaxPooling2D(2, { ceilMode: true }), input: nb.randn([2, 5, 7, 3]), outputShape: [2, 3, 4, 3], trainable: {} });
    runLayerTest({ make: () => new layers.AveragePooling2D(3, { strides: 2, ceilMode: true, dataFormat: 'channelsFirst' }), input: nb.randn([2, 3, 6, 6]), outputShape: [2, 3, 3, 3], trainable: {} });
    runLayerTest({ make: () => new layers.MaxPooling1D(2, { ceilMode: true }), input: nb.randn([2, 7, 3]), outputShape: [2, 4, 3], trainable: {} });
    runLayerTest({ make: () => new layers.AveragePooling1D(2, { ceilMode: true }), input: nb.randn([2, 7, 3]), outputShape: [2, 4, 3], trainable: {} });
    const avg = new layers.AveragePooling2D(2, { ceilMode: true }).apply(nb.cast(grid5(), 'float32'));
    assertValues(avg, [1, 3, 3, 1], [3, 5, 6.5, 13, 15, 16.5, 20.5, 22.5, 24]);
  });

  test('ceilMode is in the config (default false) and is validated', () => {
    assert.equal(new layers.MaxPooling2D(2).getConfig().ceilMode, false);
    assert.equal(new layers.AveragePooling1D(2, { ceilMode: true }).getConfig().ceilMode, true);
    assert.throws(() => new layers.MaxPooling2D(2, { ceilMode: 'yes' as unknown as boolean }), /MaxPooling2D: ceilMode must be true or false, got the string "yes"/);
  });
});
