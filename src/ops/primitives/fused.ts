/**
 * Fused primitives: softmax and logSoftmax over the last axis, cross-entropy per row, bias plus
 * activation, layer norm over the last axis. Each forward is one kernel pass; each VJP runs the
 * backend's fused backward kernel during a plain `backward()`, and the same derivative written
 * as tensor ops when the backward itself is recorded (`createGraph`), so gradients of gradients
 * work. Tests check every one against the composite it replaces.
 */
import { isGradEnabled } from '../../autograd/mode.js';
import { backend } from '../../backend/index.js';
import type { FloatArray, FusedActivation } from '../../backend/fused-kernels.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, cast, clamp, div, ge, gt, le, mul, sub } from '../binary.js';
import { sumTo } from '../broadcast.js';
import { oneHot } from '../indexing.js';
import { unsqueeze } from '../movement.js';
import { logSumExp, mean, sum, variance } from '../reduce.js';
import { erf, exp, log, neg, rsqrt } from '../unary.js';
import { denseData, empty, uninitialized } from './alloc.js';
import type { PrimTable } from './types.js';

/** Keras' clip of probabilities in the cross-entropy. */
const CE_EPS = 1e-7;
const INV_SQRT_2PI = 0.3989422804014327;

/** The elements of a float tensor as a dense array of exactly its size. */
const dense = (t: Tensor): FloatArray => denseData(t) as FloatArray;
const labelsOf = (t: Tensor): Int32Array => denseData(t) as Int32Array;

/** `[rows, cols]` of `t` seen as rows along its last axis. */
function rowsCols(t: Tensor): [number, number] {
  return [sizeOf(t.shape.slice(0, -1)), t.shape[t.ndim - 1] ?? 1];
}

function softmaxPrim(log: boolean) {
  return {
    forward: ([x]: readonly Tensor[]): Tensor => {
      const out = uninitialized(x!.dtype, x!.shape);
      const [rows, cols] = rowsCols(x!);
      backend().softmax(dense(x!), rows, cols, log, out.storage as FloatArray);
      return out;
    },
    // softmax: dx = y·(g − Σg·y);  logSoftmax: dx = g − eʸ·Σg  (sums along the last axis)
    vjp: (g: Tensor, _: readonly Tensor[], out: Tensor): Tensor[] => {
      if (isGradEnabled()) {
        return [log ? sub(g, mul(exp(out), sum(g, -1, true))) : mul(out, sub(g, sum(mul(g, out), -1, true)))];
      }
      const dx = uninitialized(out.dtype, out.shape);
      const [rows, cols] = rowsCols(out);
      backend().softmaxBackward(dense(out), dense(g), rows, cols, log, dx.storage as FloatArray);
      return [dx];
    },
  };
}

/** The (smoothed) target rows as a tensor like x: one-hot rows for integer labels. */
function targetRows(x: Tensor, target: Tensor, smoothing: number): Tensor {
  const cols = x.shape[x.ndim - 1]!;
  const t = target.dtype === 'int32' ? oneHot(target, cols, x.dtype) : target;
  return smoothing === 0 ? t : add(mul(t, 1 - smoothing), smoothing / cols);
}

/** log q of the cross-entropy: logSoftmax of logits, or the log of the clipped normalised probabilities. */
function logQ(x: Tensor, fromLogits: boolean): Tensor {
  if (fromLogits) return sub(x, logSumExp(x, -1, true));
  return log(clamp(div(x, sum(x, -1, true)), CE_EPS, 1 - CE_EPS));
}

/** ∂(Σ g·loss)/∂x as tensor ops (the recorded form of the fused backward). */
function crossEntropyGradOps(g: Tensor, x: Tensor, target: Tensor, fromLogits: boolean, smoothing: number): Tensor {
  const t = targetRows(x, target, smoothing);
  const gr = unsqueeze(g, -1);
  if (fromLogits) return mul(gr, sub(mul(exp(logQ(x, true)), sum(t, -1, true)), t));
  // u = x/S clipped to q; a = −g·t/q inside the clip; dx = (a − Σ a·u)/S
  const s = sum(x, -1, true);
  const u = div(x, s);
  const inside = mul(cast(ge(u, CE_EPS), x.dtype), cast(le(u, 1 - CE_EPS), x.dtype));
  const a = mul(neg(div(t, clamp(u, CE_EPS, 1 - CE_EPS))), mul(inside, gr));
  return div(sub(a, sum(mul(a, u), -1, true)), s);
}

/** g·act'(z) as tensor ops, z = y + bias, out = act(z). */
function activationGradOps(act: FusedActivation, g: Tensor, y: Tensor, bias: Tensor | null, out: Tensor): Tensor {
  switch (act) {
    case 'relu':
      return mul(g, cast(gt(out, 0), g.dtype));
    case 'sigmoid':
      return mul(g, mul(out, sub(1, out)));
    case 'tanh':
      return mul(g, sub(1, mul(out, out)));
    case 'gelu': {
      // d/dz z·Φ(z) = Φ(z) + z·φ(z)
      const z = bias ? add(y, bias) : y;
      const cdf = mul(add(erf(mul(z, Math.SQRT1_2)), 1), 0.5);
      const pdf = mul(exp(mul(mul(z, z), -0.5)), INV_SQRT_2PI);
      return mul(g, add(cdf, mul(z, pdf)));
    }
    case 'linear':
      return g;
  }
}

