/**
 * Tensors for kernels to write into, and contiguous copies for kernels to read: what the
 * primitives' forwards (and the few ops that call a kernel themselves) allocate. Below the
 * primitive table and the dispatcher, so that neither needs the other for memory.
 */
import { backend } from '../../backend/index.js';
import { checkAllocation } from '../../tensor/allocation-limit.js';
import { allocate, type DType, type TypedArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';

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
  checkAllocation(n, Ctor.BYTES_PER_ELEMENT);
  const bytes = nodeBuffer.allocUnsafeSlow(n * Ctor.BYTES_PER_ELEMENT);
  return new Tensor(new Ctor(bytes.buffer, bytes.byteOffset, n), shape.slice());
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
