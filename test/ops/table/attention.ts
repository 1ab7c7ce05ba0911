/** Op-table entry: scaledDotProductAttention (the fused primitive, forward and backward). */
import * as nb from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, lit, rnd, type Arg, type OpEntry } from '../op-info.js';
import { ravel, type Nd } from '../ref.js';

interface Params {
  causal?: boolean;
  scale?: number;
}

/** Element `idx` of `x` broadcast to a larger shape (size-1 and missing leading dims repeat). */
function broadcastAt(x: Nd, idx: readonly number[]): number {
  const lead = idx.length - x.shape.length;
  return x.data[ravel(x.shape.map((d, i) => (d === 1 ? 0 : idx[i + lead]!)), x.shape)]!;
}

/**
 * Attention by the definition, one score at a time: for each query, the list of visible keys
 * (mask true or float, and `j − i ≤ keys − queries` when causal), their softmax in double, and
 * the weighted sum of the values. Query head h uses kv head ⌊h·Hkv/H⌋. No visible key: zeros.
 */
function attentionRef([q, k, v, mask]: Nd[], p: Params): Nd {
  const [b, h, tq, d] = q!.shape as [number, number, number, number];
  const [, hkv, tk] = k!.shape as [number, number, number];
  const dv = v!.shape[3]!;
  const scale = p.scale ?? 1 / Math.sqrt(d);
  const data: number[] = [];
  for (let bi = 0; bi < b; bi++) {
    for (let hi = 0; hi < h; hi++) {
      const kh = Math.floor((hi * hkv) / h);
      for (let i = 0; i < tq; i++) {
        const scores: [number, number][] = [];
        for (let j = 0; j < tk; j++) {
          if (p.causal && j - i > tk - tq) continue;
          let s = 0;
          for (let c = 0; c < d; c++) s += q!.data[ravel([bi, hi, i, c], q!.shape)]! * k!.data[ravel([bi, kh, j, c], k!.shape)]!;
          s *= scale;
          if (mask) {
            const m = broadcastAt(mask, [bi, hi, i, j]);
            if (mask.dtype === 'bool') {
              if (!m) continue;
            } else {
              s += m;
            }
          }
          scores.push([j, s]);
        }
        const top = Math.max(...scores.map(([, s]) => s));
        const weights = scores.map(([j, s]) => [j, Math.exp(s - top)] as const);
        const total = weights.reduce((a, [, w]) => a + w, 0);
        for (let c = 0; c < dv; c++) {
          data.push(weights.reduce((a, [j, w]) => a + (w / total) * v!.data[ravel([bi, kh, j, c], v!.shape)]!, 0));
        }
      }
    }
  }
  return { shape: [b, h, tq, dv], data, dtype: q!.dtype };
}

/** A `[B, H, T, D]` input seen through `[B, T, H, D]` storage (what a layer's projection gives). */
const headsView = (shape: [number, number, number, number], seed: number): Arg => ({
  base: rnd([shape[0], shape[2], shape[1], shape[3]], { seed, dtype: 'float64' }).base,
  view: (t) => t.permute([0, 2, 1, 3]),
});

const f32 = { rtol: 1e-4, atol: 1e-5 };

