/**
 * Reference kernels of fused scaled dot-product attention, one query row at a time: the scores
 * of a row, its log-sum-exp, and the softmax-weighted sum of the values, never a whole
 * `[queries, keys]` matrix. The backward recomputes each row's probabilities from the saved
 * log-sum-exp (`p = exp(s − lse)`) and uses `ds = p·(dp − Σ dO·O)`, the softmax Jacobian applied
 * to `dp = dO·vᵀ`. Arithmetic is in double whatever the storage type.
 */
import type { AttentionGeometry, View } from '../backend.js';
import type { TypedArray } from '../typed-array.js';

/** Offset of element `(b, h, t, 0)` of a 4-D view. */
const rowAt = (x: View, b: number, h: number, t: number): number => x.offset + b * x.strides[0]! + h * x.strides[1]! + t * x.strides[2]!;

/** The number of keys query `i` may see: all of them, or those up to `i + keys − queries` when causal. */
export function visibleKeys(g: AttentionGeometry, i: number): number {
  if (!g.causal) return g.keys;
  return Math.max(0, Math.min(g.keys, i + g.keys - g.queries + 1));
}

/**
 * The scaled scores of query row `i` of (b, h) against keys `j < n` into `s`, with the mask
 * applied (−∞ where a boolean mask forbids); returns their maximum (−∞ when every key is
 * masked, NaN when a score is NaN).
 */
function rowScores(q: View, k: View, mask: View | null, g: AttentionGeometry, b: number, h: number, i: number, n: number, s: Float64Array): number {
  const kh = Math.floor(h / (g.heads / g.kvHeads));
  const qo = rowAt(q, b, h, i);
  const isBool = mask !== null && mask.data instanceof Uint8Array;
  const mo = mask ? rowAt(mask, b, h, i) : 0;
  const ms = mask ? mask.strides[3]! : 0;
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const ko = rowAt(k, b, kh, j);
    let dot = 0;
    for (let d = 0; d < g.depth; d++) dot += q.data[qo + d]! * k.data[ko + d]!;
    let sj = dot * g.scale;
    if (mask) {
      const m = mask.data[mo + j * ms]!;
      sj = isBool ? (m ? sj : -Infinity) : sj + m;
    }
    s[j] = sj;
    if (sj > max || Number.isNaN(sj)) max = sj; // a NaN score makes the row NaN, never a silent 0
  }
  return max;
}

/** Forward: see `Backend.attentionForward`. */
export function attentionForward(q: View, k: View, v: View, mask: View | null, g: AttentionGeometry, out: TypedArray, lse: TypedArray): void {
  const s = new Float64Array(g.keys);
  const acc = new Float64Array(g.valueDepth);
  const group = g.heads / g.kvHeads;
  for (let b = 0; b < g.batch; b++) {
    for (let h = 0; h < g.heads; h++) {
      const kh = Math.floor(h / group);
      for (let i = 0; i < g.queries; i++) {
        const row = (b * g.heads + h) * g.queries + i;
        const n = visibleKeys(g, i);
        const max = rowScores(q, k, mask, g, b, h, i, n, s);
        if (max === -Infinity) {
          // a row that sees no key: output 0 (out is pre-zeroed), no gradient
          lse[row] = -Infinity;
          continue;
        }
        let l = 0;
        acc.fill(0);
        for (let j = 0; j < n; j++) {
          const p = Math.exp(s[j]! - max);
          l += p;
          const vo = rowAt(v, b, kh, j);
          for (let d = 0; d < g.valueDepth; d++) acc[d]! += p * v.data[vo + d]!;
        }
        const oo = row * g.valueDepth;
        for (let d = 0; d < g.valueDepth; d++) out[oo + d] = acc[d]! / l;
        lse[row] = max + Math.log(l);
      }
    }
  }
}

/** Backward: see `Backend.attentionBackward`. */
export function attentionBackward(
  q: View, k: View, v: View, mask: View | null, g: AttentionGeometry,
  out: TypedArray, lse: TypedArray, dOut: View, dq: TypedArray, dk: TypedArray, dv: TypedArray,
): void {
  const group = g.heads / g.kvHeads;
  const s = new Float64Array(g.keys);
  const ds = new Float64Array(g.keys);
  // dk and dv of one (batch, kv head) summed in double over its query heads, then stored
  const dkAcc = new Float64Array(g.keys * g.depth);
  const dvAcc = new Float64Array(g.keys * g.valueDepth);
  const dqRow = new Float64Array(g.depth);
  for (let b = 0; b < g.batch; b++) {
    for (let kh = 0; kh < g.kvHeads; kh++) {
      dkAcc.fill(0);
      dvAcc.fill(0);
      for (let h = kh * group; h < (kh + 1) * group; h++) {
        for (let i = 0; i < g.queries; i++) {
          const row = (b * g.heads + h) * g.queries + i;
          const rowLse = lse[row]!;
          if (rowLse === -Infinity) continue;
          const n = visibleKeys(g, i);
          rowScores(q, k, mask, g, b, h, i, n, s);
          const go = rowAt(dOut, b, h, i);
          const oo = row * g.valueDepth;
          // Σ_d dO·O = Σ_j p_j·dp_j: the softmax Jacobian's rank-one part
          let rowDot = 0;
          for (let d = 0; d < g.valueDepth; d++) rowDot += dOut.data[go + d]! * out[oo + d]!;
          for (let j = 0; j < n; j++) {
            const p = Math.exp(s[j]! - rowLse);
            const vo = rowAt(v, b, kh, j);
            let dp = 0;
            for (let d = 0; d < g.valueDepth; d++) {
              dp += dOut.data[go + d]! * v.data[vo + d]!;
              dvAcc[j * g.valueDepth + d]! += p * dOut.data[go + d]!;
            }
            ds[j] = p * (dp - rowDot) * g.scale;
          }
          const qo = rowAt(q, b, h, i);
          dqRow.fill(0);
          for (let j = 0; j < n; j++) {
            const ko = rowAt(k, b, kh, j);
            const dsj = ds[j]!;
            for (let d = 0; d < g.depth; d++) {
              dqRow[d]! += dsj * k.data[ko + d]!;
              dkAcc[j * g.depth + d]! += dsj * q.data[qo + d]!;
            }
          }
          const dqo = row * g.depth;
          for (let d = 0; d < g.depth; d++) dq[dqo + d] = dqRow[d]!;
        }
      }
      const kvRow = (b * g.kvHeads + kh) * g.keys;
      for (let t = 0; t < g.keys * g.depth; t++) dk[kvRow * g.depth + t] = dkAcc[t]!;
      for (let t = 0; t < g.keys * g.valueDepth; t++) dv[kvRow * g.valueDepth + t] = dvAcc[t]!;
    }
  }
}
