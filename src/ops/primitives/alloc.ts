/**
 * Tensors for kernels to write into, and contiguous copies for kernels to read: what the
 * primitives' forwards (and the few ops that call a kernel themselves) allocate. Below the
 * primitive table and the dispatcher, so that neither needs the other for memory.
 */
import { backend } from '../../backend/index.js';
import { checkAllocation } from '../../tensor/allocation-limit.js';
import { born, POOL_MIN_BYTES, takePooled } from '../../tensor/buffer-pool.js';
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
const UNINITIALIZED_MIN_BYTES = POOL_MIN_BYTES;

/**
 * A new contiguous tensor whose contents are unspecified, for a kernel that writes every
 * element (a GEMM, im2col, max pooling): a dead buffer of the same size from the pool as it is,
 * or on Node a large float or int32 one without the zero fill, which costs about as much as the
 * kernel's own writes. Elsewhere, or small, the same as `empty`.
 */
export function uninitialized(dtype: DType, shape: readonly number[]): Tensor {
  const n = sizeOf(shape);
  const Ctor = CTORS[dtype];
  if (!Ctor || n * Ctor.BYTES_PER_ELEMENT < UNINITIALIZED_MIN_BYTES) return empty(dtype, shape);
  const bytes = n * Ctor.BYTES_PER_ELEMENT;
  checkAllocation(n, Ctor.BYTES_PER_ELEMENT);
  const pooled = takePooled(bytes);
  let out: TypedArray;
  if (pooled !== undefined) out = new Ctor(pooled, 0, n);
  else if (nodeBuffer) {
    const fresh = nodeBuffer.allocUnsafeSlow(bytes);
    out = new Ctor(fresh.buffer, fresh.byteOffset, n);
  } else out = new Ctor(n);
  born(out, pooled !== undefined);
  return new Tensor(out, shape.slice());
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
