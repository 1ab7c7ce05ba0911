/**
 * `UpSampling2D` with `interpolation: 'bilinear'` (Keras: `tf.image.resize`, half-pixel centres):
 * values worked out by hand, a direct-loop reference written from TensorFlow's formula (lower =
 * max(floor(p), 0), upper = min(ceil(p), n − 1), weight p − floor(p)), channels first, float64
 * gradcheck, config round trip, bad options.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { runLayerTest } from './run-layer-test.js';

const { UpSampling2D } = nb.layers;

function assertValues(t: Tensor, shape: number[], values: number[], tol = 1e-6): void {
  assert.deepEqual(t.shape, shape, 'shape');
  Array.from(t.data()).forEach((v, i) => assert.ok(Math.abs(v - values[i]!) <= tol, `element ${i}: ${v} != ${values[i]}`));
}

/** TensorFlow's half-pixel bilinear resize of `[N, H, W, C]` by whole factors, as plain loops. */
function tfBilinear(x: number[][][][], sh: number, sw: number): number[] {
  const out: number[] = [];
  const n = x.length, h = x[0]!.length, w = x[0]![0]!.length, c = x[0]![0]![0]!.length;
  const taps = (j: number, s: number, size: number): [number, number, number] => {
    const p = (j + 0.5) / s - 0.5;
    return [Math.max(Math.floor(p), 0), Math.min(Math.ceil(p), size - 1), p - Math.floor(p)];
  };
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h * sh; i++) {
      const [top, bottom, fy] = taps(i, sh, h);
      for (let j = 0; j < w * sw; j++) {
        const [left, right, fx] = taps(j, sw, w);
        for (let k = 0; k < c; k++) {
          const img = x[b]!;
          const upper = img[top]![left]![k]! + (img[top]![right]![k]! - img[top]![left]![k]!) * fx;
          const lower = img[bottom]![left]![k]! + (img[bottom]![right]![k]! - img[bottom]![left]![k]!) * fx;
          out.push(upper + (lower - upper) * fy);
        }
      }
    }
  }
  return out;
}

describe("UpSampling2D interpolation: 'bilinear'", () => {
  test('2×2 → 4×4 by hand (the numbers tf.image.resize gives)', () => {
    const x = nb.tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
    const y = new UpSampling2D(2, { interpolation: 'bilinear' }).apply(x);
    assertValues(y, [1, 4, 4, 1], [
      1, 1.25, 1.75, 2,
      1.5, 1.75, 2.25, 2.5,
      2.5, 2.75, 3.25, 3.5,
      3, 3.25, 3.75, 4,
    ]);
  });

  test('factor 3 along the width only: [0, 3] → [0, 0, 1, 2, 3, 3]', () => {
    const x = nb.tensor([0, 3], { shape: [1, 1, 2, 1] });
    assertValues(new UpSampling2D([1, 3], { interpolation: 'bilinear' }).apply(x), [1, 1, 6, 1], [0, 0, 1, 2, 3, 3]);
  });

  test('matches a direct loop of TensorFlow formula, both data formats', () => {
    const x = nb.randn([2, 3, 4, 2], { generator: new nb.Generator(5) });
    const ref = tfBilinear(x.toArray() as number[][][][], 3, 2);
    assertValues(new UpSampling2D([3, 2], { interpolation: 'bilinear' }).apply(x), [2, 9, 8, 2], ref, 1e-5);
    const first = new UpSampling2D([3, 2], { interpolation: 'bilinear', dataFormat: 'channelsFirst' }).apply(nb.permute(x, [0, 3, 1, 2]));
    assert.deepEqual(first.shape, [2, 2, 9, 8]);
    assertValues(nb.permute(first, [0, 2, 3, 1]).contiguous(), [2, 9, 8, 2], ref, 1e-5);
  });

  test('nearest is still the default and repeats pixels', () => {
    const x = nb.tensor([1, 2, 3, 4], { shape: [1, 2, 2, 1] });
    assertValues(new UpSampling2D(2).apply(x), [1, 4, 4, 1], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  test('gradcheck (float64), both data formats', () => {
    const x = nb.randn([2, 3, 2, 2], { dtype: 'float64', generator: new nb.Generator(7) });
    for (const dataFormat of ['channelsLast', 'channelsFirst'] as const) {
      const layer = new UpSampling2D([2, 3], { interpolation: 'bilinear', dataFormat, dtype: 'float64' });
      const r = nb.testing.gradcheck((t: Tensor) => layer.apply(t), [x], { atol: 1e-6, rtol: 1e-5 });
      assert.ok(r.ok, `${dataFormat}: gradcheck failed: ${JSON.stringify(r.worst)}`);
    }
  });

  test('runLayerTest: shapes, config and save/load round trip', () => {
    runLayerTest({ make: () => new UpSampling2D([2, 3], { interpolation: 'bilinear' }), input: nb.randn([2, 3, 4, 5]), outputShape: [2, 6, 12, 5], trainable: {} });
    runLayerTest({ make: () => new UpSampling2D(2, { interpolation: 'bilinear', dataFormat: 'channelsFirst' }), input: nb.randn([2, 3, 4, 5]), outputShape: [2, 3, 8, 10], trainable: {} });
    assert.equal(new UpSampling2D(2, { interpolation: 'bilinear' }).getConfig().interpolation, 'bilinear');
  });

  test('an unknown interpolation is refused by name', () => {
    assert.throws(() => new UpSampling2D(2, { interpolation: 'bicubic' as 'nearest' }), /UpSampling2D: interpolation must be 'nearest' or 'bilinear', got "bicubic"/);
  });
});
