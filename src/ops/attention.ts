import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import type { Generator } from '../tensor/random.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { attentionComposite } from './attention-composite.js';
import { cast } from './binary.js';
import { apply } from './dispatch.js';
import { assertTensor } from './scalar.js';

/** Options of `scaledDotProductAttention`. */
export interface AttentionOptions {
  /**
   * Broadcastable to `[batch, heads, queries, keys]`: bool (true = may attend) or float (added
   * to the scores, e.g. 0 / −∞ or a learned bias). Default none.
   */
  mask?: Tensor | null;
  /** Query i sees keys `j ≤ i + keys − queries` only (aligned at the end, for key/value caches). Default false. */
  causal?: boolean;
  /** Dropout rate on the attention weights, applied only when `training` (default 0). */
  dropout?: number;
  /** Multiplies the scores `q·kᵀ` (default `1/√depth`). */
  scale?: number;
  /** Whether dropout is active (default false). */
  training?: boolean;
  /** Generator for the dropout mask (default: the global one, `nb.manualSeed`). */
  generator?: Generator;
  /**
   * `'fused'` (default): one primitive with its own kernels and backward. `'composite'`: plain ops
   * (matmul, softmax…), the reference; taken anyway when dropout is active.
   */
  implementation?: 'fused' | 'composite';
}

const OP = 'scaledDotProductAttention';

function checkInput(name: string, t: Tensor, layout: string): void {
  assertTensor(OP, t, name);
  if (t.ndim !== 4) throw new ShapeError(`${OP}: ${name} must be 4-D ${layout}, got shape ${fmt(t.shape)}`);
  if (!isFloat(t.dtype)) throw new DTypeError(`${OP}: ${name} must be float32 or float64, got ${t.dtype}`);
}

/** Validates the mask and returns it as bool or in q's float dtype. */
function checkMask(mask: Tensor, q: Tensor, target: number[]): Tensor {
  assertTensor(OP, mask, 'mask');
  const fits = mask.ndim <= 4 && mask.shape.every((d, i) => d === 1 || d === target[i + 4 - mask.ndim]);
  if (!fits) {
    throw new ShapeError(
      `${OP}: mask of shape ${fmt(mask.shape)} does not broadcast to the scores' shape ${fmt(target)} ` +
        '[batch, heads, queries, keys]; give a mask of that shape or one with size-1 dims to broadcast',
    );
  }
  if (mask.dtype === 'bool') return mask;
  if (!isFloat(mask.dtype)) throw new DTypeError(`${OP}: mask must be bool (true = may attend) or float (added to the scores), got ${mask.dtype}`);
  return mask.dtype === q.dtype ? mask : cast(mask, q.dtype);
}

/**
 * Scaled dot-product attention, `softmax(scale·q·kᵀ + mask)·v`, as one op with its own fused
 * kernels (forward and backward; the softmax is never stored, its row log-sum-exp is).
 *
 * Shapes (PyTorch layout): q `[B, Hq, Tq, D]`, k `[B, Hkv, Tk, D]`, v `[B, Hkv, Tk, Dv]` →
 * `[B, Hq, Tq, Dv]`. Hq must be a multiple of Hkv (grouped-query attention: query head h uses
 * key/value head `floor(h / (Hq/Hkv))`; Hkv = 1 is multi-query attention). A query row that may
 * attend to no key gives zeros. With dropout active (`training` and `dropout > 0`) it runs as
 * plain ops (the composite form), dropping attention weights with `generator`.
 *
 * @example
 * const q = nb.randn([2, 4, 16, 32]), k = nb.randn([2, 4, 16, 32]), v = nb.randn([2, 4, 16, 32]);
 * nb.scaledDotProductAttention(q, k, v, { causal: true })   // [2, 4, 16, 32]
 */
export function scaledDotProductAttention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  checkInput('q', q, '[batch, heads, queries, depth]');
  checkInput('k', k, '[batch, kvHeads, keys, depth]');
  checkInput('v', v, '[batch, kvHeads, keys, valueDepth]');
  if (k.dtype !== q.dtype || v.dtype !== q.dtype) {
    throw new DTypeError(`${OP}: q, k and v must have one dtype, got ${q.dtype}, ${k.dtype} and ${v.dtype}; cast them first`);
  }
  const [b, hq, tq, d] = q.shape as [number, number, number, number];
  const [bk, hkv, tk, dk] = k.shape as [number, number, number, number];
  const [bv, hv, tv] = v.shape as [number, number, number, number];
  if (bk !== b || bv !== b) throw new ShapeError(`${OP}: batch sizes differ: q ${fmt(q.shape)}, k ${fmt(k.shape)}, v ${fmt(v.shape)}`);
  if (hv !== hkv || tv !== tk) {
    throw new ShapeError(`${OP}: k ${fmt(k.shape)} and v ${fmt(v.shape)} must have the same heads and keys (dims 1 and 2)`);
  }
  if (dk !== d) throw new ShapeError(`${OP}: q's depth ${d} != k's depth ${dk} (q ${fmt(q.shape)}, k ${fmt(k.shape)}); q·kᵀ needs the same last dim`);
  if (hkv < 1 || hq % hkv !== 0) {
    throw new ShapeError(
      `${OP}: q has ${hq} heads, which is not a multiple of the ${hkv} key/value heads of k and v; ` +
        'grouped-query attention needs heads = group · kvHeads',
    );
  }
  const scale = opts.scale ?? 1 / Math.sqrt(d);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new ValueError(`${OP}: scale must be a finite number, got ${String(scale)}`);
  const rate = opts.dropout ?? 0;
  if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new ValueError(`${OP}: dropout must be a number in [0, 1), got ${String(rate)}`);
  const impl = opts.implementation ?? 'fused';
  if (impl !== 'fused' && impl !== 'composite') throw new ValueError(`${OP}: implementation must be 'fused' or 'composite', got '${String(impl)}'`);
  const mask = opts.mask ? checkMask(opts.mask, q, [b, hq, tq, tk]) : undefined;
  const params = { scale, causal: opts.causal ?? false };
  const dropping = (opts.training ?? false) && rate > 0;
  if (dropping || impl === 'composite') {
    return attentionComposite(q, k, v, mask, params, dropping ? { rate, generator: opts.generator } : undefined);
  }
  return apply('attention', mask ? [q, k, v, mask] : [q, k, v], params);
}
