/**
 * The fused primitives against the composites they replace (DESIGN: "keep a test that the fused
 * and composite forms agree"): values, first gradients (the fused backward kernels) and second
 * gradients (a recorded backward differentiates each primitive's own composite), on the JS and
 * the native backend; and second gradients against finite differences of the kernels' first
 * ones. Also: the cross-entropy losses take the logits of a softmax activation, and
 * Dense/LayerNormalization give what their unfused formulas give.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { backend, jsBackend, nativeBackend, setBackend, type Backend } from '../../src/backend/index.js';

const original = backend();
after(() => setBackend(original));
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = [jsBackend, ...(native ? [native] : [])];

function det(shape: readonly number[], seed: number, lo = -3, hi = 3): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = Array.from({ length: n }, (_, i) => lo + (hi - lo) * ((0.5 + (i + 1) * 0.6180339887498949 + seed * 0.381966) % 1));
  return nb.tensor(v, { shape, dtype: 'float64' });
}

function close(a: Tensor, b: Tensor, what: string, tol = 1e-10): void {
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  const x = a.data();
  const y = b.data();
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs(x[i]! - y[i]!) <= tol * (1 + Math.abs(y[i]!)), `${what}[${i}]: fused ${x[i]}, composite ${y[i]}`);
}

/**
 * Compares f (fused) and g (composite) on `inputs`: the value, the gradient of Σ w·out, and the
 * gradient of Σ (first gradient)² — the second one runs through the recorded VJP forms.
 */
function agree(what: string, inputs: Tensor[], f: (...x: Tensor[]) => Tensor, g: (...x: Tensor[]) => Tensor, diff: boolean[] = inputs.map(() => true)): void {
  const run = (fn: (...x: Tensor[]) => Tensor) => {
    const xs = inputs.map((t, i) => (diff[i] ? t.detach().requireGrad() : t));
    const out = fn(...xs);
    const w = det(out.shape, 9);
    const live = xs.filter((_, i) => diff[i]);
    const first = nb.gradients(nb.sum(nb.mul(out, w)), live, { createGraph: true });
    const second = nb.gradients(nb.sum(nb.concat(first.map((d) => nb.reshape(nb.mul(d, d), [-1])))), live, { allowUnused: true });
    return { out, first, second };
  };
  const a = run(f);
  const b = run(g);
  close(a.out, b.out, `${what}: value`);
  a.first.forEach((t, i) => close(t, b.first[i]!, `${what}: gradient ${i}`));
  a.second.forEach((t, i) => close(t, b.second[i]!, `${what}: second gradient ${i}`, 1e-8));
  // the plain backward (fused kernels, nothing recorded) gives the same first gradients
  const xs = inputs.map((t, i) => (diff[i] ? t.detach().requireGrad() : t));
  nb.sum(nb.mul(f(...xs), det(a.out.shape, 9))).backward();
  xs.filter((_, i) => diff[i]).forEach((x, i) => close(x.grad!, b.first[i]!, `${what}: backward() gradient ${i}`));
}

const lse = (x: Tensor) => nb.logSumExp(x, -1, true);
const ACT = { linear: (x: Tensor) => x, relu: nb.relu, sigmoid: nb.sigmoid, tanh: nb.tanh, gelu: (x: Tensor) => nb.gelu(x) };

