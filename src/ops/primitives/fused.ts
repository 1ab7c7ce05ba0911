/**
 * Fused primitives: softmax and logSoftmax over the last axis, cross-entropy per row, bias plus
 * activation, layer norm over the last axis. Each forward is one kernel pass and each VJP one
 * backward kernel pass. Each also names its composite — the same function written as other ops
 * (`ops/activations.ts`, `ops/nn.ts`) — which is its one definition beside the kernels: when the
 * backward is recorded (`createGraph`), autograd recomputes the composite on the inputs and
 * differentiates that, so gradients of gradients need no derivative written here. Tests check
 * every kernel against its composite.
 */
import { backend } from '../../backend/index.js';
import type { FloatArray } from '../../backend/fused-kernels.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { logSoftmaxComposite, softmaxComposite } from '../activations.js';
import { biasActivationComposite, crossEntropyComposite, layerNormComposite } from '../nn.js';
import { denseData, empty, uninitialized } from './alloc.js';
import type { PrimTable } from './types.js';

/** The elements of a float tensor as a dense array of exactly its size. */
const dense = (t: Tensor): FloatArray => denseData(t) as FloatArray;

/** `[rows, cols]` of `t` seen as rows along its last axis. */
function rowsCols(t: Tensor): [number, number] {
  return [sizeOf(t.shape.slice(0, -1)), t.shape[t.ndim - 1] ?? 1];
}

/** The kernels' view of a cross-entropy target: int32 labels or float rows. */
function ceTarget(target: Tensor, fromLogits: boolean, smoothing: number) {
  const sparse = target.dtype === 'int32';
  return { labels: sparse ? (denseData(target) as Int32Array) : null, targets: sparse ? null : dense(target), smoothing, fromLogits };
}

/** layerNorm's optional `[gamma, beta]` inputs after x. */
function affine(rest: readonly Tensor[], scale: boolean, center: boolean): [Tensor | null, Tensor | null] {
  return [scale ? rest[0]! : null, center ? rest[scale ? 1 : 0]! : null];
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
      const dx = uninitialized(out.dtype, out.shape);
      const [rows, cols] = rowsCols(out);
      backend().softmaxBackward(dense(out), dense(g), rows, cols, log, dx.storage as FloatArray);
      return [dx];
    },
    composite: ([x]: readonly Tensor[]): Tensor => (log ? logSoftmaxComposite : softmaxComposite)(x!, x!.ndim - 1),
  };
}

export const fusedPrims: PrimTable<'softmax' | 'logSoftmax' | 'crossEntropy' | 'biasActivation' | 'layerNorm'> = {
  softmax: softmaxPrim(false),
  logSoftmax: softmaxPrim(true),
  crossEntropy: {
    // [x [..., C], target (int32 [...] or float [..., C])] → loss [...] = −Σ_c t_c·log q_c
    forward: ([x, target], { fromLogits, smoothing }) => {
      const [rows, cols] = rowsCols(x!);
      const out = empty(x!.dtype, x!.shape.slice(0, -1));
      backend().crossEntropy(dense(x!), rows, cols, ceTarget(target!, fromLogits, smoothing), out.storage as FloatArray);
      return out;
    },
    // from logits: dx = g·(softmax(x)·Σt − t). The target is a constant here: `crossEntropy`
    // sends a target that takes gradients through the composite instead.
    vjp: (g, [x, target], _, { fromLogits, smoothing }) => {
      const [rows, cols] = rowsCols(x!);
      const dx = uninitialized(x!.dtype, x!.shape);
      backend().crossEntropyBackward(dense(x!), rows, cols, ceTarget(target!, fromLogits, smoothing), dense(g), dx.storage as FloatArray);
      return [dx, null];
    },
    composite: ([x, target], { fromLogits, smoothing }) => crossEntropyComposite(x!, target!, fromLogits, smoothing),
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
      const [rows, cols] = rowsCols(y!);
      const dz = uninitialized(y!.dtype, y!.shape);
      const dbias = bias?.requiresGrad ? empty(bias.dtype, bias.shape) : null;
      backend().biasActivationBackward(
        activation, dense(y!), bias ? dense(bias) : null, dense(out), dense(g), rows, cols, dz.storage as FloatArray, (dbias?.storage ?? null) as FloatArray | null,
      );
      if (!bias) return [y!.requiresGrad ? dz : null];
      return [y!.requiresGrad ? dz : null, dbias];
    },
    composite: ([y, bias], { activation }) => biasActivationComposite(y!, bias ?? null, activation),
  },
  layerNorm: {
    // [x [..., C], gamma [C] (if scale), beta [C] (if center)] → (x − μ)/√(σ² + ε)·gamma + beta per row
    forward: ([x, ...rest], { epsilon, scale, center }) => {
      const [gamma, beta] = affine(rest, scale, center);
      const out = uninitialized(x!.dtype, x!.shape);
      const [rows, cols] = rowsCols(x!);
      backend().layerNorm(dense(x!), gamma && dense(gamma), beta && dense(beta), rows, cols, epsilon, out.storage as FloatArray);
      return out;
    },
    // x̂ = (x − μ)·rstd, ĝ = g·gamma: dx = rstd·(ĝ − mean ĝ − x̂·mean(ĝ·x̂)), dgamma = Σ g·x̂, dbeta = Σ g
    vjp: (g, [x, ...rest], _, { epsilon, scale, center }) => {
      const [gamma, beta] = affine(rest, scale, center);
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
    composite: ([x, ...rest], { epsilon, scale, center }) => layerNormComposite(x!, ...affine(rest, scale, center), epsilon),
  },
};
