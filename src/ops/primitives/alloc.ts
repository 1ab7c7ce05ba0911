/**
 * Tensors for kernels to write into, and contiguous copies for kernels to read: what the
 * primitives' forwards (and the few ops that call a kernel themselves) allocate. Below the
 * primitive table and the dispatcher, so that neither needs the other for memory.
 */
import { backend } from '../../backend/index.js';
import { allocate, type DType, type TypedArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

/** A new zero-filled contiguous tensor. */
export function empty(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape.slice());
}

/**
 * A new contiguous tensor whose contents are unspecified, for a kernel that writes every
 * element (a GEMM, im2col, max pooling): see `allocate(dtype, size, false)`.
 */
export function uninitialized(dtype: DType, shape: readonly number[]): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape), false), shape.slice());
}

/** The tensor itself when contiguous, else a contiguous copy (no autograd: for kernels only). */
export function contiguousCopy(t: Tensor): Tensor {
  if (t.isContiguous) return t;
  const out = uninitialized(t.dtype, t.shape);
  backend().copy(t.strided(), out.strided());
  return out;
}

/** The elements of `t` as a dense array of exactly its size (copied only when not contiguous). */
export function denseData(t: Tensor): TypedArray {
  const c = contiguousCopy(t);
  return c.offset === 0 && c.storage.length === c.size ? c.storage : c.storage.subarray(c.offset, c.offset + c.size);
}
