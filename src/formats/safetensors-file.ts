import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Tensor } from '../tensor/tensor.js';
import { ValueError } from '../tensor/errors.js';
import { FileNotFoundError, FileReadError, FormatError, unreadable } from './errors.js';
import { failWith, parseHeaderJson, readHeaderLength, type HeaderEntry } from './safetensors-header.js';
import { storageFromBytes } from './safetensors-convert.js';
import type { SafetensorsDType } from './safetensors-dtypes.js';
import type { DType } from '../tensor/dtype.js';

/** What the header says about one tensor of an opened safetensors file. */
export interface SafetensorsTensorInfo {
  /** The dtype in the file. */
  fileDType: SafetensorsDType;
  /** The nabla dtype `get` returns (F16/BF16 → float32, I64/I16/I8/U8 → int32). */
  dtype: DType;
  shape: number[];
  /** Bytes the tensor takes in the file. */
  byteLength: number;
}

/** The most bytes asked of one `readSync` call (Node refuses reads of 2 GiB and more). */
const READ_CHUNK = 1 << 30;

/**
 * A safetensors file opened for lazy reading: the header is read and checked when the file is
 * opened, and each `get(name)` then reads only that tensor's bytes (at their offset, with
 * `fs.readSync`), so a model larger than memory can be loaded tensor by tensor. Call `close()`
 * when done (`loadSafetensors` does it for you).
 *
 * @example
 * const file = nb.io.openSafetensors('model.safetensors');
 * try {
 *   for (const name of file.keys()) if (name.startsWith('encoder.')) use(name, file.get(name));
 * } finally {
 *   file.close();
 * }
 */
export class SafetensorsFile {
  /** The header's `__metadata__` (empty when the file has none). */
  readonly metadata: Record<string, string>;
  private fd: number | null;
  private readonly entries: Map<string, HeaderEntry>;
  private readonly dataStart: number;
  private readonly prefix: string;

  /** Use `openSafetensors(path)`. */
  constructor(
    /** The file's path. */
    readonly path: string,
  ) {
    this.prefix = `safetensors: ${path}: `;
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      if (isErrno(err, 'ENOENT')) throw new FileNotFoundError(`safetensors: no file at ${path}; check the path (relative paths start at ${process.cwd()})`, path);
      throw unreadable('safetensors', path, err);
    }
    this.fd = fd;
    try {
      const fail = failWith(this.prefix);
      const stat = fstatSync(fd);
      // a directory opens on Linux and fails only when read (EISDIR)
      if (!stat.isFile()) throw new FileReadError(`${this.prefix}not a file (a directory?); pass the path of the .safetensors file`, path, 'EISDIR');
      const size = stat.size;
      const n = readHeaderLength(this.read(0, Math.min(8, size)), size, fail);
      this.dataStart = 8 + n;
      const { entries, metadata } = parseHeaderJson(this.read(8, n), size - this.dataStart, fail);
      this.entries = new Map(entries.map((e) => [e.name, e]));
      this.metadata = metadata;
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The tensor names, in the header's order. */
  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** True when the file holds a tensor named `name`. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** dtype, shape and size of tensor `name`, without reading its data. */
  info(name: string): SafetensorsTensorInfo {
    const e = this.entry(name);
    return { fileDType: e.fileDType, dtype: e.dtype, shape: e.shape.slice(), byteLength: e.end - e.begin };
  }

  /** Reads tensor `name` (only its bytes) into a tensor with fresh storage. */
  get(name: string): Tensor {
    const e = this.entry(name);
    const raw = this.read(this.dataStart + e.begin, e.end - e.begin);
    return new Tensor(storageFromBytes(raw, e.fileDType, `${this.prefix}tensor '${name}'`), e.shape);
  }

  /** Closes the file; `get` fails afterwards. Closing twice is harmless. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    closeSync(fd);
  }

  private entry(name: string): HeaderEntry {
    const e = this.entries.get(name);
    if (e === undefined) {
      const names = this.keys();
      const shown = names.slice(0, 10).map((k) => `'${k}'`).join(', ') + (names.length > 10 ? `, … (${names.length} in all)` : '');
      throw new ValueError(`${this.prefix}no tensor named '${name}'; the file holds ${shown || 'no tensors'}`);
    }
    return e;
  }

  /** `length` bytes at `position`, in a fresh buffer of their own; a short read is a FormatError. */
  private read(position: number, length: number): Uint8Array {
    if (this.fd === null) throw new ValueError(`${this.prefix}the file is closed; open it again with openSafetensors(path)`);
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const got = readSync(this.fd, out, done, Math.min(READ_CHUNK, length - done), position + done);
      if (got === 0) throw new FormatError(`${this.prefix}the file ended after ${position + done} bytes while reading ${length} bytes at ${position} (was it truncated or replaced while open?)`);
      done += got;
    }
    return out;
  }
}

/**
 * Opens a safetensors file for lazy reading: reads and checks only the header (see
 * `decodeSafetensors` for what is checked); tensors are read one at a time by `get(name)`.
 * Throws a FileNotFoundError when `path` does not exist and a FormatError naming `path` when
 * its header is corrupt.
 *
 * @example
 * const file = nb.io.openSafetensors('model.safetensors');
 * const w = file.get('dense.kernel'); // reads only these bytes
 * file.close();
 */
export function openSafetensors(path: string): SafetensorsFile {
  return new SafetensorsFile(path);
}

function isErrno(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