for (const b of BACKENDS) {
  describe(`fused primitives agree with their composites (${b.name} backend)`, () => {
    test('softmax and logSoftmax', () => {
      setBackend(b);
      const x = det([4, 5], 1);
      agree('softmax', [x], (t) => nb.softmax(t), (t) => nb.div(nb.exp(nb.sub(t, lse(t))), 1));
      agree('logSoftmax', [x], (t) => nb.logSoftmax(t), (t) => nb.sub(t, lse(t)));
      setBackend(original);
    });

    test('crossEntropy: labels and targets, logits and probabilities, smoothing', () => {
      setBackend(b);
      const x = det([3, 4], 2);
      const p = det([3, 4], 3, 0.2, 1);
      const labels = nb.tensor([1, 3, 0], { dtype: 'int32' });
      const t = det([3, 4], 4, 0, 1);
      const smooth = (y: Tensor, e: number) => nb.add(nb.mul(y, 1 - e), e / 4);
      const logits = (y: Tensor, e: number) => (z: Tensor) => nb.neg(nb.sum(nb.mul(smooth(y, e), nb.sub(z, lse(z))), -1));
      const probs = (y: Tensor, e: number) => (z: Tensor) => nb.neg(nb.sum(nb.mul(smooth(y, e), nb.log(nb.clamp(nb.div(z, nb.sum(z, -1, true)), 1e-7, 1 - 1e-7))), -1));
      const onehot = nb.oneHot(labels, 4, 'float64');
      for (const e of [0, 0.2]) {
        agree(`labels from logits ε=${e}`, [x], (z) => nb.crossEntropy(z, labels, { smoothing: e }), logits(onehot, e));
        agree(`labels from probabilities ε=${e}`, [p], (z) => nb.crossEntropy(z, labels, { fromLogits: false, smoothing: e }), probs(onehot, e));
        agree(`targets from logits ε=${e}`, [x, t], (z, y) => nb.crossEntropy(z, y!, { smoothing: e }), (z, y) => logits(y!, e)(z));
        agree(`targets from probabilities ε=${e}`, [p, t], (z, y) => nb.crossEntropy(z, y!, { fromLogits: false, smoothing: e }), (z, y) => probs(y!, e)(z));
        // a constant target runs the fused backward kernel (one that takes gradients, the composite)
        agree(`constant targets from logits ε=${e}`, [x, t], (z, y) => nb.crossEntropy(z, y!, { smoothing: e }), (z, y) => logits(y!, e)(z), [true, false]);
        agree(`constant targets from probabilities ε=${e}`, [p, t], (z, y) => nb.crossEntropy(z, y!, { fromLogits: false, smoothing: e }), (z, y) => probs(y!, e)(z), [true, false]);
      }
      setBackend(original);
    });

    test('biasActivation for every fused activation, and with a constant bias', () => {
      setBackend(b);
      const y = det([5, 3], 5);
      const bias = det([3], 6, -1, 1);
      for (const [name, act] of Object.entries(ACT)) {
        agree(`biasActivation ${name}`, [y, bias], (u, v) => nb.biasActivation(u, v!, name as keyof typeof ACT), (u, v) => act(nb.add(u, v!)));
      }
      agree('biasActivation with a constant bias', [y, bias], (u, v) => nb.biasActivation(u, v!, 'tanh'), (u, v) => nb.tanh(nb.add(u, v!)), [true, false]);
      setBackend(original);
    });

    test('layerNorm with and without gamma and beta', () => {
      setBackend(b);
      const x = det([4, 6], 7);
      const gamma = det([6], 8, 0.5, 1.5);
      const beta = det([6], 9, -1, 1);
      const ln = (t: Tensor) => nb.mul(nb.sub(t, nb.mean(t, -1, true)), nb.rsqrt(nb.add(nb.variance(t, -1, true), 1e-3)));
      agree('layerNorm, gamma and beta', [x, gamma, beta], (u, g, c) => nb.layerNorm(u, g!, c!, 1e-3), (u, g, c) => nb.add(nb.mul(ln(u), g!), c!));
      agree('layerNorm, bare', [x], (u) => nb.layerNorm(u, null, null, 1e-3), ln);
      agree('layerNorm, constant gamma', [x, gamma], (u, g) => nb.layerNorm(u, g!, null, 1e-3), (u, g) => nb.mul(ln(u), g!), [true, false]);
      setBackend(original);
    });

    test('second gradients match finite differences of the fused backward kernels', () => {
      setBackend(b);
      // Σ w·∂/∂inputs Σ(f·v): analytically a recorded backward (the composite), numerically the kernels' first gradients
      const second = (f: (...x: Tensor[]) => Tensor, shapes: number[][]) => (...xs: Tensor[]): Tensor => {
        const v = det(f(...xs).shape, 12);
        const gs = [nb.grad((...a: Tensor[]) => nb.sum(nb.mul(f(...a), v)))(...xs)].flat();
        return gs.reduce((acc: Tensor, g, i) => nb.add(acc, nb.sum(nb.mul(g, det(shapes[i]!, 13 + i)))), nb.tensor(0, { dtype: 'float64' }));
      };
      const check = (what: string, f: (...x: Tensor[]) => Tensor, inputs: Tensor[]) => {
        assert.doesNotThrow(() => nb.testing.gradcheck(second(f, inputs.map((t) => t.shape.slice())), inputs), what);
      };
      const x = det([3, 4], 14);
      const labels = nb.tensor([1, 3, 0], { dtype: 'int32' });
      const t = det([3, 4], 15, 0, 1);
      check('softmax', (u) => nb.softmax(u!), [x]);
      check('logSoftmax', (u) => nb.logSoftmax(u!), [x]);
      check('crossEntropy, labels', (u) => nb.crossEntropy(u!, labels, { smoothing: 0.1 }), [x]);
      check('crossEntropy, probabilities', (u) => nb.crossEntropy(u!, t, { fromLogits: false }), [det([3, 4], 16, 0.2, 1)]);
      for (const act of ['sigmoid', 'tanh', 'gelu'] as const) check(`biasActivation ${act}`, (u, c) => nb.biasActivation(u!, c!, act), [x, det([4], 17, -1, 1)]);
      check('layerNorm', (u, g, c) => nb.layerNorm(u!, g!, c!, 1e-3), [x, det([4], 18, 0.5, 1.5), det([4], 19)]);
      setBackend(original);
    });
  });
}

