/**
 * Replacing a whole directory atomically. POSIX can rename a file over a file in one step, but
 * not a directory over a non-empty directory, so the swap takes two renames:
 *
 * 1. everything is written into a sibling `DIR.tmp-PID-RANDOM` and flushed (files and directory);
 * 2. the current `DIR`, if any, is renamed to `DIR.old-PID-RANDOM`;
 * 3. the new directory is renamed to `DIR`, the parent is flushed, and the old one is removed.
 *
 * A crash between 2 and 3 leaves no `DIR` but two complete siblings; `recoverDir` (run before
 * every write and every read) puts the newest complete one back in place. A crash during 1 leaves
 * an incomplete `.tmp-` sibling, which is ignored and later removed. So at every instant `DIR`
 * is, or can be restored to, the previous complete version or the new complete one.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ValueError } from '../tensor/errors.js';
import { fsyncDirectory } from './atomic.js';
import { makeDirs } from './make-dirs.js';

/** Says whether a directory holds a complete write (e.g. its last-written file exists). */
export type IsComplete = (dir: string) => boolean;

function leftoverPattern(base: string): RegExp {
  return new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(tmp|old)-\\d+-[0-9a-f]{12}$`);
}

/** The `.tmp-`/`.old-` siblings of `target` left by interrupted writes, newest first. */
function leftovers(target: string): { path: string; kind: string; mtime: number }[] {
  const parent = dirname(target);
  if (!existsSync(parent)) return [];
  const pattern = leftoverPattern(basename(target));
  const out: { path: string; kind: string; mtime: number }[] = [];
  for (const name of readdirSync(parent)) {
    const m = pattern.exec(name);
    if (m === null) continue;
    const path = join(parent, name);
    try {
      out.push({ path, kind: m[1]!, mtime: statSync(path).mtimeMs });
    } catch {
      // removed meanwhile by another process: nothing to recover from it
    }
  }
  return out.sort((a, b) => b.mtime - a.mtime);
}

/**
 * When `dir` is missing but an interrupted `writeDirAtomic` left complete siblings, renames the
 * best one into place: a complete `.tmp-` (the newer write) before an `.old-` (the previous
 * one). Returns true when `dir` exists afterwards.
 */
export function recoverDir(dir: string, isComplete: IsComplete): boolean {
  const target = resolve(dir);
  if (existsSync(target)) return true;
  const candidates = leftovers(target).filter((c) => isComplete(c.path));
  candidates.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'tmp' ? -1 : 1));
  for (const c of candidates) {
    try {
      renameSync(c.path, target);
      fsyncDirectory(dirname(target));
      return true;
    } catch {
      // another process may have recovered it first
      if (existsSync(target)) return true;
    }
  }
  return false;
}

/**
 * Writes a directory atomically (see the file comment): `write(tmp)` fills a fresh sibling
 * directory, which then replaces `dir`. If `write` throws, `dir` is untouched and the sibling
 * removed. An existing `dir` must be empty or complete by `isComplete`, so that a mistyped path
 * never replaces an unrelated directory (`names` words that error). Only one process may write a
 * given `dir` at a time.
 */
export function writeDirAtomic(dir: string, isComplete: IsComplete, write: (tmp: string) => void, names: { op: string; kind: string }): void {
  const target = resolve(dir);
  const parent = dirname(target);
  makeDirs(parent, names.op);
  recoverDir(target, isComplete);
  if (existsSync(target) && !isComplete(target) && !isEmptyDirectory(target)) {
    throw new ValueError(`${names.op}: ${target} exists and is neither a ${names.kind} nor an empty directory; refusing to replace it: choose another path, or remove it first`);
  }
  for (const l of leftovers(target)) rmSync(l.path, { recursive: true, force: true });
  const tag = `${process.pid}-${randomBytes(6).toString('hex')}`;
  const tmp = join(parent, `${basename(target)}.tmp-${tag}`);
  mkdirSync(tmp);
  try {
    write(tmp);
    fsyncDirectory(tmp);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (!existsSync(target)) {
    renameSync(tmp, target);
    fsyncDirectory(parent);
    return;
  }
  const old = join(parent, `${basename(target)}.old-${tag}`);
  renameSync(target, old);
  try {
    renameSync(tmp, target);
  } catch (err) {
    renameSync(old, target);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  fsyncDirectory(parent);
  rmSync(old, { recursive: true, force: true });
}

function isEmptyDirectory(path: string): boolean {
  return statSync(path).isDirectory() && readdirSync(path).length === 0;
}
