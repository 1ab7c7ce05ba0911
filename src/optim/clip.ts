/**
 * Gradient clipping. Two families with slightly different formulas, each as its framework has it:
 *
 * - Keras' optimizer options (`clipNorm`, `clipValue`, `globalClipnorm`), applied by
 *   `Optimizer.step()` to its own copy of the gradients, through the array helpers below;
 * - PyTorch's `clipGradNorm` / `clipGradValue`, called by hand between `backward()` and `step()`,
 *   which replace each parameter's `.grad`.
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { namedParams, type FloatArray, type ParamsInput } from './params.js';
import { checkNumber } from './validate.js';

/** Σ gᵢ² over the elements of `g` (accumulated in double precision). */
export function sumOfSquares(g: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    s += v * v;
  }
  return s;
}

/**
 * The factor Keras' clipping by norm multiplies gradients by: c / max(‖g‖, c). It is 1 when the
 * norm is at most c, so small gradients pass unchanged; a zero gradient stays zero.
 */
export function normClipScale(norm: number, clip: number): number {
  return clip / Math.max(norm, clip);
}

/** out[i] = g[i] · scale; returns `out`. `out` may be `g` itself. */
export function scaleInto(out: FloatArray, g: ArrayLike<number>, scale: number): FloatArray {
  for (let i = 0; i < g.length; i++) out[i] = g[i]! * scale;
  return out;
}

/** out[i] = min(max(g[i], −limit), limit); returns `out`. `out` may be `g` itself. */
export function clampInto(out: FloatArray, g: ArrayLike<number>, limit: number): FloatArray {
  for (let i = 0; i < g.length; i++) {
    const v = g[i]!;
    out[i] = v > limit ? limit : v < -limit ? -limit : v;
  }
  return out;
}

/** The parameters of `params` that have a gradient (read once: `params` may be a one-shot iterable). */
function withGrads(op: string, params: ParamsInput): Array<{ param: Tensor; grad: Tensor }> {
  const out: Array<{ param: Tensor; grad: Tensor }> = [];
  for (const [, param] of namedParams(op, params)) if (param.grad !== null) out.push({ param, grad: param.grad });
  return out;
}

function withGrad(grad: Tensor, data: FloatArray): Tensor {
  return new Tensor(data, grad.shape.slice());
}

/**
 * PyTorch's `clip_grad_norm_`: the p-norm of all gradients together (as if concatenated),
 * total = (Σ |g|^p)^(1/p) (max |g| for p = Infinity); when total exceeds `maxNorm`, every gradient
 * is multiplied by maxNorm / (total + 1e-6). Returns the total norm before clipping. Parameters
 * without a gradient are skipped. Each `.grad` is replaced by a new tensor (never written in place:
 * a gradient may share storage with other tensors).
 *
 * @example
 * loss.backward();
 * const norm = nb.optim.clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 */
export function clipGradNorm(params: ParamsInput, maxNorm: number, normType = 2): number {
  const op = 'clipGradNorm';
  checkNumber(op, 'maxNorm', maxNorm, { min: 0 });
  if (!(normType === Infinity || (typeof normType === 'number' && Number.isFinite(normType) && normType > 0))) {
    throw new ValueError(`${op}: normType must be a positive number or Infinity, got ${String(normType)}`);
  }
  const items = withGrads(op, params);
  const datas = items.map(({ grad }) => grad.data());
  let total = 0;
  if (normType === Infinity) {
    for (const d of datas) for (let i = 0; i < d.length; i++) total = Math.max(total, Math.abs(d[i]!));
  } else if (normType === 2) {
    for (const d of datas) total += sumOfSquares(d);
    total = Math.sqrt(total);
  } else {
    for (const d of datas) for (let i = 0; i < d.length; i++) total += Math.pow(Math.abs(d[i]!), normType);
    total = Math.pow(total, 1 / normType);
  }
  const coef = maxNorm / (total + 1e-6);
  if (coef < 1) {
    items.forEach(({ param, grad }, k) => {
      const d = datas[k]!;
      if (d instanceof Float32Array || d instanceof Float64Array) param.grad = withGrad(grad, scaleInto(d, d, coef));
    });
  }
  return total;
}

/**
 * PyTorch's `clip_grad_value_`: every gradient element clamped to [−clipValue, clipValue].
 * Each `.grad` is replaced by a new tensor.
 *
 * @example
 * nb.optim.clipGradValue([w, b], 0.5);
 */
export function clipGradValue(params: ParamsInput, clipValue: number): void {
  const op = 'clipGradValue';
  checkNumber(op, 'clipValue', clipValue, { min: 0 });
  for (const { param, grad } of withGrads(op, params)) {
    const d = grad.data();
    if (d instanceof Float32Array || d instanceof Float64Array) param.grad = withGrad(grad, clampInto(d, d, clipValue));
  }
}