describe('layers and losses on the fused ops', () => {
  test('the cross-entropy losses use the logits of a softmax activation (exact where clipping would saturate)', () => {
    const logits = nb.tensor([[30, 0, -30], [1, 2, 3]], { requiresGrad: true, dtype: 'float64' });
    const probs = nb.activations.getActivation('softmax')(logits);
    const labels = nb.tensor([2, 0], { dtype: 'int32' });
    const loss = nb.losses.sparseCategoricalCrossentropy(labels, probs);
    // row 0: p(class 2) = e^-60/(…) ≈ 8.8e-27 would clip to 1e-7 (16.1); from logits it is 60 + log(1 + e^-30 + e^-60)
    const expected = (60 + Math.log1p(Math.exp(-30) + Math.exp(-60)) + (3 + Math.log(Math.exp(-2) + Math.exp(-1) + 1)) - 1) / 2;
    assert.ok(Math.abs(loss.item() - expected) < 1e-12, `loss ${loss.item()}, expected ${expected}`);
    loss.backward();
    const g = logits.grad!.toArray() as number[][];
    assert.ok(Math.abs(g[0]![2]! - (Math.exp(-60) / (1 + Math.exp(-30) + Math.exp(-60)) - 1) / 2) < 1e-12);
    // a plain probability tensor still goes through the clipped formula
    const plain = nb.losses.sparseCategoricalCrossentropy(labels, probs.detach());
    assert.ok(Math.abs(plain.item() - (-Math.log(1e-7) + (3 + Math.log(Math.exp(-2) + Math.exp(-1) + 1) - 1)) / 2) < 1e-6);
  });

  test('Dense with a fused activation equals activation(x·W + b), values and gradients', () => {
    for (const activation of ['relu', 'sigmoid', 'tanh', 'gelu', 'linear']) {
      const d = new nb.layers.Dense(4, { activation, dtype: 'float64' });
      const x = det([3, 5], 10);
      const out = d.apply(x);
      const ref = nb.activations.getActivation(activation)(nb.add(nb.matmul(x, d.kernel), d.bias!));
      close(out, ref, `Dense ${activation}`);
      nb.sum(nb.mul(out, det([3, 4], 11))).backward();
      const [gk, gb] = nb.gradients(nb.sum(nb.mul(ref, det([3, 4], 11))), [d.kernel, d.bias!]);
      close(d.kernel.grad!, gk!, `Dense ${activation} kernel gradient`);
      close(d.bias!.grad!, gb!, `Dense ${activation} bias gradient`);
    }
  });

  test('a constant divisor gets no gradient computed (mean of a loss backward runs no extra ops)', () => {
    let ops = 0;
    const b = backend();
    const counting: Backend = { ...b, binary: (...a) => (ops++, b.binary(...a)), unary: (...a) => (ops++, b.unary(...a)) };
    const x = nb.tensor([1, 2, 3], { requiresGrad: true });
    const y = nb.div(x, nb.tensor(4));
    setBackend(counting);
    y.sum().backward();
    setBackend(original);
    // only dx = g / b: the divisor's gradient −g·a/b² (three ops) is skipped
    assert.equal(ops, 1);
    assert.deepEqual(Array.from(x.grad!.data()), [0.25, 0.25, 0.25]);
  });
});
