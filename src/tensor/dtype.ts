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

/** Bytes per element of each dtype. */
export function bytesPerElement(dtype: DType): number {
  return CTORS[dtype].BYTES_PER_ELEMENT;
}

/**
 * Allocates zeroed storage of `size` elements for `dtype`: a dead buffer of the same size from
 * the pool (zeroed here) when one waits there, else a new typed array (tensor/buffer-pool.ts).
 */
export function allocate(dtype: DType, size: number): TypedArray {
  const Ctor = CTORS[dtype];
  const bytes = size * Ctor.BYTES_PER_ELEMENT;
  checkAllocation(size, Ctor.BYTES_PER_ELEMENT);
  const pooled = bytes >= POOL_MIN_BYTES ? takePooled(bytes) : undefined;
  const out = pooled === undefined ? new Ctor(size) : new Ctor(pooled).fill(0);
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
