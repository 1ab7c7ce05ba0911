import type { TypedArray } from '../backend/typed-array.js';
import { checkAllocation } from './allocation-limit.js';
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

/** Allocates zeroed storage of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  checkAllocation(size, dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4);
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
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
