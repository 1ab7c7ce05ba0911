/**
 * TensorProto → nabla Tensor. Values come from `raw_data` (fixed-width little-endian, read with a
 * DataView so that neither the host's byte order nor the alignment of the bytes inside the file
 * matters) or from the typed field the data type prescribes (`float_data`, `int32_data`,
 * `int64_data`, `double_data`, `uint64_data`). Every count is checked against the shape before
 * anything is read or allocated.
 *
 * dtypes: FLOAT, FLOAT16, BFLOAT16 → float32; DOUBLE → float64; the integer types → int32 (int64,
 * uint32 and uint64 values saturate to the int32 range: they are shapes, axes and indices, where
 * exporters write INT64_MAX for "to the end"); BOOL → bool.
 */
import { FormatError } from '../../formats/errors.js';
import { float16Value } from '../../formats/float16.js';
import { fmt } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import type { TensorProto } from './proto.js';
import { DataType, dataTypeName } from './schema.js';

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

/** An ONNX element type that nabla cannot hold (strings, complex numbers, 8-bit floats…). */
export class UnsupportedTypeError extends FormatError {
  override name = 'UnsupportedTypeError';
}

/** How one ONNX element type is stored: bytes per element in raw_data, and the typed field. */
interface Layout {
  bytes: number;
  field: 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data';
  out: 'float32' | 'float64' | 'int32' | 'bool';
  /** Reads element `i` of raw little-endian bytes. */
  raw: (v: DataView, i: number) => number;
  /** Converts a value of the typed field. */
  typed: (x: number) => number;
}

const saturate = (x: number): number => (x > INT32_MAX ? INT32_MAX : x < INT32_MIN ? INT32_MIN : Math.trunc(x));
const same = (x: number): number => x;

const LAYOUTS: Partial<Record<number, Layout>> = {
  [DataType.FLOAT]: { bytes: 4, field: 'floatData', out: 'float32', raw: (v, i) => v.getFloat32(i * 4, true), typed: same },
  [DataType.DOUBLE]: { bytes: 8, field: 'doubleData', out: 'float64', raw: (v, i) => v.getFloat64(i * 8, true), typed: same },
  // float16 and bfloat16 in int32_data are the 16-bit patterns
  [DataType.FLOAT16]: { bytes: 2, field: 'int32Data', out: 'float32', raw: (v, i) => float16Value(v.getUint16(i * 2, true)), typed: (x) => float16Value(x & 0xffff) },
  [DataType.BFLOAT16]: {
    bytes: 2, field: 'int32Data', out: 'float32',
    raw: (v, i) => bf16(v.getUint16(i * 2, true)),
    typed: (x) => bf16(x & 0xffff),
  },
  [DataType.INT8]: { bytes: 1, field: 'int32Data', out: 'int32', raw: (v, i) => v.getInt8(i), typed: (x) => (x << 24) >> 24 },
  [DataType.UINT8]: { bytes: 1, field: 'int32Data', out: 'int32', raw: (v, i) => v.getUint8(i), typed: (x) => x & 0xff },
  [DataType.INT16]: { bytes: 2, field: 'int32Data', out: 'int32', raw: (v, i) => v.getInt16(i * 2, true), typed: (x) => (x << 16) >> 16 },
  [DataType.UINT16]: { bytes: 2, field: 'int32Data', out: 'int32', raw: (v, i) => v.getUint16(i * 2, true), typed: (x) => x & 0xffff },
  [DataType.INT32]: { bytes: 4, field: 'int32Data', out: 'int32', raw: (v, i) => v.getInt32(i * 4, true), typed: (x) => x | 0 },
  [DataType.INT64]: { bytes: 8, field: 'int64Data', out: 'int32', raw: (v, i) => saturate(Number(v.getBigInt64(i * 8, true))), typed: saturate },
  [DataType.UINT32]: { bytes: 4, field: 'uint64Data', out: 'int32', raw: (v, i) => saturate(v.getUint32(i * 4, true)), typed: saturate },
  [DataType.UINT64]: { bytes: 8, field: 'uint64Data', out: 'int32', raw: (v, i) => saturate(Number(v.getBigUint64(i * 8, true))), typed: saturate },
  [DataType.BOOL]: { bytes: 1, field: 'int32Data', out: 'bool', raw: (v, i) => (v.getUint8(i) !== 0 ? 1 : 0), typed: (x) => (x !== 0 ? 1 : 0) },
};

const scratch = new DataView(new ArrayBuffer(4));
function bf16(bits: number): number {
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}

/** The nabla dtype an ONNX element type maps to, or null if nabla cannot hold it. */
export function dtypeForOnnx(code: number): 'float32' | 'float64' | 'int32' | 'bool' | null {
  return LAYOUTS[code]?.out ?? null;
}

/** The validated shape of a TensorProto (`what` names it in errors). */
export function protoShape(t: TensorProto, what: string): number[] {
  const dims = t.dims ?? [];
  for (const d of dims) {
    if (!Number.isSafeInteger(d) || d < 0) throw new FormatError(`loadOnnx: ${what} has an invalid dimension ${d} in its shape [${dims.join(',')}]`);
  }
  return dims.slice();
}

/**
 * Converts a TensorProto to a Tensor. `what` names the tensor in errors (`initializer 'conv1.weight'`).
 * External data, strings and complex numbers are rejected with a clear error.
 */
export function tensorFromProto(t: TensorProto, what: string): Tensor {
  if (t.dataLocation === 1 || (t.externalData?.length ?? 0) > 0) {
    const loc = t.externalData?.find((e) => e.key === 'location')?.value;
    throw new FormatError(
      `loadOnnx: ${what} stores its values in an external file${loc ? ` ('${loc}')` : ''} (external_data), which loadOnnx does not support; ` +
        'save the model with its weights inside the .onnx file (onnx.save_model(m, path, save_as_external_data=False))',
    );
  }
  const code = t.dataType ?? DataType.UNDEFINED;
  const layout = LAYOUTS[code];
  if (!layout) {
    throw new UnsupportedTypeError(`loadOnnx: ${what} has element type ${dataTypeName(code)}, which nabla cannot represent (supported: FLOAT, FLOAT16, BFLOAT16, DOUBLE, the integer types and BOOL)`);
  }
  const shape = protoShape(t, what);
  const size = shape.reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  const typed = t[layout.field] ?? [];
  const label = `${what} (${dataTypeName(code)}, shape ${fmt(shape)})`;
  const useRaw = raw !== undefined && raw.length > 0;
  // checked before allocating, so a shape that lies about the data cannot exhaust memory
  if (useRaw) {
    if (raw.length !== size * layout.bytes) {
      throw new FormatError(`loadOnnx: ${label} needs ${size * layout.bytes} bytes of raw_data (${size} values × ${layout.bytes} bytes), but raw_data holds ${raw.length}`);
    }
  } else if (typed.length !== size) {
    const field = fieldName(layout.field);
    if (typed.length === 0 && size > 0) throw new FormatError(`loadOnnx: ${label} has no values: neither raw_data nor ${field} is set`);
    throw new FormatError(`loadOnnx: ${label} needs ${size} values but ${field} holds ${typed.length}`);
  }
  const out = layout.out === 'float32' ? new Float32Array(size) : layout.out === 'float64' ? new Float64Array(size) : layout.out === 'int32' ? new Int32Array(size) : new Uint8Array(size);
  if (useRaw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < size; i++) out[i] = layout.raw(view, i);
  } else {
    for (let i = 0; i < size; i++) out[i] = layout.typed(typed[i]!);
  }
  return new Tensor(out, shape);
}

function fieldName(field: Layout['field']): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
