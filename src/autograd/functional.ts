import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';
import { zerosLike, onesLike } from '../tensor/creation.js';
import { runBackward } from './backward.js';
import { enableGrad } from '../tensor/grad-mode.js';

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
  /**
   * Which arguments to differentiate (default: every argument given). A number gives one
   * gradient tensor; an array gives an array of gradients, even of one (as JAX's `argnums`).
   */
  argnums?: number | readonly number[];
}

type TensorFn = (...args: Tensor[]) => Tensor;

/**
 * The gradient type of a function of the tensors `A`: one tensor for one argument, an array for
 * several, either when the count is not known (a function of `...args: Tensor[]`).
 */
export type GradResult<A extends readonly Tensor[]> = number extends A['length'] ? Tensor | Tensor[] : A['length'] extends 1 ? Tensor : Tensor[];

/**
 * The functional form: `grad(f)` returns a function computing `∂f/∂args` for a scalar-valued `f`.
 * A function of one tensor (or `argnums` a number) gives one gradient tensor; a function of
 * several tensors (or `argnums` an array) gives an array, one gradient per differentiated
 * argument. Nesting works: `grad(grad(f))` gives second derivatives.
 *
 * @example
 * const df = nb.grad((x) => x.mul(x).sum());
 * df(nb.tensor([1, 2]))                  // tensor([2., 4.]), typed Tensor
 * const [ga, gb] = nb.grad((a, b) => a.mul(b).sum())(a, b);
 */
export function grad(f: TensorFn, opts: { argnums: number }): (...args: Tensor[]) => Tensor;
export function grad(f: TensorFn, opts: { argnums: readonly number[] }): (...args: Tensor[]) => Tensor[];
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor, opts?: GradOptions): (...args: A) => GradResult<A>;
export function grad(f: TensorFn, opts: GradOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  const vg = valueAndGradOf(f, opts);
  return (...args) => vg(...args).grad;
}

/** Like `grad`, but returns `{ value, grad }` from one forward pass (`grad` typed as `grad`'s result). */
export function valueAndGrad(f: TensorFn, opts: { argnums: number }): (...args: Tensor[]) => { value: Tensor; grad: Tensor };
export function valueAndGrad(f: TensorFn, opts: { argnums: readonly number[] }): (...args: Tensor[]) => { value: Tensor; grad: Tensor[] };
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor, opts?: GradOptions): (...args: A) => { value: Tensor; grad: GradResult<A> };
export function valueAndGrad(f: TensorFn, opts: GradOptions = {}): (...args: Tensor[]) => { value: Tensor; grad: Tensor | Tensor[] } {
  return valueAndGradOf(f, opts);
}

function valueAndGradOf(f: TensorFn, opts: GradOptions): (...args: Tensor[]) => { value: Tensor; grad: Tensor | Tensor[] } {
  return (...args) => {
    const which = opts.argnums === undefined ? args.map((_, i) => i) : typeof opts.argnums === 'number' ? [opts.argnums] : [...opts.argnums];
    for (const i of which) {
      const a = args[i];
      if (!(a instanceof Tensor)) throw new ValueError(`grad: argument ${i} must be a Tensor${a === undefined ? ` (the function was called with ${args.length} argument${args.length === 1 ? '' : 's'})` : ''}`);
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
    // an array of argnums asks for an array; otherwise one differentiated argument gives one tensor
    const single = typeof opts.argnums === 'number' || (opts.argnums === undefined && gs.length === 1);
    return { value: nested ? value : value.detach(), grad: single ? gs[0]! : gs };
  };
}
