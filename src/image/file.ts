import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { writeFileAtomic } from '../formats/atomic.js';
import { decodeImageAs, type DecodeOptions, type ImageFormat } from './decode.js';
import { encodeImageAs, type EncodeOptions } from './encode.js';

/**
 * Reads a PNG or JPEG file (recognised by its content, not its name) as a float32 tensor
 * `[H, W, C]` in [0, 1]. A missing, corrupt, truncated or unsupported file raises a
 * `ValueError` naming the file and what is wrong.
 *
 * @example
 * const img = nb.image.readImage('cat.jpg', { channels: 3 });   // [H, W, 3]
 */
export function readImage(path: string, opts: DecodeOptions = {}): Tensor {
  const who = `readImage: ${path}`;
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ValueError(`${who}: ${fileProblem(e)}`);
  }
  return decodeImageAs(who, bytes, opts);
}

/**
 * Writes an image tensor (see `encodeImage` for shapes and value ranges) to `path` as PNG or
 * JPEG, chosen by the extension (`.png`, `.jpg`, `.jpeg`). The file is replaced atomically.
 *
 * @example
 * nb.image.writeImage('out.png', img);
 * nb.image.writeImage('out.jpg', img, { quality: 95 });
 */
export function writeImage(path: string, image: Tensor, opts: EncodeOptions = {}): void {
  const who = `writeImage: ${path}`;
  const ext = extname(path).toLowerCase();
  const format: ImageFormat | null = ext === '.png' ? 'png' : ext === '.jpg' || ext === '.jpeg' ? 'jpeg' : null;
  if (format === null) throw new ValueError(`${who}: unsupported format (expected a .png, .jpg or .jpeg file name)`);
  const bytes = encodeImageAs(who, image, format, opts);
  try {
    writeFileAtomic(path, bytes);
  } catch (e) {
    throw new ValueError(`${who}: cannot write the file (${fileProblem(e)})`);
  }
}

/** A short reason for a file-system error (`no such file`, `is a directory`…). */
function fileProblem(e: unknown): string {
  const code = (e as { code?: unknown }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EISDIR') return 'is a directory, not an image file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return e instanceof Error ? e.message : String(e);
}
