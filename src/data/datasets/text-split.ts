import { gather } from '../../ops/indexing.js';
import { tensor } from '../../tensor/creation.js';
import { ValueError } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import { randomPermutation } from '../permutation.js';
import type { TextData } from './text-table.js';

/** Options of {@link trainValSplit}. */
export interface TrainValSplitOptions {
  /** The fraction of the examples held out for validation, in (0, 1). Default 0.05. */
  validation?: number;
  /** Seed of the random choice of validation examples (default 0): the same seed, the same split. */
  seed?: number;
  /**
   * What is drawn for validation. `'example'` (default): rows at random. `'sentence'`: whole
   * sentences, for sets such as SST-2 whose rows are sentences *and* phrases cut from them: a
   * row whose text is a run of whole tokens of another row's text is a part of that sentence; only
   * sentences (texts that are part of no other) are drawn, `validation` is their fraction, all rows
   * of a drawn sentence go to `val`, and a part found only in drawn sentences is left out of both
   * parts (it is an annotation of a held-out sentence, which a real test set would not have). A
   * part also found in a training sentence stays in `train`. Exact repeats of a text are one
   * sentence. Without parts, this is a random split of the distinct texts.
   */
  by?: 'example' | 'sentence';
}

/** Texts longer than this many tokens are not searched for parts (the search is quadratic in length). */
const MAX_PART_SEARCH_TOKENS = 256;

/**
 * Splits a text set at random into a training and a validation part: `round(n · validation)`
 * examples (at least one) drawn with a seeded permutation go to `val`, the rest to `train`;
 * each part keeps the file's order. The class names are shared. With `by: 'sentence'` whole
 * sentences are drawn instead and their phrases kept out of training (see
 * {@link TrainValSplitOptions.by}): on SST-2, whose training file holds the phrases of its
 * sentences, a random split of rows puts pieces of training sentences into validation and
 * flatters every model; the sentence split is the one that predicts a held-out test set.
 *
 * @example
 * const { train, val } = nb.datasets.trainValSplit(nb.datasets.sst2('train.tsv'), { validation: 0.05, seed: 0 });
 * train.texts.length   // 63982
 * const s = nb.datasets.trainValSplit(nb.datasets.sst2('train.tsv'), { by: 'sentence' });
 * s.val.texts.length   // 344 whole sentences
 */
export function trainValSplit(data: TextData, opts: TrainValSplitOptions = {}): { train: TextData; val: TextData } {
  const validation = opts.validation ?? 0.05;
  const seed = opts.seed ?? 0;
  if (!(validation > 0 && validation < 1)) throw new ValueError(`trainValSplit: validation must be a fraction in (0, 1), got ${validation}`);
  if (!Number.isFinite(seed)) throw new ValueError(`trainValSplit: seed must be a finite number, got ${seed}`);
  const n = data.texts.length;
  if (data.labels.shape.length !== 1 || data.labels.shape[0] !== n) {
    throw new ValueError(`trainValSplit: labels of shape [${data.labels.shape.join(', ')}] do not match the ${n} texts`);
  }
  const by = opts.by ?? 'example';
  if (by !== 'example' && by !== 'sentence') throw new ValueError(`trainValSplit: by must be 'example' or 'sentence', got ${JSON.stringify(by)}`);
  // isVal: 0 train, 1 validation, 2 left out (a part of held-out sentences only)
  const isVal = by === 'example' ? exampleSplit(n, validation, seed) : sentenceSplit(data.texts, validation, seed);
  const part = (want: number): TextData => {
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (isVal[i] === want) rows.push(i);
    return {
      texts: rows.map((i) => data.texts[i]!),
      labels: gather(data.labels, tensor(Int32Array.from(rows), { dtype: 'int32', shape: [rows.length] }), 0),
      classNames: [...data.classNames],
    };
  };
  return { train: part(0), val: part(1) };
}

function exampleSplit(n: number, validation: number, seed: number): Uint8Array {
  const nVal = Math.max(1, Math.round(n * validation));
  if (nVal >= n) throw new ValueError(`trainValSplit: ${n} example${n === 1 ? '' : 's'} cannot be split into a training and a validation part; use more data`);
  const order = randomPermutation(n, new Generator(seed));
  const isVal = new Uint8Array(n);
  for (let i = 0; i < nVal; i++) isVal[order[i]!] = 1;
  return isVal;
}

/** A text with its tokens joined by single spaces, and where each token starts and ends in it. */
interface Tokens { key: string; starts: number[]; ends: number[] }

function tokenize(text: string): Tokens {
  const words = text.split(/\s+/).filter((w) => w !== '');
  const starts: number[] = [];
  const ends: number[] = [];
  let at = 0;
  for (const w of words) { starts.push(at); ends.push(at + w.length); at += w.length + 1; }
  return { key: words.join(' '), starts, ends };
}

/** Every run of whole tokens of a text shorter than all of them (substrings of the key, not new joins: fast). */
function* properParts(t: Tokens): IterableIterator<string> {
  const n = t.starts.length;
  if (n > MAX_PART_SEARCH_TOKENS) return;
  for (let len = n - 1; len >= 1; len--) for (let i = 0; i + len <= n; i++) yield t.key.substring(t.starts[i]!, t.ends[i + len - 1]!);
}

function sentenceSplit(texts: readonly string[], validation: number, seed: number): Uint8Array {
  const n = texts.length;
  // a text's key: its tokens joined by one space, so "a  b " and "a b" are the same sentence
  const tokens = texts.map(tokenize);
  const keys = tokens.map((t) => t.key);
  const distinct = new Map<string, number>(); // key → index of its first row
  keys.forEach((k, i) => { if (!distinct.has(k)) distinct.set(k, i); });
  const isPart = new Set<string>();
  for (const [, i] of distinct) for (const p of properParts(tokens[i]!)) if (distinct.has(p)) isPart.add(p);
  const sentences = [...distinct.keys()].filter((k) => !isPart.has(k));
  const nVal = Math.max(1, Math.round(sentences.length * validation));
  if (nVal >= sentences.length) {
    throw new ValueError(`trainValSplit: ${sentences.length} distinct sentence${sentences.length === 1 ? '' : 's'} cannot be split into a training and a validation part; use more data or by: 'example'`);
  }
  const order = randomPermutation(sentences.length, new Generator(seed));
  const held = new Set<string>();
  for (let i = 0; i < nVal; i++) held.add(sentences[order[i]!]!);
  // the parts each side's sentences contain
  const inTrain = new Set<string>();
  const inHeld = new Set<string>();
  for (const s of sentences) {
    const into = held.has(s) ? inHeld : inTrain;
    for (const p of properParts(tokens[distinct.get(s)!]!)) if (isPart.has(p)) into.add(p);
  }
  const isVal = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    if (held.has(k)) isVal[i] = 1;
    else if (inHeld.has(k) && !inTrain.has(k)) isVal[i] = 2;
  }
  return isVal;
}
