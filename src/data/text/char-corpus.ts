import { readFileSync, statSync } from 'node:fs';
import { tensor } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import type { Generator } from '../../tensor/random.js';
import type { Tensor } from '../../tensor/tensor.js';
import { warn } from '../../tensor/warn.js';
import { CharTokenizer } from './char-tokenizer.js';

/** Options of {@link CharCorpus}. */
export interface CharCorpusOptions {
  /** Fraction of the text (taken from its end) held out for validation, in (0, 1). Default 0.1. */
  valFraction?: number;
  /** Use this tokenizer instead of one built from the text's characters. */
  tokenizer?: CharTokenizer;
}

/** Which part of the corpus a batch comes from. */
export type CorpusSplit = 'train' | 'val';

/**
 * A text corpus for character-level language models: a {@link CharTokenizer} over the text's
 * characters, the ids split into a training part (the first 90% by default) and a validation part
 * (the rest), and random `[batch, context]` windows of either, each with its targets (the same
 * window shifted one character on) — the `get_batch` of nanoGPT.
 *
 * @example
 * const corpus = CharCorpus.fromFile('input.txt');
 * const [x, y] = corpus.batch('train', 12, 64, new nb.Generator(0)); // int32 [12, 64] each
 */
export class CharCorpus {
  /** Maps characters to ids and back. */
  readonly tokenizer: CharTokenizer;
  /** The training ids. */
  readonly train: Int32Array;
  /** The validation ids. */
  readonly val: Int32Array;

  constructor(text: string, opts: CharCorpusOptions = {}) {
    if (typeof text !== 'string' || text.length === 0) throw new ValueError('CharCorpus: the text is empty; give a non-empty text file');
    const valFraction = opts.valFraction ?? 0.1;
    if (!(valFraction > 0 && valFraction < 1)) throw new ValueError(`CharCorpus: valFraction must be in (0, 1), got ${valFraction}`);
    this.tokenizer = opts.tokenizer ?? CharTokenizer.fromText(text);
    const ids = this.tokenizer.encode(text);
    const n = Math.floor(ids.length * (1 - valFraction));
    this.train = ids.slice(0, n);
    this.val = ids.slice(n);
  }

  /**
   * Reads a UTF-8 text file. A missing, unreadable or empty file is a `ValueError` naming it.
   *
   * @example
   * CharCorpus.fromFile('../shared/data/tinyshakespeare/input.txt').tokenizer.vocabSize // 65
   */
  static fromFile(path: string, opts: CharCorpusOptions = {}): CharCorpus {
    let bytes: Buffer;
    try {
      if (!statSync(path).isFile()) throw new Error('not a regular file');
      bytes = readFileSync(path);
    } catch (e) {
      throw new ValueError(`CharCorpus: cannot read the text file '${path}' (${(e as Error).message}); pass the path of a UTF-8 text file`);
    }
    const text = decodeText(path, bytes);
    if (text.length === 0) throw new ValueError(`CharCorpus: the text file '${path}' is empty; it needs some text to learn from`);
    return new CharCorpus(text, opts);
  }

  /** The ids of one split. */
  ids(split: CorpusSplit): Int32Array {
    if (split === 'train') return this.train;
    if (split === 'val') return this.val;
    throw new ValueError(`CharCorpus: split must be 'train' or 'val', got '${String(split)}'`);
  }

  /**
   * `batchSize` windows of `context` ids starting at uniform random positions of `split`, and
   * their targets: `x[b, t] = ids[s_b + t]`, `y[b, t] = ids[s_b + t + 1]`, with
   * `s_b` uniform in `[0, length − context)`. Both int32 `[batchSize, context]`. The split must
   * hold more than `context` ids.
   */
  batch(split: CorpusSplit, batchSize: number, context: number, generator: Generator): [Tensor, Tensor] {
    const ids = this.ids(split);
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError(`CharCorpus.batch: batchSize must be a positive integer, got ${batchSize}`);
    if (!Number.isInteger(context) || context <= 0) throw new ValueError(`CharCorpus.batch: context must be a positive integer, got ${context}`);
    if (ids.length <= context) {
      throw new ValueError(
        `CharCorpus.batch: the ${split} split has ${ids.length} characters, too few for windows of context ${context} ` +
          `(it needs at least ${context + 1}); use a longer text or a shorter context`,
      );
    }
    const x = new Int32Array(batchSize * context);
    const y = new Int32Array(batchSize * context);
    for (let b = 0; b < batchSize; b++) {
      const start = generator.int(0, ids.length - context);
      x.set(ids.subarray(start, start + context), b * context);
      y.set(ids.subarray(start + 1, start + context + 1), b * context);
    }
    const shape = [batchSize, context];
    return [tensor(x, { dtype: 'int32', shape }), tensor(y, { dtype: 'int32', shape })];
  }
}

/**
 * The file's text. A file that is not UTF-8 text (a binary file given by mistake) would still
 * train, on replacement characters and control bytes: it is decoded leniently, with a warning.
 */
function decodeText(path: string, bytes: Buffer): string {
  const nul = bytes.indexOf(0);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (nul >= 0) warn(`CharCorpus: '${path}' holds NUL bytes (the first at byte ${nul}): it looks like a binary file, not text; training goes on with them as characters`);
    return text;
  } catch {
    warn(`CharCorpus: '${path}' is not valid UTF-8 text${nul >= 0 ? ` and holds NUL bytes (the first at byte ${nul}): it looks like a binary file` : ''}; invalid bytes are read as U+FFFD. Convert it to UTF-8 (iconv -t UTF-8) if it is text in another encoding`);
    return new TextDecoder('utf-8').decode(bytes);
  }
}
