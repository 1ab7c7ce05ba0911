/**
 * Choosing the next token from one row of logits: greedy, or sampled after temperature scaling,
 * top-k and nucleus (top-p) filtering. Plain loops over one vocabulary-sized row.
 */
import { ValueError } from '../tensor/errors.js';
import type { Generator } from '../tensor/random.js';
import { tensor } from '../tensor/creation.js';
import { multinomial } from '../ops/sampling.js';

/** How {@link sampleToken} picks a token. */
export interface SamplingOptions {
  /** Divides the logits; 0 means greedy (the arg-max). Default 1. */
  temperature?: number;
  /** Keep only the k most likely tokens (ties with the k-th are kept). Default: all. */
  topK?: number;
  /** Keep the smallest set of most likely tokens whose probabilities add up to ≥ topP, in (0, 1]. Default 1. */
  topP?: number;
}

/** Checks sampling options once, with messages naming the bad value. */
export function checkSamplingOptions(op: string, opts: SamplingOptions, vocabSize: number): void {
  const { temperature, topK, topP } = opts;
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature >= 0)) {
    throw new ValueError(`${op}: temperature must be a finite number >= 0 (0 is greedy), got ${temperature}`);
  }
  if (topK !== undefined && !(Number.isInteger(topK) && topK >= 1)) throw new ValueError(`${op}: topK must be a positive integer, got ${topK}`);
  if (topK !== undefined && topK > vocabSize) throw new ValueError(`${op}: topK ${topK} is larger than the vocabulary (${vocabSize} tokens)`);
  if (topP !== undefined && !(topP > 0 && topP <= 1)) throw new ValueError(`${op}: topP must be in (0, 1], got ${topP}`);
}

/** Index of the largest value (the first one on ties). */
export function argmaxRow(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/**
 * The probabilities sampling draws from: softmax(logits / temperature) restricted to the top-k
 * tokens and then to the nucleus of mass topP, renormalised. Tokens filtered out get 0.
 *
 * @example
 * samplingProbabilities([2, 1, 0], { topK: 2 }) // ≈ [0.731, 0.269, 0]
 */
export function samplingProbabilities(logits: ArrayLike<number>, opts: SamplingOptions = {}): Float64Array {
  const n = logits.length;
  const t = opts.temperature ?? 1;
  if (!(t > 0)) throw new ValueError('samplingProbabilities: temperature must be > 0; use argmaxRow for greedy decoding');
  const scaled = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    scaled[i] = logits[i]! / t;
    if (scaled[i]! > max) max = scaled[i]!;
  }
  if (opts.topK !== undefined && opts.topK < n) {
    const kth = Float64Array.from(scaled).sort()[n - opts.topK]!;
    for (let i = 0; i < n; i++) if (scaled[i]! < kth) scaled[i] = -Infinity;
  }
  const p = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    p[i] = Math.exp(scaled[i]! - max);
    total += p[i]!;
  }
  for (let i = 0; i < n; i++) p[i]! /= total;
  const topP = opts.topP ?? 1;
  if (topP < 1) {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
    let mass = 0;
    let kept = 0;
    // keep tokens until their mass reaches topP (the token that crosses it is kept)
    while (kept < n && mass < topP) mass += p[order[kept++]!]!;
    for (let j = kept; j < n; j++) p[order[j]!] = 0;
    for (let i = 0; i < n; i++) p[i]! /= mass;
  }
  return p;
}

/**
 * The next token for one row of logits: the arg-max when `temperature` is 0, else a draw from
 * {@link samplingProbabilities} with `generator`.
 *
 * @example
 * sampleToken(new Float32Array([0, 5, 1]), { temperature: 0 }, gen) // 1
 */
export function sampleToken(logits: ArrayLike<number>, opts: SamplingOptions, generator: Generator): number {
  if ((opts.temperature ?? 1) === 0) return argmaxRow(logits);
  const p = samplingProbabilities(logits, opts);
  return multinomial(tensor(p, { dtype: 'float64' }), 1, { generator }).item();
}
