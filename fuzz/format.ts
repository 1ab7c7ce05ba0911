/**
 * What the fuzzer knows about one file format: how to make valid seed inputs with nabla itself,
 * how to mutate them, and how a user would load the result.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from './rng.js';

/** A file of a case: its bytes, or a directory standing where a file should be. */
export type CaseFile = Uint8Array | 'directory';

/** The files of one input (a model directory has several; most formats have one), by relative name. */
export type CaseFiles = Map<string, CaseFile>;

/** One file format (or directory layout) that nabla reads. */
export interface FuzzFormat {
  /** A short name: `--format NAME` picks it, findings and counts are grouped by it. */
  readonly name: string;
  /**
   * Writes the valid inputs the cases start from, one sub-directory of `dir` per seed, and returns
   * their names. Runs once per fuzz run; must be deterministic.
   */
  makeSeeds(dir: string): string[] | Promise<string[]>;
  /** Changes the files of one case in place (format-aware), drawing every choice from `rng`. */
  mutate(rng: Rng, files: CaseFiles, seed: string): void;
  /**
   * Loads the case in `dir` as a user would, through the public API, and uses the result once
   * (a prediction, an encode): throws whatever nabla throws. `rng` makes the load-side choices
   * (which API, which options), so they are part of the case too; `seedDir` holds the unchanged
   * seed, to tell which files a case left as they were.
   */
  load(dir: string, seed: string, rng: Rng, seedDir: string): void | Promise<void>;
}

/** Reads every file below `dir` (relative names with '/'). */
export function readCaseFiles(dir: string): CaseFiles {
  const out: CaseFiles = new Map();
  const walk = (sub: string): void => {
    for (const name of readdirSync(join(dir, sub)).sort()) {
      const rel = sub === '' ? name : `${sub}/${name}`;
      if (statSync(join(dir, rel)).isDirectory()) walk(rel);
      else out.set(rel, new Uint8Array(readFileSync(join(dir, rel))));
    }
  };
  walk('');
  return out;
}

/** Writes a case's files into a fresh `dir`. */
export function writeCaseFiles(dir: string, files: CaseFiles): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [rel, content] of files) {
    const path = join(dir, rel);
    const parent = rel.includes('/') ? join(dir, rel.slice(0, rel.lastIndexOf('/'))) : dir;
    mkdirSync(parent, { recursive: true });
    if (content === 'directory') mkdirSync(path, { recursive: true });
    else writeFileSync(path, content);
  }
}

/**
 * The bytes of the file at `path` for the bytes-taking APIs (`decodeImage`, `decodeSafetensors`…),
 * or null when there is no regular file there: reading it is the caller's business, not nabla's,
 * so such a case goes through the path-taking API instead.
 */
export function fileBytes(path: string): Uint8Array | null {
  try {
    return statSync(path).isFile() ? new Uint8Array(readFileSync(path)) : null;
  } catch {
    return null;
  }
}
