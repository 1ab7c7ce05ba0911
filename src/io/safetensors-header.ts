import type { DType } from '../tensor/dtype.js';
import { FormatError } from './errors.js';
import { ITEM_SIZE, UNSUPPORTED_DTYPES, nablaDType } from './safetensors-dtypes.js';

/** One tensor of a checked safetensors header; offsets are relative to the data part. */
export interface HeaderEntry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

/** A checked safetensors header. */
export interface ParsedHeader {
  /** The tensors, in the header's order. */
  entries: HeaderEntry[];
  /** `__metadata__`, or an empty record. */
  metadata: Record<string, string>;
  /** Where the data part starts in the buffer (8 + header length). */
  dataStart: number;
}

/** The largest header accepted, as in the reference implementation: real headers are a few MB. */
export const MAX_HEADER_BYTES = 100_000_000;

/**
 * Parses and checks the header of safetensors `bytes`. Every number is checked before use: the
 * header length against the buffer, each dtype, each shape, each byte range against the data part
 * and against its dtype and shape, and the ranges against each other (no overlap, no gap, nothing
 * left over). Errors are FormatErrors starting with `prefix`.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, prefix: string): ParsedHeader {
  const fail = (msg: string): never => {
    throw new FormatError(prefix + msg);
  };
  if (bytes.length < 8) fail(`the file is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length (empty or truncated file?)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const n = high * 2 ** 32 + low;
  if (n > MAX_HEADER_BYTES) fail(`the header length field says ${n} bytes, over the ${MAX_HEADER_BYTES}-byte limit (corrupt file, or not a safetensors file)`);
  if (n > bytes.length - 8) fail(`the header length field says ${n} bytes but only ${bytes.length - 8} bytes follow it (truncated or not a safetensors file)`);
  if (n < 2) fail(`the header length field says ${n} bytes, too few for a JSON object (corrupt file)`);

  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('the header is not valid UTF-8 (corrupt file, or not a safetensors file)');
  }
  if (!text.startsWith('{')) fail(`the header must be a JSON object starting with '{', it starts with ${JSON.stringify(text.slice(0, 16))} (not a safetensors file?)`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    fail(`the header is not valid JSON (${(err as Error).message}); the file is corrupt or its header length is wrong`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) fail('the header must be a JSON object');

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') metadata = checkMetadata(value, fail);
    else entries.push(checkEntry(name, value, dataLength, fail));
  }
  checkCoverage(entries, dataLength, fail);
  return { entries, metadata, dataStart };
}

function checkMetadata(value: unknown, fail: (msg: string) => never): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('__metadata__ must be an object of strings');
  const pairs = Object.entries(value as Record<string, unknown>);
  for (const [key, v] of pairs) {
    if (typeof v !== 'string') fail(`__metadata__ '${key}' is ${JSON.stringify(v)}; metadata values must be strings`);
  }
  return Object.fromEntries(pairs) as Record<string, string>;
}

function checkEntry(name: string, value: unknown, dataLength: number, fail: (msg: string) => never): HeaderEntry {
  const what = `tensor '${name}'`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`);
  const { dtype: st, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof st !== 'string') fail(`${what} has no dtype string (got ${JSON.stringify(st)})`);
  const dtype = nablaDType(st as string);
  if (dtype === undefined) {
    if (UNSUPPORTED_DTYPES.includes(st as string)) fail(`${what} has dtype ${st as string}, which nabla cannot load yet (supported: F32, F64, I32, BOOL); convert it before saving, e.g. with .float() in PyTorch`);
    fail(`${what} has unknown dtype ${JSON.stringify(st)} (supported: F32, F64, I32, BOOL)`);
  }
  const d = dtype as DType;
  if (!Array.isArray(shape) || !shape.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    fail(`${what} has shape ${JSON.stringify(shape)}; a shape is a list of non-negative integers`);
  }
  const dims = shape as number[];
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((x) => Number.isSafeInteger(x) && x >= 0)) {
    fail(`${what} has data_offsets ${JSON.stringify(offsets)}; expected [begin, end] with non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) fail(`${what} has data_offsets [${begin},${end}] that end before they begin`);
  if (end > dataLength) fail(`${what} has data_offsets [${begin},${end}] but the data part holds only ${dataLength} bytes (truncated file?)`);
  const needed = dims.reduce((a, b) => a * b, 1) * ITEM_SIZE[d];
  if (end - begin !== needed) {
    fail(`${what} has data_offsets [${begin},${end}] (${end - begin} bytes) but shape [${dims.join(',')}] ${d} needs ${needed} bytes`);
  }
  return { name, dtype: d, shape: dims.slice(), begin, end };
}

/** The byte ranges must tile the data part exactly: sorted, they neither overlap nor leave gaps. */
function checkCoverage(entries: readonly HeaderEntry[], dataLength: number, fail: (msg: string) => never): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let last: HeaderEntry | undefined;
  for (const e of sorted) {
    if (last !== undefined && e.begin < covered) {
      fail(`tensors '${last.name}' [${last.begin},${last.end}] and '${e.name}' [${e.begin},${e.end}] overlap`);
    }
    if (e.begin > covered) fail(`bytes [${covered},${e.begin}) of the data part belong to no tensor (the format allows no gaps; corrupt header?)`);
    covered = e.end;
    last = e;
  }
  if (covered < dataLength) fail(`the data part holds ${dataLength} bytes but the tensors cover only ${covered} (corrupt header, or extra bytes at the end)`);
}
