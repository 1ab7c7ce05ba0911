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
  if (inputWatchers.length > 0) for (const watch of inputWatchers) watch(inputs);
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

/** A new zero-filled contiguous tensor. */
export function empty(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape.slice());
}

/** Node's `Buffer`, where there is one: its unpooled allocation skips the zero fill. */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): { buffer: ArrayBuffer; byteOffset: number } } }).Buffer;
const CTORS: Partial<Record<DType, Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor>> = {
  float32: Float32Array, float64: Float64Array, int32: Int32Array,
};
/** Below this many bytes zeroing costs less than the unpooled allocation. */
const UNINITIALIZED_MIN_BYTES = 1 << 16;

/**
 * A new contiguous tensor whose contents are unspecified, for a kernel that writes every
 * element (a GEMM, im2col, max pooling): on Node, large float and int32 ones skip zero-filling,
 * which costs about as much as the kernel's own writes. Elsewhere, or small, the same as `empty`.
 */
export function uninitialized(dtype: DType, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const Ctor = CTORS[dtype];
  if (!nodeBuffer || !Ctor || n * Ctor.BYTES_PER_ELEMENT < UNINITIALIZED_MIN_BYTES) return empty(dtype, shape);
  const bytes = nodeBuffer.allocUnsafeSlow(n * Ctor.BYTES_PER_ELEMENT);
  return new Tensor(new Ctor(bytes.buffer, bytes.byteOffset, n), shape.slice());
}

/** The tensor itself when contiguous, else a contiguous copy (no autograd: for kernels only). */
export function contiguousCopy(t: Tensor): Tensor {
  if (t.isContiguous) return t;
  const out = empty(t.dtype, t.shape);
  backend().copy(t.strided(), out.strided());
  return out;
}
