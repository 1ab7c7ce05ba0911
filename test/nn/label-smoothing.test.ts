/**
 * labelSmoothing in the cross-entropy losses: values against hand computation (Keras'
 * y·(1 − ε) + ε/C and y·(1 − ε) + ε/2; PyTorch's label_smoothing for integer labels), stability
 * from logits, float64 gradchecks, and the option's validation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';

const { categoricalCrossentropy, binaryCrossentropy, sparseCategoricalCrossentropy } = nb.losses;

function close(actual: number, expected: number, tol = 1e-6, what = 'loss'): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: ${actual} vs ${expected}`);
}

const logSoftmaxOf = (row: number[]) => {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return row.map((v) => v - lse);
};

test('categoricalCrossentropy with labelSmoothing uses the target y·(1 − ε) + ε/C', () => {
  const probs = [0.2, 0.7, 0.1];
  // ε = 0.3, C = 3: [0, 1, 0] → [0.1, 0.8, 0.1]
  const expected = -(0.1 * Math.log(0.2) + 0.8 * Math.log(0.7) + 0.1 * Math.log(0.1));
  const loss = categoricalCrossentropy(nb.tensor([[0, 1, 0]]), nb.tensor([probs]), { labelSmoothing: 0.3 });
  close(loss.item(), expected);
  const logits = [1, 2, -1];
  const lp = logSoftmaxOf(logits);
  const fromLogits = categoricalCrossentropy(nb.tensor([[0, 1, 0]]), nb.tensor([logits]), { fromLogits: true, labelSmoothing: 0.3 });
  close(fromLogits.item(), -(0.1 * lp[0]! + 0.8 * lp[1]! + 0.1 * lp[2]!));
  // ε = 0 is the plain loss; ε = 1 is the cross-entropy against the uniform distribution
  close(categoricalCrossentropy(nb.tensor([[0, 1, 0]]), nb.tensor([probs]), { labelSmoothing: 0 }).item(), -Math.log(0.7));
  close(categoricalCrossentropy(nb.tensor([[0, 1, 0]]), nb.tensor([logits]), { fromLogits: true, labelSmoothing: 1 }).item(), -(lp[0]! + lp[1]! + lp[2]!) / 3);
});

test('binaryCrossentropy with labelSmoothing uses the target y·(1 − ε) + ε/2', () => {
  const y = nb.tensor([[1, 0]]);
  const p = [0.8, 0.4];
  // ε = 0.2: 1 → 0.9, 0 → 0.1; the loss is the mean over the last axis
  const bce = (t: number, q: number) => -(t * Math.log(q) + (1 - t) * Math.log(1 - q));
  const expected = (bce(0.9, 0.8) + bce(0.1, 0.4)) / 2;
  close(binaryCrossentropy(y, nb.tensor([p]), { labelSmoothing: 0.2 }).item(), expected);
  const logits = [1.5, -0.5];
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  close(binaryCrossentropy(y, nb.tensor([logits]), { fromLogits: true, labelSmoothing: 0.2 }).item(), (bce(0.9, sig(1.5)) + bce(0.1, sig(-0.5))) / 2);
});

test('sparseCategoricalCrossentropy with labelSmoothing matches PyTorch: (1 − ε)·nll + ε·mean over classes of −log p', () => {
  const logits = [[2, 0.5, -1, 0], [0, 0, 3, 1]];
  const labels = [1, 2];
  const eps = 0.1;
  const expected =
    logits.map((row, i) => {
      const lp = logSoftmaxOf(row);
      return (1 - eps) * -lp[labels[i]!]! + eps * -(lp.reduce((a, b) => a + b, 0) / row.length);
    }).reduce((a, b) => a + b, 0) / 2;
  const loss = sparseCategoricalCrossentropy(nb.tensor(labels, { dtype: 'int32' }), nb.tensor(logits), { fromLogits: true, labelSmoothing: eps });
  close(loss.item(), expected);
  // the same as categorical crossentropy on one-hot targets with the same ε
  const oneHot = nb.tensor([[0, 1, 0, 0], [0, 0, 1, 0]]);
  close(loss.item(), categoricalCrossentropy(oneHot, nb.tensor(logits), { fromLogits: true, labelSmoothing: eps }).item());
  // from probabilities, with reduction 'none'
  const probs = nb.softmax(nb.tensor(logits), -1);
  const perSample = sparseCategoricalCrossentropy(nb.tensor(labels, { dtype: 'int32' }), probs, { labelSmoothing: eps, reduction: 'none' });
  assert.deepEqual(perSample.shape, [2]);
  close(perSample.mean().item(), expected, 1e-5);
});

test('label smoothing stays finite from extreme logits', () => {
  const logits = nb.tensor([[1000, -1000, 0]]);
  const l1 = categoricalCrossentropy(nb.tensor([[1, 0, 0]]), logits, { fromLogits: true, labelSmoothing: 0.1 });
  const l2 = sparseCategoricalCrossentropy(nb.tensor([0], { dtype: 'int32' }), logits, { fromLogits: true, labelSmoothing: 0.1 });
  const l3 = binaryCrossentropy(nb.tensor([[1, 0]]), nb.tensor([[1000, -1000]]), { fromLogits: true, labelSmoothing: 0.1 });
  // −(ε/3)·(log p1 + log p2 + log p3) with log p2 = −2000, log p3 = −1000, log p1 ≈ 0
  close(l1.item(), (0.1 / 3) * 3000, 1e-2, 'categorical');
  close(l2.item(), (0.1 / 3) * 3000, 1e-2, 'sparse');
  close(l3.item(), 0.05 * 1000, 1e-2, 'binary');
});

test('label smoothing gradients pass gradcheck in float64', () => {
  const g = new nb.Generator(3);
  const logits = nb.randn([3, 4], { dtype: 'float64', generator: g });
  const probs = nb.softmax(nb.randn([3, 4], { dtype: 'float64', generator: g }), -1);
  const oneHot = nb.tensor([[1, 0, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], { dtype: 'float64' });
  const labels = nb.tensor([0, 2, 3], { dtype: 'int32' });
  const bin = nb.tensor([[1, 0, 1, 0], [0, 0, 1, 1], [1, 1, 0, 0]], { dtype: 'float64' });
  const sig = nb.sigmoid(nb.randn([3, 4], { dtype: 'float64', generator: g }));
  const cases: [string, (x: nb.Tensor) => nb.Tensor, nb.Tensor][] = [
    ['categorical, logits', (x) => categoricalCrossentropy(oneHot, x, { fromLogits: true, labelSmoothing: 0.2 }), logits],
    ['categorical, probs', (x) => categoricalCrossentropy(oneHot, x, { labelSmoothing: 0.2 }), probs],
    ['sparse, logits', (x) => sparseCategoricalCrossentropy(labels, x, { fromLogits: true, labelSmoothing: 0.2 }), logits],
    ['sparse, probs', (x) => sparseCategoricalCrossentropy(labels, x, { labelSmoothing: 0.2 }), probs],
    ['binary, logits', (x) => binaryCrossentropy(bin, x, { fromLogits: true, labelSmoothing: 0.2 }), logits],
    ['binary, probs', (x) => binaryCrossentropy(bin, x, { labelSmoothing: 0.2 }), sig],
  ];
  for (const [name, fn, x] of cases) {
    const r = nb.testing.gradcheck(fn, [x]);
    assert.ok(r.ok, `${name}: ${JSON.stringify(r.worst)}`);
  }
  // from logits, the gradient is softmax(x) − smoothed target
  const x = nb.tensor([[0.5, -1, 2]], { dtype: 'float64', requiresGrad: true });
  categoricalCrossentropy(nb.tensor([[0, 0, 1]], { dtype: 'float64' }), x, { fromLogits: true, labelSmoothing: 0.3 }).backward();
  const p = nb.softmax(x.detach(), -1).data();
  const target = [0.1, 0.1, 0.8];
  Array.from(x.grad!.data()).forEach((v, i) => close(v, p[i]! - target[i]!, 1e-12, `grad[${i}]`));
});

test('labelSmoothing must be a number in [0, 1]', () => {
  const y = nb.tensor([[0, 1]]);
  const p = nb.tensor([[0.3, 0.7]]);
  assert.throws(() => categoricalCrossentropy(y, p, { labelSmoothing: 1.5 }), /categoricalCrossentropy: labelSmoothing must be a number in \[0, 1\], got 1.5/);
  assert.throws(() => binaryCrossentropy(y, p, { labelSmoothing: -0.1 }), /binaryCrossentropy: labelSmoothing must be a number in \[0, 1\], got -0.1/);
  assert.throws(
    () => sparseCategoricalCrossentropy(nb.tensor([1], { dtype: 'int32' }), p, { labelSmoothing: Number.NaN }),
    /sparseCategoricalCrossentropy: labelSmoothing must be a number in \[0, 1\], got NaN/,
  );
});
