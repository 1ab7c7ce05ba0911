import { isFloat } from '../tensor/dtype.js';
import { DTypeError, ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { isGradEnabled } from '../tensor/grad-mode.js';

/** What the function given to `customGrad` returns: its value, and how to map the value's gradient to the inputs'. */
export interface CustomGradResult {
  /** The function's output. */
  value: Tensor;
  /**
   * The vector-Jacobian product: given `dy`, the gradient of the output, the gradient of each
   * input, shaped (and typed) like it; null for an input that gets none. One input: a tensor
   * alone is accepted.
   */
  grad: (dy: Tensor) => Tensor | readonly (Tensor | null | undefined)[];
}

/**
 * A function with a gradient of your own (`tf.customGrad`, `torch.autograd.Function`): `f`
 * computes the value and returns it with its VJP; autograd then uses that VJP instead of
 * differentiating the ops of `f` — for a numerically stabler gradient, a straight-through
 * estimator, or an op whose derivative is known in closed form.
 *
 * Gradients of gradients work when `grad` is written in ops on the inputs and on tensors `f`
 * computed from them (the forward is recorded, so they carry their own gradients); numbers read
 * out of tensors (`.item()`, `.data()`) are constants to autograd. Every tensor that `f` reads and
 * that requires gradients must be an input: one closed over (a layer's weight) would silently
 * get no gradient, so it is an error.
 *
 * @example
 * // straight-through clipping: the forward clips, the backward passes the gradient unchanged
 * const clipST = nb.customGrad((x: nb.Tensor) => ({ value: x.clamp(-1, 1), grad: (dy) => dy }));
 * // softplus with its gradient σ(x) in closed form
 * const softplus = nb.customGrad((x: nb.Tensor) => ({ value: nb.log1p(nb.exp(x)), grad: (dy) => dy.mul(x.sigmoid()) }));
 * softplus(x).sum().backward();
 */
export function customGrad<A extends Tensor[]>(f: (...inputs: A) => CustomGradResult): (...inputs: A) => Tensor {
  if (typeof f !== 'function') throw new ValueError(`customGrad: expected a function returning { value, grad }, got ${f === null ? 'null' : typeof f}`);
  return (...inputs: A): Tensor => {
    inputs.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ValueError(`customGrad: input ${i} must be a Tensor, got ${t === null ? 'null' : typeof t}`);
    });
    const result: unknown = f(...inputs);
    const r = result as Partial<CustomGradResult> | null;
    if (typeof r !== 'object' || r === null || !(r.value instanceof Tensor) || typeof r.grad !== 'function') {
      throw new ValueError('customGrad: the function must return { value: Tensor, grad: (dy) => gradients }, e.g. ({ value: x.exp(), grad: (dy) => dy.mul(x.exp()) })');
    }
    const { value, grad } = r as CustomGradResult;
    if (!isGradEnabled() || !isFloat(value.dtype)) return value;
    if (value.requiresGrad) assertReadsOnlyInputs(value, inputs);
    if (!inputs.some((t) => t.requiresGrad)) return value;
    // a new tensor object over the value's storage: the value (possibly an input) keeps its own node
    const out = new Tensor(value.storage, value.shape, value.strides, value.offset);
    out.node = { name: 'customGrad', inputs, vjp: (dy) => checkGradients(grad(dy), inputs) };
    out.requiresGrad = true;
    return out;
  };
}

/**
 * Walks the graph `f` recorded from `value` down to the inputs; a leaf that requires gradients
 * found on the way is a tensor `f` closed over instead of taking it as an input.
 */
function assertReadsOnlyInputs(value: Tensor, inputs: readonly Tensor[]): void {
  const stop = new Set<Tensor>(inputs);
  const seen = new Set<Tensor>();
  const stack = [value];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t) || stop.has(t)) continue;
    seen.add(t);
    if (t.node === null) {
      if (t.requiresGrad) {
        throw new ValueError(
          `customGrad: the function reads a tensor ${fmt(t.shape)} that requires gradients but is not one of its inputs (a weight it closes over?); ` +
            'its gradient would be lost: pass it as an input and return its gradient from grad',
        );
      }
      continue;
    }
    for (const x of t.node.inputs) if (x.requiresGrad) stack.push(x);
  }
}

/** The gradients `grad` returned, checked against the inputs: one per input, each shaped and typed like it. */
function checkGradients(returned: unknown, inputs: readonly Tensor[]): (Tensor | null)[] {
  const list: unknown[] = returned instanceof Tensor ? [returned] : Array.isArray(returned) ? returned : [returned];
  if (list.length !== inputs.length) {
    throw new ValueError(`customGrad: grad returned ${list.length} gradient${list.length === 1 ? '' : 's'} for ${inputs.length} input${inputs.length === 1 ? '' : 's'}; return one per input (null for an input without one)`);
  }
  return list.map((g, i) => {
    if (g === null || g === undefined) return null;
    const x = inputs[i]!;
    if (!(g instanceof Tensor)) throw new ValueError(`customGrad: the gradient of input ${i} must be a Tensor or null, got ${typeof g}`);
    if (g.ndim !== x.ndim || g.shape.some((d, k) => d !== x.shape[k])) {
      throw new ShapeError(`customGrad: the gradient of input ${i} has shape ${fmt(g.shape)} but the input has shape ${fmt(x.shape)}; grad must return gradients shaped like the inputs (sum over broadcast dimensions)`);
    }
    if (g.dtype !== x.dtype) throw new DTypeError(`customGrad: the gradient of input ${i} is ${g.dtype} but the input is ${x.dtype}; cast it with g.cast('${x.dtype}')`);
    return g;
  });
}
