/**
 * The vocabulary of `TextVectorization`: learned from token lists as Keras' `IndexLookup.adapt`
 * learns it, or given as a list and checked as Keras' `set_vocabulary` checks it.
 */
import { ValueError } from '../../../tensor/errors.js';
import { compareCodePoints } from './code-points.js';

/** The padding token (id 0 in `int` mode): Keras' mask token. */
export const PAD_TOKEN = '';
/** The out-of-vocabulary token: id 1 in `int` mode, index 0 in the other modes. */
export const OOV_TOKEN = '[UNK]';

/** Learned tokens (most frequent first) and, for `tf_idf`, one weight per token. */
export interface LearnedVocabulary {
  tokens: string[];
  /** `log(1 + documents / (1 + documentFrequency))` of each token, or null. */
  idf: Float64Array | null;
}

/**
 * The vocabulary of `docs` (one token list per text): every token but the two reserved ones,
 * ordered by count, most frequent first; equal counts in reverse code-point order (`'c'` before
 * `'b'`), as Keras sorts (`np.lexsort((tokens, counts))[::-1]`); cut to `maxLearned` tokens. With
 * `idf`, each kept token's inverse document frequency, Keras' `log(1 + N / (1 + df))` over the
 * N texts.
 *
 * @example
 * learnVocabulary([['foo', 'bar'], ['bar', 'baz'], ['baz', 'bada', 'boom']], null, false).tokens
 * // ['baz', 'bar', 'foo', 'boom', 'bada']
 */
export function learnVocabulary(docs: readonly string[][], maxLearned: number | null, idf: boolean): LearnedVocabulary {
  const counts = new Map<string, number>();
  const docFreq = new Map<string, number>();
  for (const doc of docs) {
    for (const t of doc) counts.set(t, (counts.get(t) ?? 0) + 1);
    if (idf) for (const t of new Set(doc)) docFreq.set(t, (docFreq.get(t) ?? 0) + 1);
  }
  counts.delete(PAD_TOKEN);
  counts.delete(OOV_TOKEN);
  const tokens = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || compareCodePoints(b, a));
  if (maxLearned !== null && tokens.length > maxLearned) tokens.length = maxLearned;
  const weights = idf ? Float64Array.from(tokens, (t) => Math.log(1 + docs.length / (1 + docFreq.get(t)!))) : null;
  return { tokens, idf: weights };
}

/**
 * The tokens of a given vocabulary list, with the reserved tokens `specials` (`['', '[UNK]']` in
 * `int` mode, `['[UNK]']` otherwise) removed from its start when it starts with exactly them (a
 * list from `getVocabulary()`). A repeated token, or a reserved one anywhere else, is an error.
 * Returns whether the specials were there (then an idf list has the OOV weight first).
 */
export function checkVocabulary(list: unknown, specials: readonly string[], who: string): { tokens: string[]; hadSpecials: boolean } {
  if (!Array.isArray(list) || !list.every((t) => typeof t === 'string')) throw new ValueError(`${who}: vocabulary must be an array of strings`);
  const hadSpecials = specials.every((s, i) => list[i] === s);
  const tokens = hadSpecials ? list.slice(specials.length) : list.slice();
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t === PAD_TOKEN || t === OOV_TOKEN) {
      throw new ValueError(
        `${who}: the vocabulary holds the reserved token ${JSON.stringify(t)} after its start; leave the reserved tokens out, ` +
          `or put them first, exactly as getVocabulary() lists them (${specials.map((s) => JSON.stringify(s)).join(', ')})`,
      );
    }
    if (seen.has(t)) throw new ValueError(`${who}: the vocabulary holds ${JSON.stringify(t)} twice; give each token once`);
    seen.add(t);
  }
  return { tokens, hadSpecials };
}

/**
 * The idf weights of a layer (OOV first) from `weights` given with a vocabulary list of
 * `listLength` entries: used as they are when the list started with the reserved tokens;
 * otherwise the OOV weight is their mean, as Keras pads them.
 */
export function idfWithOov(weights: unknown, listLength: number, hadSpecials: boolean, who: string): Float32Array {
  if (!Array.isArray(weights) || !weights.every((w) => typeof w === 'number' && Number.isFinite(w))) {
    throw new ValueError(`${who}: idfWeights must be an array of finite numbers, one per vocabulary token`);
  }
  if (weights.length !== listLength) {
    throw new ValueError(`${who}: idfWeights has ${weights.length} weights for a vocabulary of ${listLength} tokens; give one weight per token`);
  }
  if (hadSpecials) return Float32Array.from(weights as number[]);
  return Float32Array.from([meanOf(weights as number[]), ...(weights as number[])]);
}

/** The mean of float32 weights, rounded to float32 (Keras averages the float32 weights). */
export function meanOf(weights: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += Math.fround(weights[i]!);
  return weights.length === 0 ? 0 : Math.fround(sum / weights.length);
}
