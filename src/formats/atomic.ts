import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** What `writeFileAtomic` can write: bytes, a string (UTF-8), or chunks produced one at a time. */
export type AtomicData = Uint8Array | string | Iterable<Uint8Array>;

/**
 * Writes `data` to `path` so that `path` holds either its old contents or the complete new ones,
 * never a mix: the bytes go to a temporary file in the same directory, which is flushed to disk
 * (fsync) and then renamed over `path` (a rename within one directory is atomic on POSIX and on
 * NTFS). The directory is fsynced too where the platform allows, so the rename survives a power
 * cut. If writing fails (disk full, or an iterable source that throws), the temporary file is
 * removed, `path` is untouched, and the error is rethrown.
 *
 * An iterable source is written chunk by chunk, so a large file never needs to sit in memory whole.
 *
 * @example
 * writeFileAtomic('weights.safetensors', bytes);
 * writeFileAtomic('log.txt', 'done\n');
 */
export function writeFileAtomic(path: string, data: AtomicData): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // 'wx' refuses to reuse an existing file, so two writers never share a temporary file
  const fd = openSync(tmp, 'wx');
  let closed = false;
  try {
    if (typeof data === 'string') writeAll(fd, Buffer.from(data, 'utf8'));
    else if (data instanceof Uint8Array) writeAll(fd, data);
    else for (const chunk of data) writeAll(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    closed = true;
    renameSync(tmp, path);
  } catch (err) {
    if (!closed) closeQuietly(fd);
    removeQuietly(tmp);
    throw err;
  }
  fsyncDirectory(dir);
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // the write already failed; that error is the one worth reporting
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone, or the directory vanished: nothing left to clean
  }
}

/**
 * Flushes a directory's entries to disk (so that files created or renamed in it survive a power
 * cut). A no-op where the platform cannot open a directory (Windows).
 */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open or fsync a directory; the rename is still atomic there
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}
