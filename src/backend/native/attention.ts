import type { AttentionGeometry, Backend, View } from '../backend.js';
import type { TypedArray } from '../typed-array.js';
import type { FloatArray } from '../fused-kernels.js';
import { jsBackend } from '../js/index.js';
import { route, sameFloat } from './route.js';

/**
 * The addon's fused attention functions (native/addon_attention.c). `dims` packs the sizes,
 * offsets and strides (see `attentionDims`); arrays are used in place.
 */
export interface NativeAttentionAddon {
  attentionForward(dims: Float64Array, q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | Uint8Array | null, out: FloatArray, lse: FloatArray): void;
  attentionBackward(
    dims: Float64Array, q: FloatArray, k: FloatArray, v: FloatArray, mask: FloatArray | Uint8Array | null,
    out: FloatArray, lse: FloatArray, dOut: FloatArray, dq: FloatArray, dk: FloatArray, dv: FloatArray,
  ): void;
}

/**
 * The 30 numbers the C wrappers read: `[batch, heads, kvHeads, queries, keys, depth, valueDepth,
 * scale, causal, q offset + 3 strides, k offset + 3 strides, v offset + 3 strides, mask offset +
 * 4 strides, dOut offset + 3 strides]` (last-axis strides of q, k, v, dOut are 1).
 */
export function attentionDims(q: View, k: View, v: View, mask: View | null, g: AttentionGeometry, dOut?: View): Float64Array {
  const head = (x: View | null | undefined) => (x ? [x.offset, x.strides[0]!, x.strides[1]!, x.strides[2]!] : [0, 0, 0, 0]);
  return Float64Array.from([
    g.batch, g.heads, g.kvHeads, g.queries, g.keys, g.depth, g.valueDepth, g.scale, g.causal ? 1 : 0,
    ...head(q), ...head(k), ...head(v),
    ...head(mask), mask ? mask.strides[3]! : 0,
    ...head(dOut),
  ]);
}

/** Whether the C kernels take these arrays: one float type throughout, a byte or same-type mask. */
function takes(first: TypedArray, rest: readonly TypedArray[], mask: View | null): boolean {
  return sameFloat(first, ...rest) && (mask === null || mask.data instanceof Uint8Array || mask.data.constructor === first.constructor);
}

/** The scores of one attention call, the size the threshold compares. */
const scores = (g: AttentionGeometry) => g.batch * g.heads * g.queries * g.keys;

/**
 * The attention entries of the native backend: the addon's kernels for float32/float64 calls of
 * at least `minElements` scores (batch·heads·queries·keys), the JS kernels otherwise.
 */
export function nativeAttentionKernels(addon: NativeAttentionAddon, minElements: number): Pick<Backend, 'attentionForward' | 'attentionBackward'> {
  const f = (x: TypedArray) => x as FloatArray;
  const maskData = (mask: View | null) => (mask ? (mask.data as FloatArray | Uint8Array) : null);
  return {
    attentionForward: route(
      jsBackend.attentionForward, minElements, (q, k, v, mask, g, out, lse) => (takes(q.data, [k.data, v.data, out, lse], mask) ? scores(g) : undefined),
      (q, k, v, mask, g, out, lse) => addon.attentionForward(attentionDims(q, k, v, mask, g), f(q.data), f(k.data), f(v.data), maskData(mask), f(out), f(lse)),
    ),
    attentionBackward: route(
      jsBackend.attentionBackward, minElements,
      (q, k, v, mask, g, out, lse, dOut, dq, dk, dv) => (takes(q.data, [k.data, v.data, out, lse, dOut.data, dq, dk, dv], mask) ? scores(g) : undefined),
      (q, k, v, mask, g, out, lse, dOut, dq, dk, dv) => addon.attentionBackward(
        attentionDims(q, k, v, mask, g, dOut), f(q.data), f(k.data), f(v.data), maskData(mask), f(out), f(lse), f(dOut.data), f(dq), f(dk), f(dv),
      ),
    ),
  };
}
