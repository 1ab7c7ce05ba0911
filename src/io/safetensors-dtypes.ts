import type { DType } from '../tensor/dtype.js';

/** The safetensors name of each nabla dtype. */
export const SAFETENSORS_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/** The nabla dtype of a safetensors dtype name, or undefined when nabla cannot load it. */
export function nablaDType(name: string): DType | undefined {
  switch (name) {
    case 'F32':
      return 'float32';
    case 'F64':
      return 'float64';
    case 'I32':
      return 'int32';
    case 'BOOL':
      return 'bool';
    default:
      return undefined;
  }
}

/** Bytes per element of each nabla dtype, as stored in a file. */
export const ITEM_SIZE: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/** The other dtypes the safetensors format defines, which nabla cannot hold yet. */
export const UNSUPPORTED_DTYPES: readonly string[] = [
  'F16', 'BF16', 'F8_E4M3', 'F8_E5M2', 'I8', 'I16', 'I64', 'U8', 'U16', 'U32', 'U64',
];
