import { isGradEnabled } from '../autograd/mode.js';
import { backend } from '../backend/index.js';
import { allocate, isFloat, type DType } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { PRIMITIVES } from './primitives/table.js';
import type { Prim, PrimDef, PrimParams } from './primitives/types.js';

/**
 * Runs a primitive and, when autograd is recording and an input requires gradients, records it
 * in the graph. Every differentiable computation in nabla goes through here. An integer or bool
 * output (a float→int32 cast) carries no gradient, so it is not recorded.
 */
export function apply<P extends Prim>(prim: P, inputs: readonly Tensor[], params: PrimParams[P]): Tensor {
  const def = PRIMITIVES[prim] as PrimDef<P>;
  const out = def.forward(inputs, params);
  if (def.vjp !== 'none' && isGradEnabled() && isFloat(out.dtype)) {
    let needed = false;
    for (const t of inputs) if (t.requiresGrad) needed = true;
    if (needed) {
      const vjp = def.vjp;
      out.node = { name: prim, inputs, vjp: (g) => vjp(g, inputs, out, params) };
      out.requiresGrad = true;
    }
  }
  return out;
}

/** A new zero-filled contiguous tensor. */
export function empty(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape.slice());
}

/** The tensor itself when contiguous, else a contiguous copy (no autograd: for kernels only). */
export function contiguousCopy(t: Tensor): Tensor {
  if (t.isContiguous) return t;
  const out = empty(t.dtype, t.shape);
  backend().copy(t.strided(), out.strided());
  return out;
}