const attention = defineOp<Params>({
  name: 'scaledDotProductAttention',
  fn: ([q, k, v, mask], p) => nb.scaledDotProductAttention(q!, k!, v!, { ...p, mask }),
  reference: attentionRef,
  grad: true,
  samples: [
    // scores [1, 0] → weights σ(1), σ(−1) → 1·σ(1) + 3·σ(−1) = 3 − 2σ(1)
    {
      label: 'hand-checked, scale 1',
      args: [lit([[[[1, 0]]]], 'float64'), lit([[[[1, 0], [0, 1]]]], 'float64'), lit([[[[1], [3]]]], 'float64')],
      params: { scale: 1 },
      expected: [[[[1.5378828427399902]]]],
    },
    // equal scores: query 0 sees key 0 only (2), query 1 both (mean 3); d/dv = [1 + ½, ½];
    // query 1's score gradients are p·(v − out) = ∓½, so d/dk = q·∓½ and d/dq = Σ ds·k = 0
    {
      label: 'hand-checked causal',
      args: [lit([[[[1], [1]]]], 'float64'), lit([[[[0], [0]]]], 'float64'), lit([[[[2], [4]]]], 'float64')],
      params: { causal: true },
      expected: [[[[2], [3]]]],
      expectedGrad: [[[[[0], [0]]]], [[[[-0.5], [0.5]]]], [[[[1.5], [0.5]]]]],
    },
    {
      label: 'hand-checked bool mask, and a row that sees no key gives 0',
      args: [lit([[[[1], [1]]]], 'float64'), lit([[[[1], [2]]]], 'float64'), lit([[[[5], [7]]]], 'float64'), lit([[true, false], [false, false]], 'bool')],
      params: {},
      expected: [[[[5], [0]]]],
    },
    { label: 'grouped-query (4 query heads, 2 kv heads)', args: [rnd([2, 4, 3, 4], { dtype: 'float64' }), rnd([2, 2, 5, 4], { seed: 1, dtype: 'float64' }), rnd([2, 2, 5, 3], { seed: 2, dtype: 'float64' })], params: {} },
    { label: 'multi-query, causal, fewer queries than keys', args: [rnd([1, 3, 2, 3], { dtype: 'float64' }), rnd([1, 1, 4, 3], { seed: 1, dtype: 'float64' }), rnd([1, 1, 4, 2], { seed: 2, dtype: 'float64' })], params: { causal: true } },
    { label: 'causal self-attention', args: [rnd([2, 2, 4, 3], { dtype: 'float64' }), rnd([2, 2, 4, 3], { seed: 1, dtype: 'float64' }), rnd([2, 2, 4, 3], { seed: 2, dtype: 'float64' })], params: { causal: true } },
    {
      label: 'float mask [Tq, Tk] broadcast over batch and heads, with GQA',
      args: [rnd([2, 2, 3, 4], { dtype: 'float64' }), rnd([2, 1, 5, 4], { seed: 1, dtype: 'float64' }), rnd([2, 1, 5, 2], { seed: 2, dtype: 'float64' }), rnd([3, 5], { seed: 3, dtype: 'float64' })],
      params: {},
    },
    {
      label: 'bool mask expanded (stride 0) over heads, causal',
      args: [rnd([1, 2, 4, 3], { dtype: 'float64' }), rnd([1, 2, 4, 3], { seed: 1, dtype: 'float64' }), rnd([1, 2, 4, 3], { seed: 2, dtype: 'float64' }), expanded([1, 2, 4, 4], [1, 1, 4, 4], { seed: 5, dtype: 'bool' })],
      params: { causal: true },
    },
    {
      label: 'full-shape float mask [B, H, Tq, Tk]',
      args: [rnd([2, 2, 2, 3], { dtype: 'float64' }), rnd([2, 2, 3, 3], { seed: 1, dtype: 'float64' }), rnd([2, 2, 3, 3], { seed: 2, dtype: 'float64' }), rnd([2, 2, 2, 3], { seed: 3, dtype: 'float64' })],
      params: { scale: 0.5 },
    },
    { label: 'heads read through a permuted [B, T, H, D] view', args: [headsView([2, 2, 3, 4], 0), headsView([2, 2, 3, 4], 1), headsView([2, 2, 3, 4], 2)], params: { causal: true } },
    { label: 'size-1 dims (one query, one key)', args: [rnd([1, 1, 1, 4], { dtype: 'float64' }), rnd([1, 1, 1, 4], { seed: 1, dtype: 'float64' }), rnd([1, 1, 1, 2], { seed: 2, dtype: 'float64' })], params: {} },
    { label: 'empty: no queries', args: [rnd([1, 2, 0, 4]), rnd([1, 2, 3, 4], { seed: 1 }), rnd([1, 2, 3, 2], { seed: 2 })], params: {} },
    { label: 'float32, wider', args: [rnd([2, 4, 6, 8]), rnd([2, 2, 6, 8], { seed: 1 }), rnd([2, 2, 6, 5], { seed: 2 })], params: { causal: true }, tol: f32, grad: false },
  ],
  errors: [
    {
      label: 'mask of the wrong shape',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 2, 3, 4]), nb.zeros([1, 2, 5, 4]), nb.zeros([1, 2, 5, 4]), { mask: nb.zeros([2, 5], { dtype: 'bool' }) }),
      type: 'ShapeError',
      message: /^scaledDotProductAttention: mask of shape \[2,5\] does not broadcast to the scores' shape \[1,2,3,5\] \[batch, heads, queries, keys\]/,
    },
    {
      label: 'query heads not a multiple of the kv heads',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 3, 2, 4]), nb.zeros([1, 2, 2, 4]), nb.zeros([1, 2, 2, 4])),
      type: 'ShapeError',
      message: /^scaledDotProductAttention: q has 3 heads, which is not a multiple of the 2 key\/value heads of k and v/,
    },
    {
      label: 'depth mismatch',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 2, 2, 4]), nb.zeros([1, 2, 2, 3]), nb.zeros([1, 2, 2, 3])),
      type: 'ShapeError',
      message: /^scaledDotProductAttention: q's depth 4 != k's depth 3/,
    },
    {
      label: 'k and v with different numbers of keys',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 2, 2, 4]), nb.zeros([1, 2, 3, 4]), nb.zeros([1, 2, 5, 4])),
      type: 'ShapeError',
      message: /^scaledDotProductAttention: k \[1,2,3,4\] and v \[1,2,5,4\] must have the same heads and keys/,
    },
    {
      label: 'a 3-D q',
      call: () => nb.scaledDotProductAttention(nb.zeros([2, 3, 4]), nb.zeros([1, 2, 3, 4]), nb.zeros([1, 2, 3, 4])),
      type: 'ShapeError',
      message: /^scaledDotProductAttention: q must be 4-D \[batch, heads, queries, depth\], got shape \[2,3,4\]/,
    },
    {
      label: 'int32 inputs',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 1, 1, 1], { dtype: 'int32' }), nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1])),
      type: 'DTypeError',
      message: /^scaledDotProductAttention: q must be float32 or float64, got int32/,
    },
    {
      label: 'an int32 mask',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1]), { mask: nb.zeros([1, 1], { dtype: 'int32' }) }),
      type: 'DTypeError',
      message: /^scaledDotProductAttention: mask must be bool \(true = may attend\) or float/,
    },
    {
      label: 'dropout out of range',
      call: () => nb.scaledDotProductAttention(nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1]), { dropout: 1 }),
      type: 'ValueError',
      message: /^scaledDotProductAttention: dropout must be a number in \[0, 1\), got 1/,
    },
    {
      label: 'not a tensor',
      call: () => nb.scaledDotProductAttention(bad<Tensor>([1]), nb.zeros([1, 1, 1, 1]), nb.zeros([1, 1, 1, 1])),
      type: 'DTypeError',
      message: /^scaledDotProductAttention: expected q to be a Tensor/,
    },
  ],
  skip: { scalar: 'q, k and v are 4-D [batch, heads, time, depth] by definition: see the 3-D error case' },
});

export const attentionEntries: OpEntry[] = [attention];
