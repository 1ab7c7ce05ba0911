import { FormatError } from '../../formats/errors.js';
import { DEFAULT_PRE_TOKENIZE_PATTERN, samePattern } from './pre-tokenize.js';
import { badField, readTokenizerFile } from './tokenizer-file.js';
import { isWellFormed } from './utf8.js';

/** The `format` tag of a saved {@link ByteLevelBPE}. */
export const BPE_FORMAT = 'nabla.byte-level-bpe';
/** The file version this code writes and reads. */
export const BPE_VERSION = 1;

/** Everything a byte-level BPE tokenizer is made of, as stored in its file. */
export interface BpeContents {
  /** Merges in rank order; merge `r` makes token id `256 + r`. */
  readonly merges: ReadonlyArray<readonly [number, number]>;
  /** Special tokens in id order, after the merges. */
  readonly specialTokens: readonly string[];
  /** The pre-tokenisation pattern, or `null` for none. */
  readonly preTokenize: RegExp | null;
}

/**
 * What is wrong with a merge list, or `null` if nothing: each merge must join two ids that exist
 * before it (bytes, or earlier merges) and no pair may be merged twice.
 */
export function mergesProblem(merges: ReadonlyArray<readonly [number, number]>): string | null {
  const seen = new Set<string>();
  for (let r = 0; r < merges.length; r++) {
    const m = merges[r];
    if (!Array.isArray(m) || m.length !== 2) return `merges[${r}] must be a pair [a, b] of token ids`;
    const [a, b] = m as readonly unknown[];
    const limit = 256 + r;
    for (const id of [a, b]) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= limit) {
        return `merges[${r}] = ${JSON.stringify(m)} uses id ${String(id)}, but only ids 0..${limit - 1} exist before it`;
      }
    }
    const key = `${String(a)},${String(b)}`;
    if (seen.has(key)) return `merges[${r}] = [${key}] repeats an earlier merge`;
    seen.add(key);
  }
  return null;
}

/** What is wrong with a special-token list, or `null`: non-empty, well-formed, distinct strings. */
export function specialsProblem(specials: readonly unknown[]): string | null {
  const seen = new Set<string>();
  for (let i = 0; i < specials.length; i++) {
    const s = specials[i];
    if (typeof s !== 'string' || s.length === 0) return `special token ${i} must be a non-empty string, got ${JSON.stringify(s)}`;
    if (!isWellFormed(s)) return `special token ${JSON.stringify(s)} contains a lone surrogate`;
    if (seen.has(s)) return `special token ${JSON.stringify(s)} is listed twice`;
    seen.add(s);
  }
  return null;
}

/**
 * The file text for a tokenizer: a JSON object with `format`, `version`, `vocabSize`,
 * `preTokenize` (`{source, flags}` or `null`), `specialTokens` and `merges` (one `[a, b]` per line,
 * so that files diff well).
 */
export function serializeBpe(contents: BpeContents, vocabSize: number): string {
  const p = contents.preTokenize;
  const lines = [
    '{',
    `  "format": ${JSON.stringify(BPE_FORMAT)},`,
    `  "version": ${BPE_VERSION},`,
    `  "vocabSize": ${vocabSize},`,
    `  "preTokenize": ${p === null ? 'null' : JSON.stringify({ source: p.source, flags: p.flags })},`,
    `  "specialTokens": ${JSON.stringify(contents.specialTokens)},`,
    `  "merges": [${contents.merges.length === 0 ? ']' : ''}`,
  ];
  contents.merges.forEach(([a, b], r) => lines.push(`    [${a}, ${b}]${r + 1 < contents.merges.length ? ',' : ''}`));
  if (contents.merges.length > 0) lines.push('  ]');
  lines.push('}', '');
  return lines.join('\n');
}

/**
 * Reads and validates a tokenizer file written by {@link serializeBpe}. Every problem is a
 * `FormatError` (or `FileNotFoundError`) naming the path and the field. The pre-tokenisation
 * pattern is taken from the file only when it is the built-in one (or none): a regular expression
 * from a file can take hours on a short text (catastrophic backtracking, e.g. `(a+)+$`), so any
 * other pattern must come from the program, as `trusted`, and equal the file's.
 */
export function readBpeFile(path: string, trusted?: RegExp): BpeContents {
  const op = 'ByteLevelBPE.load';
  const obj = readTokenizerFile(path, op, BPE_FORMAT, BPE_VERSION);

  const merges = obj['merges'];
  if (!Array.isArray(merges)) throw badField(op, path, 'field "merges" must be an array of [a, b] id pairs');
  const mergeProblem = mergesProblem(merges as ReadonlyArray<readonly [number, number]>);
  if (mergeProblem !== null) throw badField(op, path, mergeProblem);

  const specials = obj['specialTokens'];
  if (!Array.isArray(specials)) throw badField(op, path, 'field "specialTokens" must be an array of strings');
  const specialProblem = specialsProblem(specials);
  if (specialProblem !== null) throw badField(op, path, specialProblem);

  const vocabSize = 256 + merges.length + specials.length;
  if (obj['vocabSize'] !== vocabSize) {
    throw badField(
      op,
      path,
      `field "vocabSize" is ${JSON.stringify(obj['vocabSize'])}, but 256 bytes + ${merges.length} merges + ` +
        `${specials.length} special tokens make ${vocabSize}`,
    );
  }

  return {
    merges: merges as Array<[number, number]>,
    specialTokens: specials as string[],
    preTokenize: readPattern(obj['preTokenize'], op, path, trusted),
  };
}

function readPattern(value: unknown, op: string, path: string, trusted: RegExp | undefined): RegExp | null {
  let saved: { source: string; flags: string } | null = null;
  if (value !== null) {
    const { source, flags } = (typeof value === 'object' && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
    if (typeof source !== 'string' || typeof flags !== 'string') throw badField(op, path, 'field "preTokenize" must be null or {"source": string, "flags": string}');
    saved = { source, flags };
  }
  const text = saved === null ? 'none' : `/${saved.source}/${saved.flags}`;
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  if (trusted !== undefined) {
    if (saved === null || !samePattern(saved, trusted)) {
      throw new FormatError(`${op}: ${path} was saved with the pre-tokenisation pattern ${shown}, not the given /${trusted.source}/${trusted.flags}; pass the pattern it was trained with, or load it without one`);
    }
    return trusted;
  }
  if (saved === null) return null;
  // compared as text, never compiled or run: the only pattern a file may choose is the built-in one
  if (samePattern(saved, DEFAULT_PRE_TOKENIZE_PATTERN)) return DEFAULT_PRE_TOKENIZE_PATTERN;
  throw new FormatError(
    `${op}: ${path} holds the pre-tokenisation pattern ${shown}, which is not the built-in one; ` +
      'a pattern read from a file is not run, since one like (a+)+$ can make encode take hours. ' +
      `Files may hold only the built-in pattern (DEFAULT_PRE_TOKENIZE_PATTERN) or none; if you trust this file's, pass it yourself: ` +
      `ByteLevelBPE.load(path, { preTokenize: /…/ })`,
  );
}
