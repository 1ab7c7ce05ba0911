/**
 * The element conversions between safetensors bytes and nabla storage: little-endian byte order,
 * F16/BF16 ↔ float32, the narrow and wide integers ↔ int32, with range checks where a value may
 * not fit.
 */
import type { TypedArray } from '../tensor/dtype.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { FormatError } from './errors.js';
import { decodeBFloat16, decodeFloat16, encodeBFloat16, encodeFloat16 } from './float16.js';
import { DTYPE_INFO, FILE_DTYPES_OF, type SafetensorsDType } from './safetensors-dtypes.js';

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The storage of a tensor read from the file: `raw` holds the tensor's bytes as found in the file
 * (little-endian), in a buffer of its own starting at offset 0 (so it is aligned for any typed
 * array). `raw` may be reused as the storage. `what` names the tensor in errors.
 */
export function storageFromBytes(raw: Uint8Array, dtype: SafetensorsDType, what: string): TypedArray {
  // read through a little-endian DataView, so no byte swap is needed on any host
  if (dtype === 'I64') return int32FromInt64(raw, what);
  const itemSize = DTYPE_INFO[dtype].itemSize;
  if (!LITTLE_ENDIAN_HOST) swapBytes(raw, itemSize);
  const buffer = raw.buffer;
  const n = raw.length / itemSize;
  switch (dtype) {
    case 'F64':
      return new Float64Array(buffer, 0, n);
    case 'F32':
      return new Float32Array(buffer, 0, n);
    case 'I32':
      return new Int32Array(buffer, 0, n);
    case 'F16': {
      const out = new Float32Array(n);
      decodeFloat16(new Uint16Array(buffer, 0, n), out);
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      decodeBFloat16(new Uint16Array(buffer, 0, n), out);
      return out;
    }
    case 'I16':
      return Int32Array.from(new Int16Array(buffer, 0, n));
    case 'I8':
      return Int32Array.from(new Int8Array(buffer, 0, n));
    case 'U8':
      return Int32Array.from(raw);
    case 'BOOL': {
      const bad = raw.findIndex((v) => v > 1);
      if (bad >= 0) throw new FormatError(`${what} is BOOL but element ${bad} holds the byte ${raw[bad]} (expected 0 or 1)`);
      return raw;
    }
  }
}

/** Little-endian int64 values narrowed to int32, or a DTypeError naming the first that does not fit. */
function int32FromInt64(raw: Uint8Array, what: string): Int32Array {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out = new Int32Array(raw.length / 8);
  for (let i = 0; i < out.length; i++) {
    const lo = view.getInt32(8 * i, true);
    const hi = view.getInt32(8 * i + 4, true);
    // the value fits in int32 exactly when the high word is the sign extension of the low one
    if (hi !== (lo < 0 ? -1 : 0)) {
      const value = (BigInt(hi) << 32n) + BigInt(lo >>> 0);
      throw new DTypeError(
        `${what} is I64 and element ${i} holds ${value}, which does not fit in int32 (nabla's integer dtype holds -2147483648..2147483647); ` +
          'store such values as F64 or split them before saving',
      );
    }
    out[i] = lo;
  }
  return out;
}

/**
 * The little-endian bytes of tensor `t` (row-major) written as `dtype`: a view of the storage when
 * no conversion or byte swap is needed, else a fresh array. Narrowing integer conversions are
 * range-checked; float conversions round to nearest, ties to even.
 */
export function bytesForFile(t: Tensor, dtype: SafetensorsDType, what: string): Uint8Array {
  const data = t.isContiguous ? t.storage.subarray(t.offset, t.offset + t.size) : t.data();
  const converted = convertForFile(data, dtype, what);
  const bytes = new Uint8Array(converted.buffer, converted.byteOffset, converted.byteLength);
  if (LITTLE_ENDIAN_HOST) return bytes;
  const copy = converted === data ? bytes.slice() : bytes;
  swapBytes(copy, DTYPE_INFO[dtype].itemSize);
  return copy;
}

type FileArray = TypedArray | Uint16Array | Int16Array | Int8Array | BigInt64Array;

function convertForFile(data: TypedArray, dtype: SafetensorsDType, what: string): FileArray {
  switch (dtype) {
    case 'F64':
      return data instanceof Float64Array ? data : Float64Array.from(data);
    case 'F32':
      // float64 → float32 assignment rounds to nearest, ties to even
      return data instanceof Float32Array ? data : Float32Array.from(data);
    case 'I32':
    case 'BOOL':
      return data;
    case 'F16': {
      const out = new Uint16Array(data.length);
      encodeFloat16(data, out);
      return out;
    }
    case 'BF16': {
      const out = new Uint16Array(data.length);
      encodeBFloat16(data, out);
      return out;
    }
    case 'I64': {
      const out = new BigInt64Array(data.length);
      for (let i = 0; i < data.length; i++) out[i] = BigInt(data[i]!);
      return out;
    }
    case 'I16':
      return narrow(data, new Int16Array(data.length), -32768, 32767, dtype, what);
    case 'I8':
      return narrow(data, new Int8Array(data.length), -128, 127, dtype, what);
    case 'U8':
      return narrow(data, new Uint8Array(data.length), 0, 255, dtype, what);
  }
}

function narrow<A extends Int16Array | Int8Array | Uint8Array>(data: TypedArray, out: A, lo: number, hi: number, dtype: string, what: string): A {
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v < lo || v > hi) throw new ValueError(`${what}: element ${i} is ${v}, which does not fit in ${dtype} (${lo}..${hi}); save it as I32 or I64`);
    out[i] = v;
  }
  return out;
}

/** Checks that tensor `t` may be written as `dtype` (same family: float, integer or bool). */
export function checkFileDType(t: Tensor, dtype: unknown, what: string): SafetensorsDType {
  const allowed = FILE_DTYPES_OF[t.dtype];
  if (!allowed.includes(dtype as SafetensorsDType)) {
    throw new ValueError(`${what} is ${t.dtype} and cannot be saved as ${JSON.stringify(dtype)}; it can be saved as ${allowed.join(', ')}`);
  }
  return dtype as SafetensorsDType;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}
