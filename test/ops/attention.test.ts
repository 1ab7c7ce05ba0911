/**
 * scaledDotProductAttention beyond the op table: the fused primitive against its composite form
 * (forward and gradients), the causal mask (no position sees the future), attention dropout,
 * gradients of gradients, and float-mask gradients.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import type { Tensor } from '../../src/index.js';
import { nativeBackend } from '../../src/backend/index.js';

const g = (seed: number) => new nb.Generator(seed);
const rand = (shape: number[], seed: number, dtype: 'float32' | 'float64' = 'float64') => nb.randn(shape, { generator: g(seed), dtype });

function maxDiff(a: Tensor, b: Tensor): number {
  assert.deepEqual(a.shape, b.shape);
  const x = a.data();
  const y = b.data();
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

/** Output and gradients of q, k, v (and a float mask) for a fixed random output weighting. */
function run(impl: 'fused' | 'composite', inputs: Tensor[], opts: nb.AttentionOptions): Tensor[] {
  const leaves = inputs.map((t) => t.detach().requireGrad());
  const [q, k, v, mask] = leaves;
  const out = nb.scaledDotProductAttention(q!, k!, v!, { ...opts, mask: mask ?? opts.mask, implementation: impl });
  out.mul(rand(out.shape.slice(), 99, out.dtype as 'float64')).sum().backward();
  return [out, ...leaves.map((t) => t.grad!)];
}

test('fused and composite attention agree (outputs and gradients) across masks, causal and GQA', () => {
  const cases: [string, Tensor[], nb.AttentionOptions][] = [
    ['plain', [rand([2, 3, 5, 4], 1), rand([2, 3, 6, 4], 2), rand([2, 3, 6, 3], 3)], {}],
    ['causal GQA', [rand([2, 4, 5, 4], 1), rand([2, 2, 7, 4], 2), rand([2, 2, 7, 3], 3)], { causal: true }],
    ['bool mask', [rand([1, 2, 4, 3], 1), rand([1, 2, 4, 3], 2), rand([1, 2, 4, 3], 3)], { mask: rand([4, 4], 4).gt(-0.3) }],
    ['float mask (with its gradient)', [rand([1, 2, 4, 3], 1), rand([1, 2, 4, 3], 2), rand([1, 2, 4, 3], 3), rand([1, 1, 4, 4], 5)], {}],
    ['float32 causal', [rand([2, 2, 8, 8], 1, 'float32'), rand([2, 2, 8, 8], 2, 'float32'), rand([2, 2, 8, 8], 3, 'float32')], { causal: true }],
  ];
  for (const [label, inputs, opts] of cases) {
    const fused = run('fused', inputs, opts);
    const comp = run('composite', inputs, opts);
    const tol = inputs[0]!.dtype === 'float32' ? 1e-5 : 1e-12;
    fused.forEach((t, i) => assert.ok(maxDiff(t, comp[i]!) < tol, `${label}: output/gradient ${i} differs by ${maxDiff(t, comp[i]!)}`));
  }
});

test('causal attention: perturbing a future key or value leaves earlier outputs unchanged', () => {
  const [b, h, t, d] = [2, 2, 6, 4];
  const q = rand([b, h, t, d], 1);
  const k = rand([b, h, t, d], 2);
  const v = rand([b, h, t, d], 3);
  const base = nb.scaledDotProductAttention(q, k, v, { causal: true }).toArray() as number[][][][];
  for (let pos = 0; pos < t; pos++) {
    // add 10 to every key and value at time `pos`
    const bump = nb.zeros([1, 1, t, 1], { dtype: 'float64' });
    bump.storage[pos] = 10;
    const out = nb.scaledDotProductAttention(q, k.add(bump), v.add(bump), { causal: true }).toArray() as number[][][][];
    for (let bi = 0; bi < b; bi++) {
      for (let hi = 0; hi < h; hi++) {
        for (let i = 0; i < t; i++) {
          const same = out[bi]![hi]![i]!.every((x, c) => x === base[bi]![hi]![i]![c]);
          assert.equal(same, i < pos, `query ${i} ${i < pos ? 'must not' : 'must'} change when time ${pos} changes`);
        }
      }
    }
  }
  // and the gradient of an early output reaches no later key or value
  const kl = k.detach().requireGrad();
  const vl = v.detach().requireGrad();
  nb.scaledDotProductAttention(q, kl, vl, { causal: true }).slice([null, null, [0, 3]]).sum().backward();
  const later = (x: Tensor) => x.slice([null, null, [3, null]]).abs().sum().item();
  assert.equal(later(kl.grad!), 0);
  assert.equal(later(vl.grad!), 0);
  assert.ok(vl.grad!.slice([null, null, [0, 3]]).abs().sum().item() > 0);
});

test('attention dropout: only in training, seeded, and rows rescaled by 1/(1 − rate)', () => {
  const q = rand([1, 1, 4, 2], 1, 'float32');
  const k = rand([1, 1, 6, 2], 2, 'float32');
  const v = nb.ones([1, 1, 6, 1]);
  const plain = nb.scaledDotProductAttention(q, k, v);
  assert.deepEqual(Array.from(nb.scaledDotProductAttention(q, k, v, { dropout: 0.5 }).data()), Array.from(plain.data()), 'no dropout outside training');
  const a = nb.scaledDotProductAttention(q, k, v, { dropout: 0.5, training: true, generator: g(7) });
  const b = nb.scaledDotProductAttention(q, k, v, { dropout: 0.5, training: true, generator: g(7) });
  assert.deepEqual(Array.from(a.data()), Array.from(b.data()), 'same seed, same mask');
  // with v = 1 each output is (kept weights)·2: values in [0, 2], not all 1
  const vals = Array.from(a.data());
  assert.ok(vals.every((x) => x >= -1e-6 && x <= 2 + 1e-6));
  assert.ok(vals.some((x) => Math.abs(x - 1) > 1e-3));
});

test('a gradient of the gradient goes through the fused attention (createGraph)', () => {
  const q = rand([1, 2, 3, 2], 1);
  const k = rand([1, 1, 4, 2], 2);
  const v = rand([1, 1, 4, 2], 3);
  // d/dq of Σ (∂L/∂q)², with L = Σ w∘attention: checked against finite differences
  // (gradcheck's finite differences run without recording: give them a leaf of their own)
  const f = (qi: Tensor) =>
    nb.enableGrad(() => {
      const x = qi.requiresGrad ? qi : qi.detach().requireGrad();
      const [gq] = nb.gradients(nb.scaledDotProductAttention(x, k, v, { causal: true }).mul(rand([1, 2, 3, 2], 4)).sum(), [x], { createGraph: true });
      return gq!.pow(2).sum();
    });
  assert.ok(nb.testing.gradcheck(f, [q]).ok);
});

test('a NaN in a query row gives a NaN row (never a silent 0) on every backend', () => {
  const native = nativeBackend({ minElements: 0, minGemm: 0 });
  const previous = nb.backend();
  for (const b of [nb.jsBackend, ...(native ? [native] : [])]) {
    nb.setBackend(b);
    try {
      const q = rand([1, 1, 3, 2], 1);
      q.storage[2] = NaN; // row 1
      const out = nb.scaledDotProductAttention(q, rand([1, 1, 4, 2], 2), rand([1, 1, 4, 2], 3)).toArray() as number[][][][];
      assert.ok(out[0]![0]![1]!.every(Number.isNaN), `${b.name}: the NaN row`);
      assert.ok([0, 2].every((i) => out[0]![0]![i]!.every(Number.isFinite)), `${b.name}: the other rows`);
    } finally {
      nb.setBackend(previous);
    }
  }
});
