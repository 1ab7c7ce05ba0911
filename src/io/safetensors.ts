import { readFileSync } from 'node:fs';
import type { DType, TypedArray } from '../tensor/dtype.js';
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from './atomic.js';
import { FileNotFoundError, FormatError } from './errors.js';
import { parseSafetensorsHeader, type HeaderEntry } from './safetensors-header.js';
import { ITEM_SIZE, SAFETENSORS_DTYPE } from './safetensors-dtypes.js';

/** What a safetensors file holds: named tensors and the optional string-to-string metadata. */
export interface SafetensorsContents {
  /** The tensors by name, in the order of the file's header. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` (empty when the file has none). */
  metadata: Record<string, string>;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Encodes tensors in the safetensors format (https://huggingface.co/docs/safetensors), readable by
 * PyTorch (`safetensors.torch.load_file`) and the Hugging Face tools:
 *
 * `[u64 little-endian N][N bytes of UTF-8 JSON header, space-padded][raw little-endian data]`
 *
 * The header maps each name to `{dtype, shape, data_offsets: [begin, end]}` (offsets into the data
 * part) and may hold `__metadata__`. Tensors are laid out without gaps, largest element size first,
 * so each one starts aligned to its element size; views are written as contiguous row-major data.
 * dtypes map float32→F32, float64→F64, int32→I32, bool→BOOL.
 *
 * @example
 * const bytes = encodeSafetensors({ 'dense.kernel': w, 'dense.bias': b }, { format: 'pt' });
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const plan = planLayout(tensors, metadata);
  const out = new Uint8Array(8 + plan.header.length + plan.dataLength);
  let at = 0;
  for (const chunk of emitChunks(plan)) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/**
 * Writes tensors to a safetensors file at `path` (see `encodeSafetensors` for the format). The file
 * is written atomically: a crash or error mid-save leaves any previous file at `path` intact. Each
 * tensor is streamed to disk in turn, so the whole file never sits in memory at once.
 *
 * @example
 * saveSafetensors('model.safetensors', model.stateDict(), { epoch: '3' });
 */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, emitChunks(planLayout(tensors, metadata)));
}

/**
 * Decodes safetensors bytes into tensors. Every number in the header is checked before it is used
 * (header length against the buffer, dtypes, shapes, offsets inside the data part, byte counts
 * against shape and dtype, no overlaps or gaps), so a corrupt or hostile file gives a FormatError
 * naming the problem, never an out-of-bounds read. F32, F64, I32 and BOOL tensors are supported;
 * other dtypes (F16, BF16, I64…) are reported by name. The tensors own fresh storage.
 *
 * @example
 * const { tensors, metadata } = decodeSafetensors(new Uint8Array(await (await fetch(url)).arrayBuffer()));
 */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContents {
  return decode(bytes, 'safetensors: ');
}

/**
 * Reads a safetensors file (see `decodeSafetensors` for what is checked). Throws a
 * FileNotFoundError when `path` does not exist and a FormatError naming `path` when it is corrupt.
 *
 * @example
 * const { tensors } = loadSafetensors('model.safetensors');
 * model.loadStateDict(tensors);
 */
export function loadSafetensors(path: string): SafetensorsContents {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) throw new FileNotFoundError(`safetensors: no file at ${path}; check the path (relative paths start at ${process.cwd()})`, path);
    throw err;
  }
  return decode(bytes, `safetensors: ${path}: `);
}

function decode(bytes: Uint8Array, prefix: string): SafetensorsContents {
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, prefix);
  const pairs: [string, Tensor][] = entries.map((e) => [e.name, readTensor(bytes, dataStart, e, prefix)]);
  return { tensors: Object.fromEntries(pairs), metadata };
}

function readTensor(bytes: Uint8Array, dataStart: number, e: HeaderEntry, prefix: string): Tensor {
  const nbytes = e.end - e.begin;
  const buffer = new ArrayBuffer(nbytes);
  const raw = new Uint8Array(buffer);
  // a copy into fresh storage: aligned for the typed array, and not tied to the file's buffer
  raw.set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
  if (!LITTLE_ENDIAN_HOST) swapBytes(raw, ITEM_SIZE[e.dtype]);
  const storage = typedArrayOver(e.dtype, buffer);
  if (e.dtype === 'bool') {
    const bad = raw.findIndex((v) => v > 1);
    if (bad >= 0) throw new FormatError(`${prefix}tensor '${e.name}' is BOOL but element ${bad} holds the byte ${raw[bad]} (expected 0 or 1)`);
  }
  return new Tensor(storage, e.shape);
}

function typedArrayOver(dtype: DType, buffer: ArrayBuffer): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'float64':
      return new Float64Array(buffer);
    case 'int32':
      return new Int32Array(buffer);
    case 'bool':
      return new Uint8Array(buffer);
  }
}

interface Layout {
  header: Uint8Array;
  order: { tensor: Tensor }[];
  dataLength: number;
}

function planLayout(tensors: Record<string, Tensor>, metadata: Record<string, string> | undefined): Layout {
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
  // largest elements first: with an 8-aligned data start, every tensor begins aligned to its size
  const order = named
    .map(([name, tensor]) => ({ name, tensor }))
    .sort((a, b) => ITEM_SIZE[b.tensor.dtype] - ITEM_SIZE[a.tensor.dtype]);
  const offsets = new Map<string, [number, number]>();
  let at = 0;
  for (const { name, tensor } of order) {
    const n = tensor.size * ITEM_SIZE[tensor.dtype];
    offsets.set(name, [at, at + n]);
    at += n;
  }
  for (const [name, t] of named) {
    entries.push([name, { dtype: SAFETENSORS_DTYPE[t.dtype], shape: [...t.shape], data_offsets: offsets.get(name) }]);
  }
  // fromEntries defines own properties, so even a tensor named '__proto__' is written as a key
  const json = new TextEncoder().encode(JSON.stringify(Object.fromEntries(entries)));
  // spaces pad the header so that the data starts 8-byte aligned, as the format allows
  const header = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20);
  header.set(json);
  return { header, order, dataLength: at };
}

function* emitChunks(plan: Layout): Generator<Uint8Array> {
  const lengthBytes = new Uint8Array(8);
  const view = new DataView(lengthBytes.buffer);
  view.setUint32(0, plan.header.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(plan.header.length / 2 ** 32), true);
  yield lengthBytes;
  yield plan.header;
  for (const { tensor } of plan.order) yield littleEndianBytes(tensor);
}

/** The tensor's elements in row-major order as little-endian bytes (a view when already so). */
function littleEndianBytes(t: Tensor): Uint8Array {
  const size = ITEM_SIZE[t.dtype];
  const data = t.isContiguous ? t.storage.subarray(t.offset, t.offset + t.size) : t.data();
  const bytes = new Uint8Array(data.buffer, data.byteOffset, t.size * size);
  if (LITTLE_ENDIAN_HOST) return bytes;
  const copy = bytes.slice();
  swapBytes(copy, size);
  return copy;
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? `an object (${v.constructor?.name ?? 'no prototype'})` : `a ${typeof v} (${String(v)})`;
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
