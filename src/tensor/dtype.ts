import type { TypedArray } from '../backend/typed-array.js';
import { checkAllocation } from './allocation-limit.js';
import { born, POOL_MIN_BYTES, takePooled } from './buffer-pool.js';
import { DTypeError } from './errors.js';

/** The typed array that stores each dtype (the backend's storage vocabulary). */
export type { TypedArray, FloatArray } from '../backend/typed-array.js';

/**
 * The element types a tensor can hold.
 *
 * Promotion (binary ops, concat, where): `bool < int32 < float32 < float64`; the result takes the
 * higher of the two. A JS number mixed with a tensor takes the tensor's dtype, except that a
 * non-integer number promotes a bool/int32 tensor to float32 (as PyTorch does with Python scalars).
 * Division of integer tensors gives float32 (true division). Float-only math (exp, log, sqrt, sin…)
 * rejects int32/bool tensors with a DTypeError: cast first.
 */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

export const DTYPES: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

const CTORS = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const;

/** Node's `Buffer`, where there is one: its unpooled allocation skips the zero fill. */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(bytes: number): { buffer: ArrayBuffer; byteOffset: number } } }).Buffer;

/**
 * Allocates storage of `size` elements for `dtype`, zero-filled unless `zeroed` is false. From
 * 64 KiB up it is a dead buffer of the same size from the pool when one waits there
 * (tensor/buffer-pool.ts), else new; unzeroed and new on Node, it skips the zero fill, which costs
 * about as much as a kernel's own writes (for a kernel that writes every element). Below 64 KiB
 * zeroing costs less than the unpooled allocation, so small storage is always zeroed.
 */
export function allocate(dtype: DType, size: number, zeroed = true): TypedArray {
  const Ctor = CTORS[dtype];
  const bytes = size * Ctor.BYTES_PER_ELEMENT;
  checkAllocation(size, Ctor.BYTES_PER_ELEMENT);
  let out: TypedArray;
  const pooled = bytes >= POOL_MIN_BYTES ? takePooled(bytes) : undefined;
  if (pooled !== undefined) out = zeroed ? new Ctor(pooled).fill(0) : new Ctor(pooled);
  else if (!zeroed && nodeBuffer && bytes >= POOL_MIN_BYTES) {
    const fresh = nodeBuffer.allocUnsafeSlow(bytes);
    out = new Ctor(fresh.buffer, fresh.byteOffset, size);
  } else out = new Ctor(size);
  born(out, pooled !== undefined);
  return out;
}

/** The dtype whose storage is `data`. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

/** The dtype two operands promote to: `promoteTypes('int32', 'float32') === 'float32'`. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/** Throws a DTypeError unless `dtype` is a float type. */
export function assertFloat(op: string, dtype: DType): void {
  if (!isFloat(dtype)) {
    throw new DTypeError(
      `${op}: expected a float tensor (float32 or float64), got ${dtype}; cast it first, e.g. x.cast('float32')`,
    );
  }
}

export function assertDType(value: string): DType {
  if (value === 'float32' || value === 'float64' || value === 'int32' || value === 'bool') return value;
  throw new DTypeError(`unknown dtype '${value}': use one of float32, float64, int32, bool`);
}
