import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { zerosLike, onesLike } from '../tensor/creation.js';
import { runBackward } from './backward.js';
import { enableGrad } from './mode.js';

/**
 * Gradients of `outputs` (seeded with `gradOutputs`, default ones for scalars) with respect to
 * `inputs`, returned rather than accumulated into `.grad` (PyTorch's `torch.autograd.grad`).
 * With `createGraph`, the result is itself differentiable.
 */
export function gradients(
  outputs: Tensor | readonly Tensor[],
  inputs: readonly Tensor[],
  opts: { gradOutputs?: readonly Tensor[]; createGraph?: boolean; retainGraph?: boolean; allowUnused?: boolean } = {},
): Tensor[] {
  const outs = Array.isArray(outputs) ? (outputs as readonly Tensor[]) : [outputs as Tensor];
  const seeds = outs.map((o, i) => {
    const g = opts.gradOutputs?.[i];
    if (g) return g;
    if (o.size !== 1) throw new ShapeError(`grad: output ${i} has shape ${fmt(o.shape)}; pass gradOutputs for non-scalar outputs`);
    return onesLike(o);
  });
  const live = outs.filter((o) => o.requiresGrad);
  const liveSeeds = seeds.filter((_, i) => outs[i]!.requiresGrad);
  const grads = live.length ? runBackward(live, liveSeeds, inputs, opts) : inputs.map(() => null);
  return grads.map((g, i) => {
    if (g) return g;
    if (!opts.allowUnused && live.length === 0) {
      throw new ValueError('grad: the output does not depend on any input that requires gradients');
    }
    return zerosLike(inputs[i]!);
  });
}

/** Options of `grad` and `valueAndGrad`. */
export interface GradOptions {
  /** Which arguments to differentiate (default: all tensor arguments). */
  argnums?: number | readonly number[];
}

type TensorFn = (...args: Tensor[]) => Tensor;

/**
 * The functional form: `grad(f)` returns a function computing `∂f/∂args` for a scalar-valued `f`,
 * one gradient per differentiated argument (a single tensor when there is one). Nesting works:
 * `grad(grad(f))` gives second derivatives.
 *
 * @example
 * const df = nb.grad((x) => x.mul(x).sum());
 * df(nb.tensor([1, 2]))   // tensor([2., 4.])
 */
export function grad(f: TensorFn, opts: GradOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGrad(f, opts);
  return (...args) => vg(...args).grad;
}

/** Like `grad`, but returns `{ value, grad }` from one forward pass. */
export function valueAndGrad(f: TensorFn, opts: GradOptions = {}): (...args: Tensor[]) => { value: Tensor; grad: Tensor | Tensor[] } {
  return (...args) => {
    const which = opts.argnums === undefined ? args.map((_, i) => i) : typeof opts.argnums === 'number' ? [opts.argnums] : [...opts.argnums];
    for (const i of which) {
      const a = args[i];
      if (!(a instanceof Tensor)) throw new ValueError(`grad: argument ${i} must be a Tensor`);
      if (!isFloat(a.dtype)) throw new ValueError(`grad: argument ${i} is ${a.dtype}; only float tensors can be differentiated`);
    }
    // An argument that already takes part in a graph (an outer grad) is used as it is, so that
    // the inner gradient stays differentiable; otherwise a fresh leaf stands in for it.
    const nested = which.some((i) => args[i]!.requiresGrad);
    const inputs = args.map((a, i) => (which.includes(i) && !a.requiresGrad ? a.detach().requireGrad() : a));
    const value = enableGrad(() => f(...inputs));
    if (!(value instanceof Tensor)) throw new ValueError('grad: the function must return a Tensor');
    if (value.size !== 1) {
      throw new ShapeError(`grad: the function must return a scalar, got shape ${fmt(value.shape)}; reduce it (e.g. .sum() or .mean())`);
    }
    const gs = gradients(value, which.map((i) => inputs[i]!), { createGraph: nested, allowUnused: true });
    return { value: nested ? value : value.detach(), grad: gs.length === 1 ? gs[0]! : gs };
  };
}
