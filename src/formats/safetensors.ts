import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic.js';
import { bytesForFile, checkFileDType, storageFromBytes } from './safetensors-convert.js';
import { DEFAULT_FILE_DTYPE, DTYPE_INFO, FILE_DTYPES_OF, type SafetensorsDType, type SafetensorsFloatDType } from './safetensors-dtypes.js';
import { openSafetensors } from './safetensors-file.js';
import { parseSafetensorsHeader } from './safetensors-header.js';

/** What a safetensors file holds: named tensors and the optional string-to-string metadata. */
export interface SafetensorsContents {
  /** The tensors by name, in the order of the file's header. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` (empty when the file has none). */
  metadata: Record<string, string>;
}

/** Options of `saveSafetensors` / `encodeSafetensors`: the dtypes written in the file. */
export interface SafetensorsSaveOptions {
  /**
   * The file dtype of particular tensors, by name: `{ 'embed.weight': 'F16' }`. A float tensor can
   * be written as F64, F32, F16 or BF16 (rounded to nearest, ties to even); an int32 tensor as
   * I64, I32, I16, I8 or U8 (a value that does not fit is an error); a bool tensor as BOOL.
   */
  dtypes?: Record<string, SafetensorsDType>;
  /** The file dtype of every float tensor not named in `dtypes` (default: its own, F32 or F64). */
  floatDType?: SafetensorsFloatDType;
}

/**
 * Encodes tensors in the safetensors format (https://huggingface.co/docs/safetensors), readable by
 * PyTorch (`safetensors.torch.load_file`) and the Hugging Face tools:
 *
 * `[u64 little-endian N][N bytes of UTF-8 JSON header, space-padded][raw little-endian data]`
 *
 * The header maps each name to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the data
 * part) and may hold `__metadata__`. Tensors are laid out without gaps, largest element size first,
 * so each one starts aligned to its element size; views are written as contiguous row-major data.
 * dtypes map float32→F32, float64→F64, int32→I32, bool→BOOL unless `opts` asks for others
 * (F16, BF16, I64…).
 *
 * @example
 * const bytes = encodeSafetensors({ 'dense.kernel': w, 'dense.bias': b }, { format: 'pt' });
 * const half = encodeSafetensors({ w }, undefined, { floatDType: 'F16' });
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>, opts: SafetensorsSaveOptions = {}): Uint8Array {
  const plan = planLayout(tensors, metadata, opts);
  const out = new Uint8Array(8 + plan.header.length + plan.dataLength);
  let at = 0;
  for (const chunk of emitChunks(plan)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Writes tensors to a safetensors file at `path` (see `encodeSafetensors` for the format and
 * `opts`). The file is written atomically: a crash or error mid-save leaves any previous file at
 * `path` intact. Each tensor is streamed to disk in turn, so the whole file never sits in memory.
 *
 * @example
 * saveSafetensors('model.safetensors', model.stateDict(), { epoch: '3' });
 * saveSafetensors('model-f16.safetensors', model.stateDict(), undefined, { floatDType: 'F16' });
 */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>, opts: SafetensorsSaveOptions = {}): void {
  writeFileAtomic(path, emitChunks(planLayout(tensors, metadata, opts)));
}

/**
 * Decodes safetensors bytes into tensors. Every number in the header is checked before it is used
 * (header length against the buffer, dtypes, shapes, offsets inside the data part, byte counts
 * against shape and dtype, no overlaps or gaps), so a corrupt or hostile file gives a FormatError
 * naming the problem, never an out-of-bounds read. F64, F32, I32 and BOOL load as themselves,
 * F16 and BF16 as float32, I64, I16, I8 and U8 as int32 (an I64 value outside int32 is a
 * DTypeError). The tensors own fresh storage.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  const prefix = 'safetensors: ';
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, prefix);
  const pairs = entries.map((e): [string, Tensor] => {
    // a copy into a buffer of its own: aligned for the typed array, and not tied to `bytes`
    // (not bytes.slice: on a Node Buffer, such as readFileSync's, slice is a view at an offset)
    const raw = new Uint8Array(e.end - e.begin);
    raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    return [e.name, new Tensor(storageFromBytes(raw, e.fileDType, `${prefix}tensor '${e.name}'`), e.shape)];
  });
  return { tensors: Object.fromEntries(pairs), metadata };
}

/**
 * Reads a safetensors file (see `decodeSafetensors` for what is checked and how dtypes load). The
 * header is read first, then each tensor's bytes in turn, so the file is never in memory whole.
 * Throws a FileNotFoundError when `path` does not exist and a FormatError naming `path` when it is
 * corrupt. Use `openSafetensors` to read only some tensors.
 *
 * @example
 * const { tensors } = loadSafetensors('model.safetensors');
 * model.loadStateDict(tensors);
 */
