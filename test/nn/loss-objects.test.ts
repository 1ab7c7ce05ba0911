// Keras-style loss objects and losses by name with options: values against hand-computed
// references, configs that rebuild them, and clear errors for options that do not exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

const logits = nb.tensor([[2, 1, 0], [0, 0, 3]]);
const labels = nb.tensor([0, 2], { dtype: 'int32' });
// −log softmax(row)[label], by hand
const ce0 = Math.log(1 + Math.exp(-1) + Math.exp(-2));
const ce1 = Math.log(2 + Math.exp(3)) - 3;

test('SparseCategoricalCrossentropy({ fromLogits: true }) is callable and equals the hand-computed cross-entropy', () => {
  const loss = new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true });
  assert.equal(typeof loss, 'function');
  assert.ok(loss instanceof nb.losses.Loss);
  close(loss(labels, logits).item(), (ce0 + ce1) / 2);
  assert.deepEqual(Array.from(loss(labels, logits, { reduction: 'none' }).data()).map((v) => +v.toFixed(5)), [+ce0.toFixed(5), +ce1.toFixed(5)]);
  close(new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true, reduction: 'sum' })(labels, logits).item(), ce0 + ce1);
  // the function form is unchanged and agrees
  close(nb.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }).item(), (ce0 + ce1) / 2);
  // one-hot targets: the same numbers through CategoricalCrossentropy
  const oneHot = nb.tensor([[1, 0, 0], [0, 0, 1]]);
  close(new nb.losses.CategoricalCrossentropy({ fromLogits: true })(oneHot, logits).item(), (ce0 + ce1) / 2);
});

test('BinaryCrossentropy, MeanSquaredError, MeanAbsoluteError and Huber objects give the textbook values', () => {
  const y = nb.tensor([[1], [0]]);
  const x = nb.tensor([[0.5], [-1]]);
  // −[y log σ(x) + (1 − y) log(1 − σ(x))]
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  const bce = (-Math.log(sig(0.5)) - Math.log(1 - sig(-1))) / 2;
  close(new nb.losses.BinaryCrossentropy({ fromLogits: true })(y, x).item(), bce);
  // smoothing 0.2: targets 0.9 and 0.1
  const smooth = (-(0.9 * Math.log(sig(0.5)) + 0.1 * Math.log(1 - sig(0.5))) - (0.1 * Math.log(sig(-1)) + 0.9 * Math.log(1 - sig(-1)))) / 2;
  close(new nb.losses.BinaryCrossentropy({ fromLogits: true, labelSmoothing: 0.2 })(y, x).item(), smooth);
  const t = nb.tensor([0, 0, 0]);
  const p = nb.tensor([1, -3, 0.5]);
  close(new nb.losses.MeanSquaredError()(t, p).item(), (1 + 9 + 0.25) / 3);
  close(new nb.losses.MeanAbsoluteError()(t, p).item(), (1 + 3 + 0.5) / 3);
  // δ = 2: ½d² for |d| ≤ 2, 2(|d| − 1) beyond
  close(new nb.losses.Huber({ delta: 2 })(t, p).item(), (0.5 + 2 * (3 - 1) + 0.125) / 3);
  close(new nb.losses.Huber()(t, p).item(), (0.5 + (3 - 0.5) + 0.125) / 3);
});

test('getConfig/fromConfig rebuild each loss object, and compile-style configs give the same objects', () => {
  const objects = [
    new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true, labelSmoothing: 0.1 }),
    new nb.losses.CategoricalCrossentropy({ reduction: 'sum' }),
    new nb.losses.BinaryCrossentropy({ fromLogits: true }),
    new nb.losses.MeanSquaredError({ reduction: 'none' }),
    new nb.losses.MeanAbsoluteError(),
    new nb.losses.Huber({ delta: 0.5 }),
  ];
  assert.deepEqual(objects[0]!.getConfig(), { name: 'sparseCategoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1, reduction: 'mean' });
  assert.deepEqual(objects[5]!.getConfig(), { name: 'huber', delta: 0.5, reduction: 'mean' });
  for (const loss of objects) {
    const config = JSON.parse(JSON.stringify(loss.getConfig())) as nb.losses.LossConfig;
    const cls = loss.constructor as unknown as { fromConfig(c: nb.losses.LossConfig): nb.losses.Loss };
    const again = cls.fromConfig(config);
    assert.equal(again.constructor, loss.constructor);
    assert.deepEqual(again.getConfig(), loss.getConfig());
    const byName = nb.losses.getLoss(config) as nb.losses.Loss;
    assert.deepEqual(byName.getConfig(), loss.getConfig());
  }
  assert.deepEqual((nb.losses.getLoss('sparse_categorical_crossentropy') as nb.losses.Loss).getConfig(), { name: 'sparseCategoricalCrossentropy', fromLogits: false, labelSmoothing: 0, reduction: 'mean' });
  assert.equal((nb.losses.getLoss('mse') as nb.losses.Loss).name, 'meanSquaredError');
});

test('unknown or malformed loss options are errors that name the option and the fix', () => {
  assert.throws(() => new nb.losses.SparseCategoricalCrossentropy({ from_logits: true } as never), /sparseCategoricalCrossentropy: unknown option 'from_logits' \(did you mean 'fromLogits'\?\); valid options are 'fromLogits', 'labelSmoothing', 'reduction'/);
  assert.throws(() => nb.losses.getLoss({ name: 'mse', fromLogits: true }), /meanSquaredError: unknown option 'fromLogits'; valid options are 'reduction'/);
  assert.throws(() => new nb.losses.BinaryCrossentropy({ fromLogits: 'yes' as never }), /binaryCrossentropy: fromLogits must be true or false, got "yes"/);
  assert.throws(() => new nb.losses.Huber({ delta: 0 }), /huber: delta must be a positive number, got 0/);
  assert.throws(() => new nb.losses.MeanSquaredError({ reduction: 'avg' as never }), /meanSquaredError: reduction must be 'mean', 'sum' or 'none', got "avg"/);
  assert.throws(() => nb.losses.getLoss({ name: 'crossentropy' }), /Unknown loss 'crossentropy'\. Valid: meanSquaredError \(mse\)/);
  assert.throws(() => nb.losses.getLoss(42 as never), /Unknown loss 42\. Pass a name/);
});

test('registerLoss makes a function findable by name; it takes no options and cannot shadow a built-in', () => {
  const twiceMse = (y: nb.Tensor, p: nb.Tensor) => nb.losses.meanSquaredError(y, p).mul(2);
  nb.losses.registerLoss('twiceMse', twiceMse);
  assert.equal(nb.losses.getLoss('twice_mse'), twiceMse);
  assert.throws(() => nb.losses.getLoss({ name: 'twiceMse', delta: 1 }), /loss 'twiceMse' is a registered function and takes no options, got 'delta'/);
  assert.throws(() => nb.losses.registerLoss('mse', twiceMse), /registerLoss: 'mse' is a built-in loss; choose another name/);
});
