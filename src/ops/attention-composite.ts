/**
 * Scaled dot-product attention written as plain ops: the reference the fused primitive is tested
 * against, the path taken with attention dropout, and the differentiable form of the fused
 * primitive's backward (used when a gradient of the gradient is asked for).
 */
import { Tensor } from '../tensor/tensor.js';
import { bernoulli } from '../tensor/creation.js';
import type { Generator } from '../tensor/random.js';
import { isFloat } from '../tensor/dtype.js';
import { add, div, eq, gt, mul, sub, where } from './binary.js';
import { sumTo } from './broadcast.js';
import { matmul } from './matmul.js';
import { expand, reshape, transposeLast } from './movement.js';
import type { AttentionParams } from './primitives/types.js';
import { max, sum } from './reduce.js';
import { exp } from './unary.js';

/** Key/value heads repeated for grouped-query attention: `[B, Hkv, T, D]` → `[B, Hkv·group, T, D]`, head h from `floor(h/group)`. */
export function repeatKvHeads(x: Tensor, group: number): Tensor {
  if (group === 1) return x;
  const [b, h, t, d] = x.shape as [number, number, number, number];
  return reshape(expand(reshape(x, [b, h, 1, t, d]), [b, h, group, t, d]), [b, h * group, t, d]);
}

/** The adjoint of `repeatKvHeads`: sums each group of query heads back onto its key/value head. */
function sumGroups(x: Tensor, group: number): Tensor {
  if (group === 1) return x;
  const [b, h, t, d] = x.shape as [number, number, number, number];
  return sum(reshape(x, [b, h / group, group, t, d]), 2);
}

/** `[queries, keys]` booleans: true where key j is visible from query i (`j ≤ i + keys − queries`). */
export function causalMask(queries: number, keys: number): Tensor {
  const data = new Uint8Array(queries * keys);
  for (let i = 0; i < queries; i++) for (let j = 0; j < keys && j <= i + keys - queries; j++) data[i * keys + j] = 1;
  return new Tensor(data, [queries, keys]);
}

/** The scores `scale·q·kᵀ`, with the mask added (float) or applied (bool: −∞ where false), and the causal mask. */
export function attentionScores(q: Tensor, k: Tensor, mask: Tensor | undefined, p: AttentionParams): Tensor {
  const group = q.shape[1]! / k.shape[1]!;
  let s = mul(matmul(q, transposeLast(repeatKvHeads(k, group))), p.scale);
  if (mask) s = mask.dtype === 'bool' ? where(mask, s, -Infinity) : add(s, mask);
  if (p.causal) s = where(causalMask(q.shape[2]!, k.shape[2]!), s, -Infinity);
  return s;
}

/** Softmax over the keys; a row that sees no key (all −∞) gets zero weights, as in the fused kernel. */
export function attentionWeights(scores: Tensor): Tensor {
  const m = max(scores, -1, true).detach();
  const e = exp(sub(scores, where(eq(m, -Infinity), 0, m)));
  const l = sum(e, -1, true);
  return div(e, where(gt(l, 0), l, 1));
}

/** Dropout on the attention weights (inverted: kept weights scaled by `1/(1 − rate)`). */
export interface AttentionDropout {
  rate: number;
  generator?: Generator;
}

/** Attention as ops: `dropout(softmax(scores))·v`. */
export function attentionComposite(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | undefined, p: AttentionParams, dropout?: AttentionDropout): Tensor {
  let w = attentionWeights(attentionScores(q, k, mask, p));
  if (dropout && dropout.rate > 0) {
    const keep = bernoulli(1 - dropout.rate, w.shape, { dtype: w.dtype, generator: dropout.generator });
    w = mul(w, mul(keep, 1 / (1 - dropout.rate)));
  }
  return matmul(w, repeatKvHeads(v, q.shape[1]! / k.shape[1]!));
}

/**
 * The gradients of attention with respect to `[q, k, v(, mask)]` for the output gradient `dOut`,
 * as ops (so they can be differentiated again): with P the weights,
 * `dV = Pᵀ·dO`, `dS = P∘(dP − rowsum(dP∘P))` for `dP = dO·Vᵀ`, `dQ = scale·dS·K`, `dK = scale·dSᵀ·Q`.
 */
export function attentionGradsComposite(dOut: Tensor, q: Tensor, k: Tensor, v: Tensor, mask: Tensor | undefined, p: AttentionParams): (Tensor | null)[] {
  const group = q.shape[1]! / k.shape[1]!;
  const w = attentionWeights(attentionScores(q, k, mask, p));
  const dv = sumGroups(matmul(transposeLast(w), dOut), group);
  const dw = matmul(dOut, transposeLast(repeatKvHeads(v, group)));
  const ds = mul(w, sub(dw, sum(mul(dw, w), -1, true)));
  const dq = mul(matmul(ds, repeatKvHeads(k, group)), p.scale);
  const dk = sumGroups(mul(matmul(transposeLast(ds), q), p.scale), group);
  if (!mask) return [dq, dk, dv];
  return [dq, dk, dv, isFloat(mask.dtype) && mask.requiresGrad ? sumTo(ds, mask.shape) : null];
}
