import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { layers } from '../../src/nn/index.js';
import type { Tensor } from '../../src/index.js';
import { activationBytes } from '../../src/nn/summary.js';

/** x·W → tanh → ×2: three [batch, 5] float32 results and the scalar 2 stay in the graph. */
class Tiny extends nb.Layer {
  w!: Tensor;
  override build(): void {
    this.w = this.addWeight('w', [3, 5], 'glorotUniform');
  }
  call(x: Tensor): Tensor {
    return x.matmul(this.w).tanh().mul(2);
  }
}

test('activation memory counts every tensor the graph keeps, per batch size', () => {
  const t = new Tiny({ name: 'tiny' });
  assert.match(t.summary({ printFn: null }), /Activation memory: unknown until the layer has run once \(apply or fit\)/);
  t.apply(nb.zeros([8, 3]));
  // hand count: 3 tensors of batch·5 float32 values, plus the 4-byte scalar 2
  assert.equal(activationBytes(t), 3 * 8 * 5 * 4 + 4);
  assert.equal(activationBytes(t, 100), 3 * 100 * 5 * 4 + 4);
  assert.match(t.summary({ printFn: null }), /Non-trainable params: 0 \(0 B\)\n Activation memory \(batch 8, training\): 484 B kept for backward \(estimated by tracing one step\)$/);
  assert.match(t.summary({ batchSize: 1000, printFn: null }), /Activation memory \(batch 1000, training\): 60\.0 kB kept/);
  assert.deepEqual(t.lastInputShape, [8, 3], 'the trace does not show up as the last apply');
  assert.throws(() => t.summary({ batchSize: 0, printFn: null }), /summary: batchSize must be a positive integer, got 0/);
});

test('the trace runs in training mode but leaves random streams and moving statistics as they were', () => {
  const model = new nb.Sequential([new layers.Dense(6), new layers.BatchNormalization(), new layers.Dropout(0.5), new layers.Dense(2)]);
  model.apply(nb.randn([4, 3]), true);
  const stats = model.nonTrainableWeights.map((w) => w.toArray());
  nb.manualSeed(21);
  const bytes = activationBytes(model, 16)!;
  const next = nb.rand([4]).toArray();
  nb.manualSeed(21);
  assert.deepEqual(nb.rand([4]).toArray(), next, 'the dropout draws of the trace were rewound');
  assert.deepEqual(model.nonTrainableWeights.map((w) => w.toArray()), stats, 'moving statistics untouched');
  // the dropout mask is part of what training keeps: the same model without it keeps less
  const noDrop = new nb.Sequential([new layers.Dense(6), new layers.BatchNormalization(), new layers.Dense(2)]);
  noDrop.apply(nb.randn([4, 3]), true);
  assert.ok(bytes > activationBytes(noDrop, 16)! + 16 * 6 * 4 - 1, `${bytes}`);
});

test('a frozen first layer keeps no activations of its own when its input needs no gradient', () => {
  const make = (frozen: boolean) => {
    const m = new nb.Sequential([new layers.Dense(64), new layers.Dense(2)]);
    m.apply(nb.zeros([10, 3]));
    if (frozen) m.layers[0]!.trainable = false;
    return activationBytes(m)!;
  };
  assert.ok(make(true) < make(false));
});

test('a model that only takes int32 token ids is traced on int32 zeros', () => {
  class Lookup extends nb.Layer {
    table!: Tensor;
    override build(): void {
      this.table = this.addWeight('table', [10, 4], 'glorotUniform');
    }
    call(ids: Tensor): Tensor {
      return nb.embedding(ids, this.table).tanh();
    }
  }
  const m = new Lookup();
  m.apply(nb.tensor([[1, 2, 3]], { dtype: 'int32' }));
  // the lookup [1,3,4] and its tanh, float32; the int32 ids [1,3] are the excluded batch
  assert.equal(activationBytes(m), 2 * 3 * 4 * 4);
  assert.equal(activationBytes(m, 5), 2 * 5 * 3 * 4 * 4);
});
