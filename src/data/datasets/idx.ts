import { gunzipSync } from 'node:zlib';
import { FormatError } from '../../formats/errors.js';
import { readFileBytes } from '../../formats/read-file.js';
import { allocate, assertDType, type DType } from '../../tensor/dtype.js';
import { Tensor } from '../../tensor/tensor.js';

/** Options of `readIdx` and `decodeIdx`. */
export interface IdxOptions {
  /**
   * The dtype of the result. Default: int32 for the integer types (ubyte, byte, short, int),
   * float32 for float and float64 for double. Asking for float32 when reading ubyte images skips
   * an int32 copy four times the file's size. Values convert as typed arrays do (floats read as
   * int32 truncate toward zero; bool is "not zero").
   */
  dtype?: DType;
}

/** IDX element types: the third byte of the file. */
const IDX_TYPES: Readonly<Record<number, { name: string; size: number; natural: DType }>> = {
  0x08: { name: 'ubyte', size: 1, natural: 'int32' },
  0x09: { name: 'byte', size: 1, natural: 'int32' },
  0x0b: { name: 'short', size: 2, natural: 'int32' },
  0x0c: { name: 'int', size: 4, natural: 'int32' },
  0x0d: { name: 'float', size: 4, natural: 'float32' },
  0x0e: { name: 'double', size: 8, natural: 'float64' },
};

const TYPE_LIST = '08 ubyte, 09 byte, 0b short, 0c int, 0d float, 0e double';

/**
 * Reads a file in the IDX format of MNIST and Fashion-MNIST, gzipped (`.gz`, detected by its
 * magic bytes `1f 8b`) or not. Layout: two zero bytes, a type byte (0x08 ubyte, 0x09 byte,
 * 0x0B short, 0x0C int, 0x0D float, 0x0E double), a rank byte, one big-endian int32 per dimension,
 * then the elements, big-endian, row-major. The tensor's shape is the file's dimensions.
 *
 * Missing files, bad magic numbers, truncated or overlong data each throw an error naming `path`.
 *
 * @example
 * const images = readIdx('train-images-idx3-ubyte.gz', { dtype: 'float32' }); // [60000, 28, 28]
 */
export function readIdx(path: string, options: IdxOptions = {}): Tensor {
  // a directory named by mistake is a FileReadError naming it, not a raw EISDIR
  const bytes = readFileBytes(path, 'readIdx');
  return decodeIdx(bytes, { ...options, source: path });
}

/**
 * Decodes IDX bytes (gzipped or not) into a tensor, as `readIdx` does for a file: for data already
 * in memory, e.g. fetched in a browser. `source` names the data in error messages.
 *
 * @example
 * const labels = decodeIdx(new Uint8Array(await res.arrayBuffer()), { source: url });
 */
export function decodeIdx(input: Uint8Array, options: IdxOptions & { source?: string } = {}): Tensor {
  const source = options.source ?? 'the IDX data';
  const fail = (msg: string): never => {
    throw new FormatError(`readIdx: ${source} ${msg}`);
  };
  let bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (err) {
      fail(`is gzipped but cannot be decompressed (${(err as Error).message}); the download may be incomplete, fetch it again`);
    }
  }
  if (bytes.length < 4) fail(`is truncated: an IDX header needs at least 4 bytes, file has ${bytes.length}`);
  const typeCode = bytes[2]!;
  const type = IDX_TYPES[typeCode];
  if (bytes[0] !== 0 || bytes[1] !== 0 || type === undefined) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`is not an IDX file: it starts with bytes ${head}, expected 00 00, a type byte (${TYPE_LIST}) and a rank byte`);
  }
  const { size, natural } = type!;
  const rank = bytes[3]!;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) fail(`is truncated: its header needs ${headerLength} bytes (${rank} dimensions), file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const d = view.getInt32(4 + 4 * i, false);
    if (d < 0) fail(`has a negative dimension ${d} in its header (corrupt file)`);
    shape.push(d);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = count * size;
  const have = bytes.length - headerLength;
  if (have < dataBytes) fail(`is truncated: header says ${dataBytes} bytes of data, file has ${have}`);
  if (have > dataBytes) fail(`has ${have - dataBytes} bytes after the ${dataBytes} bytes of data its header announces (corrupt file, or not IDX)`);

  const dtype = assertDType(options.dtype ?? natural);
  // bool goes through float64 so that e.g. 0.5 counts as true rather than truncating to 0
  const out = allocate(dtype === 'bool' ? 'float64' : dtype, count);
  const at = headerLength;
  switch (typeCode) {
    case 0x08:
      out.set(bytes.subarray(at, at + count));
      break;
    case 0x09:
      out.set(new Int8Array(bytes.buffer, bytes.byteOffset + at, count));
      break;
    case 0x0b:
      for (let i = 0; i < count; i++) out[i] = view.getInt16(at + 2 * i, false);
      break;
    case 0x0c:
      for (let i = 0; i < count; i++) out[i] = view.getInt32(at + 4 * i, false);
      break;
    case 0x0d:
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(at + 4 * i, false);
      break;
    default:
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(at + 8 * i, false);
  }
  if (dtype === 'bool') return new Tensor(Uint8Array.from(out, (v) => (v !== 0 ? 1 : 0)), shape);
  return new Tensor(out, shape);
}
