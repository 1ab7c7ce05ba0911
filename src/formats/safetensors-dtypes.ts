import type { DType } from '../tensor/dtype.js';

/**
 * The safetensors dtypes nabla reads and writes. On load, F16 and BF16 become float32 tensors and
 * I64, I16, I8 and U8 become int32 tensors (nabla's dtypes are float32, float64, int32, bool); on
 * save, a tensor can be written in any dtype of its family (see `FILE_DTYPES_OF`).
 */
export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

/** The float dtypes a float tensor can be written as. */
export type SafetensorsFloatDType = 'F64' | 'F32' | 'F16' | 'BF16';

/** Bytes per element and the nabla dtype each file dtype loads as. */
export const DTYPE_INFO: Readonly<Record<SafetensorsDType, { itemSize: number; loadsAs: DType }>> = {
  F64: { itemSize: 8, loadsAs: 'float64' },
  F32: { itemSize: 4, loadsAs: 'float32' },
  F16: { itemSize: 2, loadsAs: 'float32' },
  BF16: { itemSize: 2, loadsAs: 'float32' },
  I64: { itemSize: 8, loadsAs: 'int32' },
  I32: { itemSize: 4, loadsAs: 'int32' },
  I16: { itemSize: 2, loadsAs: 'int32' },
  I8: { itemSize: 1, loadsAs: 'int32' },
  U8: { itemSize: 1, loadsAs: 'int32' },
  BOOL: { itemSize: 1, loadsAs: 'bool' },
};

/** The file dtype a tensor is written as unless another is asked for. */
export const DEFAULT_FILE_DTYPE: Readonly<Record<DType, SafetensorsDType>> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/** The file dtypes each nabla dtype may be written as (conversions stay within a family). */
export const FILE_DTYPES_OF: Readonly<Record<DType, readonly SafetensorsDType[]>> = {
  float32: ['F32', 'F64', 'F16', 'BF16'],
  float64: ['F64', 'F32', 'F16', 'BF16'],
  int32: ['I32', 'I64', 'I16', 'I8', 'U8'],
  bool: ['BOOL'],
};

/** The dtypes nabla reads, as a list for error messages. */
export const SUPPORTED_DTYPES = Object.keys(DTYPE_INFO) as SafetensorsDType[];

/** The other dtypes the safetensors format defines, which nabla cannot hold. */
export const UNSUPPORTED_DTYPES: readonly string[] = ['F8_E4M3', 'F8_E5M2', 'F8_E8M0', 'F6_E2M3', 'F6_E3M2', 'F4', 'U16', 'U32', 'U64'];

/** True when `name` is a dtype nabla reads. */
export function isSafetensorsDType(name: unknown): name is SafetensorsDType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_INFO, name);
}