export function loadSafetensors(path: string): SafetensorsContents {
  const file = openSafetensors(path);
  try {
    const tensors = Object.fromEntries(file.keys().map((name): [string, Tensor] => [name, file.get(name)]));
    return { tensors, metadata: file.metadata };
  } finally {
    file.close();
  }
}

interface Planned {
  name: string;
  tensor: Tensor;
  dtype: SafetensorsDType;
}

interface Layout {
  header: Uint8Array;
  order: Planned[];
  dataLength: number;
}

function planLayout(tensors: Record<string, Tensor>, metadata: Record<string, string> | undefined, opts: SafetensorsSaveOptions): Layout {
  if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors)) {
    throw new ValueError('safetensors: expected a record of named tensors, e.g. { "dense.kernel": w }');
  }
  const named = Object.entries(tensors);
  for (const [name, t] of named) {
    if (name === '__metadata__') throw new ValueError("safetensors: '__metadata__' is reserved for the metadata and cannot name a tensor; rename it");
    if (!(t instanceof Tensor)) throw new ValueError(`safetensors: '${name}' is ${describe(t)}, not a Tensor`);
  }
  const entries: [string, unknown][] = [];
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new ValueError(`safetensors: metadata '${key}' is ${describe(value)}; metadata values must be strings (use String(x) or JSON.stringify(x))`);
      }
    }
    entries.push(['__metadata__', { ...metadata }]);
  }
  if (opts.floatDType !== undefined && !FILE_DTYPES_OF.float32.includes(opts.floatDType)) {
    throw new ValueError(`safetensors: floatDType must be one of ${FILE_DTYPES_OF.float32.join(', ')}, got ${JSON.stringify(opts.floatDType)}`);
  }
  const planned = named.map(([name, tensor]): Planned => ({ name, tensor, dtype: fileDTypeOf(name, tensor, opts) }));
  for (const name of Object.keys(opts.dtypes ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(tensors, name)) throw new ValueError(`safetensors: options.dtypes names '${name}', which is not one of the tensors being saved`);
  }
  // largest elements first: with an 8-aligned data start, every tensor begins aligned to its size
  const order = [...planned].sort((a, b) => DTYPE_INFO[b.dtype].itemSize - DTYPE_INFO[a.dtype].itemSize);
  const offsets = new Map<string, [number, number]>();
  let at = 0;
  for (const { name, tensor, dtype } of order) {
    const n = tensor.size * DTYPE_INFO[dtype].itemSize;
    offsets.set(name, [at, at + n]);
    at += n;
  }
  for (const { name, tensor, dtype } of planned) {
    entries.push([name, { dtype, shape: [...tensor.shape], data_offsets: offsets.get(name) }]);
  }
  // fromEntries defines own properties, so even a tensor named '__proto__' is written as a key
  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(entries)));
  // spaces pad the header so that the data starts 8-byte aligned, as the format allows
  const header = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  header.set(json);
  return { header, order, dataLength: at };
}

/** The file dtype tensor `t` (named `name`) is written as under `opts`, checked against its dtype. */
export function fileDTypeOf(name: string, t: Tensor, opts: SafetensorsSaveOptions): SafetensorsDType {
  const what = `safetensors: tensor '${name}'`;
  const asked = opts.dtypes !== undefined && Object.prototype.hasOwnProperty.call(opts.dtypes, name) ? opts.dtypes[name] : undefined;
  if (asked !== undefined) return checkFileDType(t, asked, what);
  if (opts.floatDType !== undefined && (t.dtype === 'float32' || t.dtype === 'float64')) return checkFileDType(t, opts.floatDType, what);
  return DEFAULT_FILE_DTYPE[t.dtype];
}

function* emitChunks(plan: Layout): Generator<Uint8Array> {
  const lengthBytes = new Uint8Array(8);
  const view = new DataView(lengthBytes.buffer);
  view.setUint32(0, plan.header.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(plan.header.length / 2 ** 32), true);
  yield lengthBytes;
  yield plan.header;
  for (const { name, tensor, dtype } of plan.order) yield bytesForFile(tensor, dtype, `safetensors: tensor '${name}'`);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `an object (${v.constructor?.name ?? 'no prototype'})` : `a ${typeof v} (${String(v)})`;
}
