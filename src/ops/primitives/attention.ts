import { isGradEnabled } from '../../tensor/grad-mode.js';
import type { AttentionGeometry, View } from '../../backend/backend.js';
import { backend } from '../../backend/index.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { attentionGradsComposite } from '../attention-composite.js';
import { expandView } from '../broadcast.js';
import { releaseSaved } from '../../tensor/buffer-pool.js';
import { contiguousCopy, empty } from './alloc.js';
import type { AttentionParams, PrimTable } from './types.js';

/**
 * The row log-sum-exp of each fused attention output, kept for its backward (the softmax is
 * recomputed from it, never stored). Keyed by the output tensor, so it lives as long as the graph.
 */
const savedLse = new WeakMap<Tensor, Tensor>();

/** The kernels' sizes for inputs `[q, k, v]`. */
export function attentionGeometry(q: Tensor, k: Tensor, v: Tensor, p: AttentionParams): AttentionGeometry {
  const [batch, heads, queries, depth] = q.shape as [number, number, number, number];
  const [, kvHeads, keys] = k.shape as [number, number, number, number];
  return { batch, heads, kvHeads, queries, keys, depth, valueDepth: v.shape[3]!, scale: p.scale, causal: p.causal };
}

/** A 4-D view the kernels can read: non-negative strides and unit stride along the last axis. */
function rowView(t: Tensor): View {
  const x = t.strides.every((s) => s >= 0) && (t.strides[3] === 1 || t.shape[3]! <= 1) ? t : contiguousCopy(t);
  const v = x.strided();
  return x.shape[3]! <= 1 ? { ...v, strides: [...v.strides.slice(0, 3), 1] } : v;
}

/** The mask as a `[batch, heads, queries, keys]` view (broadcast dims have stride 0), or null. */
function maskView(mask: Tensor | undefined, g: AttentionGeometry): View | null {
  if (!mask) return null;
  const m = mask.strides.every((s) => s >= 0) ? mask : contiguousCopy(mask);
  return expandView(m, [g.batch, g.heads, g.queries, g.keys]);
}

export const attentionPrims: PrimTable<'attention'> = {
  attention: {
    // inputs [q, k, v] or [q, k, v, mask]; out = softmax(scale·q·kᵀ + mask)·v, one row at a time
    forward: ([q, k, v, mask], p) => {
      const g = attentionGeometry(q!, k!, v!, p);
      const out = empty(q!.dtype, [g.batch, g.heads, g.queries, g.valueDepth]);
      const lse = empty(q!.dtype, [g.batch, g.heads, g.queries]);
      backend().attentionForward(rowView(q!), rowView(k!), rowView(v!), maskView(mask, g), g, out.storage, lse.storage);
      savedLse.set(out, lse);
      return out;
    },
    // With P the attention weights and S the scores: dV = Pᵀ·dO, dP = dO·Vᵀ,
    // dS = P∘(dP − rowsum(dO∘O)), dQ = scale·dS·K, dK = scale·dSᵀ·Q, dMask = dS (summed to its shape).
    // The fused kernel computes dq, dk, dv row by row from the saved log-sum-exp; when the
    // backward is itself recorded (createGraph) or a float mask needs its gradient, the same
    // formulas run as tensor ops so that they can be differentiated again.
    vjp: (dOut, inputs, out, p) => {
      const [q, k, v, mask] = inputs as [Tensor, Tensor, Tensor, Tensor | undefined];
      const maskGrad = mask !== undefined && mask.requiresGrad && isFloat(mask.dtype);
      if (isGradEnabled() || maskGrad) return attentionGradsComposite(dOut, q, k, v, mask, p);
      const g = attentionGeometry(q, k, v, p);
      const lse = savedLse.get(out)!;
      const dq = empty(q.dtype, q.shape);
      const dk = empty(q.dtype, k.shape);
      const dv = empty(q.dtype, v.shape);
      backend().attentionBackward(
        rowView(q), rowView(k), rowView(v), maskView(mask, g), g,
        out.storage, lse.storage, rowView(dOut), dq.storage, dk.storage, dv.storage,
      );
      if (releaseSaved(lse.storage)) savedLse.delete(out);
      return mask === undefined ? [dq, dk, dv] : [dq, dk, dv, null];
    },
  },
};
