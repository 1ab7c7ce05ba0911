import type { DType } from '../tensor/dtype.js';
import { FormatError } from './errors.js';
import { jsonTreeProblem } from './json-tree.js';
import { DTYPE_INFO, SUPPORTED_DTYPES, UNSUPPORTED_DTYPES, isSafetensorsDType, type SafetensorsDType } from './safetensors-dtypes.js';

/** One tensor of a checked safetensors header; offsets are relative to the data part. */
export interface HeaderEntry {
  name: string;
  /** The dtype in the file. */
  fileDType: SafetensorsDType;
  /** The nabla dtype it loads as. */
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
  /** Where the data part starts in the file (8 + header length). */
  dataStart: number;
}

/** The largest header accepted, as in the reference implementation: real headers are a few MB. */
export const MAX_HEADER_BYTES = 100_000_000;

type Fail = (msg: string) => never;

/** A `fail` function throwing FormatErrors that start with `prefix`. */
export function failWith(prefix: string): Fail {
  return (msg: string): never => {
    throw new FormatError(prefix + msg);
  };
}

/**
 * The header length N from a file's first bytes (`first`, at least the 8 of the length field when
 * the file has them), checked against the limit and against `fileLength`, the file's size.
 */
export function readHeaderLength(first: Uint8Array, fileLength: number, fail: Fail): number {
  if (fileLength < 8 || first.length < 8) fail(`the file is ${fileLength} bytes long; a safetensors file starts with an 8-byte header length (empty or truncated file?)`);
  const view = new DataView(first.buffer, first.byteOffset, 8);
  const n = view.getUint32(4, true) * 2 ** 32 + view.getUint32(0, true);
  if (n > MAX_HEADER_BYTES) fail(`the header length field says ${n} bytes, over the ${MAX_HEADER_BYTES}-byte limit (corrupt file, or not a safetensors file)`);
  if (n > fileLength - 8) fail(`the header length field says ${n} bytes but only ${fileLength - 8} bytes follow it (truncated or not a safetensors file)`);
  if (n < 2) fail(`the header length field says ${n} bytes, too few for a JSON object (corrupt file)`);
  return n;
}

/**
 * Parses and checks the JSON header (`json`, the N bytes after the length field) of a file whose
 * data part holds `dataLength` bytes. Every number is checked before use: each dtype, each shape,
 * each byte range against the data part and against its dtype and shape, and the ranges against
 * each other (no overlap, no gap, nothing left over).
 */
export function parseHeaderJson(json: Uint8Array, dataLength: number, fail: Fail): { entries: HeaderEntry[]; metadata: Record<string, string> } {
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
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
  // tensor names are the file's to choose, '__proto__' included: they stay own keys and Map keys
  const problem = jsonTreeProblem(header, { allowProtoKeys: true });
  if (problem !== null) fail(`the header ${problem}`);
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') metadata = checkMetadata(value, fail);
    else entries.push(checkEntry(name, value, dataLength, fail));
  }
  checkCoverage(entries, dataLength, fail);
  return { entries, metadata };
}

/**
 * Parses and checks the header of in-memory safetensors `bytes` (see `readHeaderLength` and
 * `parseHeaderJson`). Errors are FormatErrors starting with `prefix`.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, prefix: string): ParsedHeader {
  const fail = failWith(prefix);
  const n = readHeaderLength(bytes, bytes.length, fail);
  const dataStart = 8 + n;
  const { entries, metadata } = parseHeaderJson(bytes.subarray(8, dataStart), bytes.length - dataStart, fail);
  return { entries, metadata, dataStart };
}

function checkMetadata(value: unknown, fail: Fail): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('__metadata__ must be an object of strings');
  const pairs = Object.entries(value as Record<string, unknown>);
  for (const [key, v] of pairs) {
    if (typeof v !== 'string') fail(`__metadata__ '${key}' is ${JSON.stringify(v)}; metadata values must be strings`);
  }
  return Object.fromEntries(pairs) as Record<string, string>;
}

function checkEntry(name: string, value: unknown, dataLength: number, fail: Fail): HeaderEntry {
  const what = `tensor '${name}'`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`${what} must be an object {dtype, shape, data_offsets}, got ${JSON.stringify(value)}`);
  const { dtype: st, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof st !== 'string') fail(`${what} has no dtype string (got ${JSON.stringify(st)})`);
  if (!isSafetensorsDType(st)) {
    const supported = SUPPORTED_DTYPES.join(', ');
    if (UNSUPPORTED_DTYPES.includes(st as string)) fail(`${what} has dtype ${st as string}, which nabla cannot load (supported: ${supported}); convert it before saving, e.g. with .float() in PyTorch`);
    fail(`${what} has unknown dtype ${JSON.stringify(st)} (supported: ${supported})`);
  }
  const fileDType = st as SafetensorsDType;
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
  // a product past 2^53 is inexact, but then it is far larger than any byte range that passed above
  const needed = dims.reduce((a, b) => a * b, 1) * DTYPE_INFO[fileDType].itemSize;
  if (end - begin !== needed) {
    fail(`${what} has data_offsets [${begin},${end}] (${end - begin} bytes) but shape [${dims.join(',')}] ${fileDType} needs ${needed} bytes`);
  }
  return { name, fileDType, dtype: DTYPE_INFO[fileDType].loadsAs, shape: dims.slice(), begin, end };
}

/** The byte ranges must tile the data part exactly: sorted, they neither overlap nor leave gaps. */
function checkCoverage(entries: readonly HeaderEntry[], dataLength: number, fail: Fail): void {
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
