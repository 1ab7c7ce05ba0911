import { backend } from '../../backend/index.js';
import { broadcastShapes, sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { sumTo } from '../broadcast.js';
import { matmul, transposeLast } from '../matmul.js';
import { contiguousCopy, uninitialized } from './alloc.js';
import type { PrimTable } from './types.js';

/**
 * How GEMM can read the last two dims of `t` without a copy: row-major (`trans=false`, ld = row
 * stride) or column-major, i.e. a transposed view (`trans=true`, ld = column stride).
 */
function gemmLayout(t: Tensor): { t: Tensor; trans: boolean; ld: number } {
  const nd = t.ndim;
  const rows = t.shape[nd - 2]!;
  const cols = t.shape[nd - 1]!;
  const rs = t.strides[nd - 2]!;
  const cs = t.strides[nd - 1]!;
  if ((cs === 1 || cols === 1) && rs >= cols && rs > 0) return { t, trans: false, ld: rs };
  if ((rs === 1 || rows === 1) && cs >= rows && cs > 0) return { t, trans: true, ld: cs };
  const c = contiguousCopy(t);
  return { t: c, trans: false, ld: Math.max(cols, 1) };
}

/** Offset of batch element `b` (row-major index over `batch`) in `t`, whose batch dims broadcast. */
function batchOffset(t: Tensor, batch: readonly number[], b: number): number {
  let off = t.offset;
  const lead = batch.length - (t.ndim - 2);
  for (let i = batch.length - 1; i >= 0; i--) {
    const d = batch[i]!;
    const idx = b % d;
    b = Math.floor(b / d);
    const j = i - lead;
    if (j >= 0 && t.shape[j] !== 1) off += idx * t.strides[j]!;
  }
  return off;
}

export const matmulPrims: PrimTable<'matmul'> = {
  matmul: {
    // [..., m, k] · [..., k, n] → [..., m, n], batch dims broadcast
    forward: ([a, b]) => {
      const m = a!.shape[a!.ndim - 2]!;
      const k = a!.shape[a!.ndim - 1]!;
      const n = b!.shape[b!.ndim - 1]!;
      const batch = broadcastShapes('matmul', a!.shape.slice(0, -2), b!.shape.slice(0, -2));
      const out = uninitialized(a!.dtype, [...batch, m, n]); // the GEMM overwrites C
      const la = gemmLayout(a!);
      const lb = gemmLayout(b!);
      const count = sizeOf(batch);
      for (let i = 0; i < count; i++) {
        backend().gemm(
          la.trans, lb.trans, m, n, k,
          la.t.storage, batchOffset(la.t, batch, i), la.ld,
          lb.t.storage, batchOffset(lb.t, batch, i), lb.ld,
          out.storage, i * m * n, n,
        );
      }
      return out;
    },
    // d(A·B) = dA·B + A·dB  ⇒  ḡA = G·Bᵀ, ḡB = Aᵀ·G (summed over broadcast batch dims)
    vjp: (g, [a, b]) => [
      a!.requiresGrad ? sumTo(matmul(g, transposeLast(b!)), a!.shape) : null,
      b!.requiresGrad ? sumTo(matmul(transposeLast(a!), g), b!.shape) : null,
    ],
  },
};
