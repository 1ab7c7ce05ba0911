import { isGradEnabled } from '../tensor/grad-mode.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { primitives } from './primitives/table.js';
import type { Prim, PrimDef, PrimParams } from './primitives/types.js';

/**
 * Runs a primitive and, when autograd is recording and an input requires gradients, records it
 * in the graph. Every differentiable computation in nabla goes through here. An integer or bool
 * output (a float→int32 cast) carries no gradient, so it is not recorded.
 */
export function apply<P extends Prim>(prim: P, inputs: readonly Tensor[], params: PrimParams[P]): Tensor {
  const def = primitives()[prim] as PrimDef<P>;
  if (inputWatchers.length > 0) for (const watch of inputWatchers) watch(inputs);
  const out = def.forward(inputs, params);
  if (def.vjp !== 'none' && isGradEnabled() && isFloat(out.dtype)) {
    let needed = false;
    for (const t of inputs) if (t.requiresGrad) needed = true;
    if (needed) {
      const { vjp, composite } = def;
      out.node = { name: prim, inputs, vjp: (g) => vjp(g, inputs, out, params), pure: true };
      if (composite) out.node.composite = (xs) => composite(xs, params);
      out.requiresGrad = true;
    }
  }
  return out;
}

const inputWatchers: ((inputs: readonly Tensor[]) => void)[] = [];

/**
 * Runs `fn` with `watch` called on the inputs of every primitive applied meanwhile (also under
 * `noGrad`). Gradient checkpointing uses it to find the tensors a block reads from outside.
 */
export function watchInputs<T>(watch: (inputs: readonly Tensor[]) => void, fn: () => T): T {
  inputWatchers.push(watch);
  try {
    return fn();
  } finally {
    inputWatchers.splice(inputWatchers.lastIndexOf(watch), 1);
  }
}
