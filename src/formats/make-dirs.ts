/**
 * Creating a directory and its missing parents one level at a time. Node's own
 * `mkdirSync(dir, { recursive: true })` never returns on some paths (`/proc/x`: every attempt
 * fails with ENOENT and it retries the parent forever), so the nearest existing ancestor is found
 * first and must be a directory.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ValueError } from '../tensor/errors.js';

/** Makes `dir` (and missing parents); `op` names the caller in errors. */
export function makeDirs(dir: string, op: string): void {
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      const parent = dirname(p);
      if (parent === p) break;
      missing.push(p);
      p = parent;
      continue;
    }
    if (!isDir) throw new ValueError(`${op}: cannot create the directory '${dir}': '${p}' exists and is not a directory`);
    break;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && statSync(m).isDirectory()) continue;
      throw new ValueError(`${op}: cannot create the directory '${m}' (${(err as Error).message}); choose a directory you can write to`);
    }
  }
}
