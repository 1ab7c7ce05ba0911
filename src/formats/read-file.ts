import { readFileSync } from 'node:fs';
import { FileNotFoundError, unreadable } from './errors.js';

/**
 * The bytes of the file at `path`, for readers that need no words of their own for a missing
 * file: a missing path is a FileNotFoundError (`who: no file at 'path'`), anything else that stops
 * the read (a directory, no permission, a name the system refuses) a FileReadError naming the path
 * and the cause (see `unreadable`).
 */
export function readFileBytes(path: string, who: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as { code?: unknown } | null)?.code === 'ENOENT') throw new FileNotFoundError(`${who}: no file at '${path}'`, path);
    throw unreadable(who, path, err);
  }
}
