import { backend } from '../../backend/index.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { batchNormComposite } from '../batch-norm.js';
import { denseData as dense, empty } from './alloc.js';
import type { PrimTable } from './types.js';

/** `[rows, channels]`: every axis but the last, then the last. */
function rowsCols(t: Tensor): [number, number] {
  return [sizeOf(t.shape.slice(0, -1)), t.shape[t.ndim - 1]!];
}

/** The mean and `1/√(σ² + ε)` rows of a `[2, C]` statistics tensor, in double. */
function meanRstd(stats: Tensor, epsilon: number): { mu: Float64Array; rstd: Float64Array } {
  const s = dense(stats);
  const c = stats.shape[1]!;
  const mu = new Float64Array(c), rstd = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    mu[i] = s[i]!;
    rstd[i] = 1 / Math.sqrt(s[c + i]! + epsilon);
  }
  return { mu, rstd };
}

export const normalizationPrims: PrimTable<'batchNormStats' | 'batchNorm'> = {
  batchNormStats: {
    // x [..., C] → [2, C]: the mean and the biased variance of each channel over all other axes
    forward: ([x]) => {
      const [rows, cols] = rowsCols(x!);
      const m = new Float64Array(cols), v = new Float64Array(cols);
      backend().batchNormStats(dense(x!), rows, cols, m, v);
      const out = empty(x!.dtype, [2, cols]);
      out.storage.set(m, 0);
      out.storage.set(v, cols);
      return out;
    },
    vjp: 'none',
  },
  batchNorm: {
    // [x [..., C], stats = batchNormStats(x), gamma [C], beta [C]] → (x − μ)·γ/√(σ² + ε) + β
    forward: ([x, stats, gamma, beta], { epsilon }) => {
      const [rows, cols] = rowsCols(x!);
      const { mu, rstd } = meanRstd(stats!, epsilon);
      const g = dense(gamma!);
      const scale = rstd.map((r, i) => r * g[i]!);
      const out = empty(x!.dtype, x!.shape);
      backend().batchNormForward(dense(x!), rows, cols, mu, scale, dense(beta!), out.storage);
      return out;
    },
    // The statistics are x's own, so x's gradient goes through them too: with x̂ = (x − μ)·rstd,
    // dx = γ·rstd·(g − mean(g) − x̂·mean(g·x̂)), dγ = Σ g·x̂, dβ = Σ g (sums over all but the last axis)
    vjp: (g, [x, stats, gamma, beta], _, { epsilon }) => {
      const [rows, cols] = rowsCols(x!);
      const { mu, rstd } = meanRstd(stats!, epsilon);
      const dx = empty(x!.dtype, x!.shape);
      const dgamma = new Float64Array(cols), dbeta = new Float64Array(cols);
      backend().batchNormBackward(dense(x!), dense(g), rows, cols, mu, rstd, Float64Array.from(dense(gamma!)), dx.storage, dgamma, dbeta);
      const dg = empty(gamma!.dtype, [cols]), db = empty(beta!.dtype, [cols]);
      dg.storage.set(dgamma);
      db.storage.set(dbeta);
      return [dx, null, dg, db];
    },
    composite: ([x, , gamma, beta], { epsilon }) => batchNormComposite(x!, gamma!, beta!, epsilon),
  },
};
