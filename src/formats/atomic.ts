import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';

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
 * The first write into a directory also removes the temporary files that killed processes left
 * there (see `removeStaleTempFiles`).
 *
 * @example
 * writeFileAtomic('weights.safetensors', bytes);
 * writeFileAtomic('log.txt', 'done\n');
 */
export function writeFileAtomic(path: string, data: AtomicData): void {
  const dir = dirname(path);
  removeStaleTempFiles(dir);
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

/** `.NAME.PID.HEX.tmp`, exactly as `writeFileAtomic` names its temporary files. */
const TEMP_NAME = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;

/** Directories this process has already cleaned (see `removeStaleTempFiles`). */
const swept = new Set<string>();

/**
 * Removes the temporary files of `writeFileAtomic` that a killed process (SIGKILL, power cut)
 * left in `dir`: only names of its exact pattern, and only when their process is gone. A file of
 * this process's own pid counts as stale too, since no write of ours is in flight while this
 * synchronous one runs: it was left by an earlier process that had the same pid (containers
 * often reuse them). Done once per directory per process, so that writing many files into one
 * large directory does not list it each time. Failures are ignored: cleaning is a courtesy,
 * never a reason for a save to fail.
 */
function removeStaleTempFiles(dir: string): void {
  const key = resolve(dir);
  if (swept.has(key)) return;
  // checkpoints write into a fresh directory each time: forget old ones (a second sweep is harmless)
  if (swept.size >= 1024) swept.clear();
  swept.add(key);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return; // a missing directory fails the write itself, with a clearer error
  }
  for (const name of names) {
    const pid = Number(TEMP_NAME.exec(name)?.[1]);
    // no process has pid 0 or less: such a name is not one of ours, and is left alone
    if (Number.isSafeInteger(pid) && pid > 0 && (pid === process.pid || !isRunning(pid))) removeQuietly(join(dir, name));
  }
}

/** Whether a process with this pid runs now (one we may not signal runs too). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
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