export const fusedPrims: PrimTable<'softmax' | 'logSoftmax' | 'crossEntropy' | 'biasActivation' | 'layerNorm'> = {
  softmax: softmaxPrim(false),
  logSoftmax: softmaxPrim(true),
  crossEntropy: {
    // [x [..., C], target (int32 [...] or float [..., C])] → loss [...] = −Σ_c t_c·log q_c
    forward: ([x, target], { fromLogits, smoothing }) => {
      const [rows, cols] = rowsCols(x!);
      const out = empty(x!.dtype, x!.shape.slice(0, -1));
      const sparse = target!.dtype === 'int32';
      const t = { labels: sparse ? labelsOf(target!) : null, targets: sparse ? null : dense(target!), smoothing, fromLogits };
      backend().crossEntropy(dense(x!), rows, cols, t, out.storage as FloatArray);
      return out;
    },
    // from logits: dx = g·(softmax(x)·Σt − t); from probabilities see crossEntropyGradOps;
    // dtarget = −g·(1 − ε)·log q
    vjp: (g, [x, target], _, { fromLogits, smoothing }) => {
      const dTarget = target!.requiresGrad ? mul(mul(unsqueeze(g, -1), logQ(x!, fromLogits)), smoothing - 1) : null;
      if (!x!.requiresGrad) return [null, dTarget];
      if (isGradEnabled()) return [crossEntropyGradOps(g, x!, target!, fromLogits, smoothing), dTarget];
      const [rows, cols] = rowsCols(x!);
      const dx = uninitialized(x!.dtype, x!.shape);
      const sparse = target!.dtype === 'int32';
      const t = { labels: sparse ? labelsOf(target!) : null, targets: sparse ? null : dense(target!), smoothing, fromLogits };
      backend().crossEntropyBackward(dense(x!), rows, cols, t, dense(g), dx.storage as FloatArray);
      return [dx, dTarget];
    },
  },
  biasActivation: {
    // [y [..., C]] or [y, bias [C]] → act(y + bias)
    forward: ([y, bias], { activation }) => {
      const out = uninitialized(y!.dtype, y!.shape);
      const [rows, cols] = rowsCols(y!);
      backend().biasActivation(activation, dense(y!), bias ? dense(bias) : null, rows, cols, out.storage as FloatArray);
      return out;
    },
    // dz = g·act'(z); dy = dz; dbias = Σ_rows dz
    vjp: (g, [y, bias], out, { activation }) => {
      if (isGradEnabled()) {
        const dz = activationGradOps(activation, g, y!, bias ?? null, out);
        if (!bias) return [y!.requiresGrad ? dz : null];
        return [y!.requiresGrad ? dz : null, bias.requiresGrad ? sumTo(dz, bias.shape) : null];
      }
      const [rows, cols] = rowsCols(y!);
      const dz = uninitialized(y!.dtype, y!.shape);
      const dbias = bias?.requiresGrad ? empty(bias.dtype, bias.shape) : null;
      backend().biasActivationBackward(
        activation, dense(y!), bias ? dense(bias) : null, dense(out), dense(g), rows, cols, dz.storage as FloatArray, (dbias?.storage ?? null) as FloatArray | null,
      );
      if (!bias) return [y!.requiresGrad ? dz : null];
      return [y!.requiresGrad ? dz : null, dbias];
    },
  },
  layerNorm: {
    // [x [..., C], gamma [C] (if scale), beta [C] (if center)] → (x − μ)/√(σ² + ε)·gamma + beta per row
    forward: ([x, ...rest], { epsilon, scale, center }) => {
      const gamma = scale ? rest[0]! : null;
      const beta = center ? rest[scale ? 1 : 0]! : null;
      const out = uninitialized(x!.dtype, x!.shape);
      const [rows, cols] = rowsCols(x!);
      backend().layerNorm(dense(x!), gamma && dense(gamma), beta && dense(beta), rows, cols, epsilon, out.storage as FloatArray);
      return out;
    },
    // x̂ = (x − μ)·rstd, ĝ = g·gamma: dx = rstd·(ĝ − mean ĝ − x̂·mean(ĝ·x̂)), dgamma = Σ g·x̂, dbeta = Σ g
    vjp: (g, [x, ...rest], _, { epsilon, scale, center }) => {
      const gamma = scale ? rest[0]! : null;
      const beta = center ? rest[scale ? 1 : 0]! : null;
      if (isGradEnabled()) {
        const rstd = rsqrt(add(variance(x!, -1, true), epsilon));
        const xh = mul(sub(x!, mean(x!, -1, true)), rstd);
        const gh = gamma ? mul(g, gamma) : g;
        const dx = mul(rstd, sub(sub(gh, mean(gh, -1, true)), mul(xh, mean(mul(gh, xh), -1, true))));
        const grads: (Tensor | null)[] = [x!.requiresGrad ? dx : null];
        if (gamma) grads.push(gamma.requiresGrad ? sumTo(mul(g, xh), gamma.shape) : null);
        if (beta) grads.push(beta.requiresGrad ? sumTo(g, beta.shape) : null);
        return grads;
      }
      const [rows, cols] = rowsCols(x!);
      const dx = x!.requiresGrad ? uninitialized(x!.dtype, x!.shape) : null;
      const dgamma = gamma?.requiresGrad ? empty(gamma.dtype, gamma.shape) : null;
      const dbeta = beta?.requiresGrad ? empty(beta.dtype, beta.shape) : null;
      const arr = (t: Tensor | null) => (t ? (t.storage as FloatArray) : null);
      backend().layerNormBackward(dense(x!), gamma && dense(gamma), dense(g), rows, cols, epsilon, arr(dx), arr(dgamma), arr(dbeta));
      const grads: (Tensor | null)[] = [dx];
      if (gamma) grads.push(dgamma);
      if (beta) grads.push(dbeta);
      return grads;
    },
  },
};
