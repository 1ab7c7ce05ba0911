/**
 * Drawing category indices from weights or logits (`multinomial`, `categorical`), seeded through
 * nabla's `Generator`. Not differentiable: the results are int32 indices.
 */
import { DTypeError, ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { contiguousCopy } from './primitives/alloc.js';
import { assertTensor } from './scalar.js';

/** Options of `multinomial` and `categorical`. */
export interface SamplingOptions {
  /** Draw with replacement (default false for `multinomial`, as PyTorch; `categorical` always replaces). */
  replacement?: boolean;
  /** The generator to draw from (default: the global one that `nb.manualSeed` seeds). */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`: the same seed gives the same draws. */
  seed?: number;
}

/** Index of the first cumulative weight above `u`, skipping zero weights (binary search). */
function search(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `samples` draws from one row of non-negative weights (checked by the caller). */
function drawRow(w: Float64Array, samples: number, replacement: boolean, g: Generator, out: Int32Array, at: number): void {
  const n = w.length;
  if (replacement) {
    const cum = new Float64Array(n);
    let acc = 0;
    for (let j = 0; j < n; j++) cum[j] = acc += w[j]!;
    for (let s = 0; s < samples; s++) out[at + s] = search(cum, g.uniform() * acc);
    return;
  }
  // without replacement: draw one, remove its weight, draw again from what is left
  const left = Float64Array.from(w);
  let total = left.reduce((a, b) => a + b, 0);
  for (let s = 0; s < samples; s++) {
    const u = g.uniform() * total;
    let acc = 0;
    let pick = -1;
    for (let j = 0; j < n; j++) {
      if (left[j] === 0) continue;
      pick = j;
      acc += left[j]!;
      if (acc > u) break;
    }
    out[at + s] = pick;
    total -= left[pick]!;
    left[pick] = 0;
    // recompute the total now and then so that subtraction error cannot build up
    if (s % 64 === 63) total = left.reduce((a, b) => a + b, 0);
  }
}

/**
 * Draws `numSamples` category indices per row from non-negative `weights` of shape `[n]` or
 * `[rows, n]` (probabilities, or any weights: each row is normalised), as PyTorch's
 * `torch.multinomial`: int32 indices of shape `[numSamples]` or `[rows, numSamples]`. Without
 * replacement (the default) a category is drawn at most once per row, so `numSamples` may not
 * exceed the number of non-zero weights. Seeded: pass `seed` or a `generator`.
 *
 * @example
 * nb.multinomial(nb.tensor([0.1, 0.0, 0.9]), 4, { replacement: true, seed: 1 })   // e.g. [2, 2, 0, 2]
 */
export function multinomial(weights: Tensor, numSamples: number, opts: SamplingOptions = {}): Tensor {
  assertTensor('multinomial', weights, 'weights');
  if (!isFloat(weights.dtype)) {
    throw new DTypeError(`multinomial: weights must be a float tensor, got ${weights.dtype}; cast them with weights.cast('float32')`);
  }
  if (weights.ndim !== 1 && weights.ndim !== 2) {
    throw new ValueError(`multinomial: weights must be [n] or [rows, n], got shape ${fmt(weights.shape)}`);
  }
  if (!Number.isInteger(numSamples) || numSamples < 0) throw new ValueError(`multinomial: numSamples must be a non-negative integer, got ${numSamples}`);
  const replacement = opts.replacement ?? false;
  const g = generatorOf('multinomial', opts);
  const n = weights.shape[weights.ndim - 1]!;
  const rows = weights.ndim === 1 ? 1 : weights.shape[0]!;
  const c = contiguousCopy(weights);
  const out = new Int32Array(rows * numSamples);
  for (let r = 0; r < rows; r++) {
    const w = Float64Array.from(c.storage.subarray(c.offset + r * n, c.offset + (r + 1) * n));
    const row = weights.ndim === 1 ? '' : ` in row ${r}`;
    let positive = 0;
    for (let j = 0; j < n; j++) {
      const v = w[j]!;
      if (Number.isNaN(v) || v < 0 || v === Infinity) {
        throw new ValueError(`multinomial: weights must be finite and non-negative, got ${v} at index ${j}${row}`);
      }
      if (v > 0) positive++;
    }
    if (numSamples > 0 && positive === 0) {
      throw new ValueError(`multinomial: all weights${row} are zero; at least one category needs a positive weight`);
    }
    if (!replacement && numSamples > positive) {
      throw new ValueError(
        `multinomial: cannot draw ${numSamples} samples without replacement from ${positive} categories with non-zero weight${row}; ` +
          'pass { replacement: true } or draw fewer',
      );
    }
    drawRow(w, numSamples, replacement, g, out, r * numSamples);
  }
  return new Tensor(out, weights.ndim === 1 ? [numSamples] : [rows, numSamples]);
}

/**
 * Draws `numSamples` category indices per row from unnormalised log-probabilities `logits`
 * (`[n]` or `[rows, n]`), with replacement, as `tf.random.categorical`: the same as
 * `multinomial(softmax(logits), numSamples, { replacement: true })`. A logit of −∞ is never drawn.
 *
 * @example
 * nb.categorical(logits, 1, { seed: 0 })   // [rows, 1] next-token ids
 */
export function categorical(logits: Tensor, numSamples: number, opts: Omit<SamplingOptions, 'replacement'> = {}): Tensor {
  assertTensor('categorical', logits, 'logits');
  if (!isFloat(logits.dtype)) throw new DTypeError(`categorical: logits must be a float tensor, got ${logits.dtype}`);
  if (logits.ndim !== 1 && logits.ndim !== 2) throw new ValueError(`categorical: logits must be [n] or [rows, n], got shape ${fmt(logits.shape)}`);
  const n = logits.shape[logits.ndim - 1]!;
  const c = contiguousCopy(logits);
  const probs = new Float64Array(c.size);
  for (let r = 0; r * n < c.size; r++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      const v = c.storage[c.offset + r * n + j]!;
      if (Number.isNaN(v) || v === Infinity) throw new ValueError(`categorical: logits must be finite or -Infinity, got ${v} at index ${j} in row ${r}`);
      max = Math.max(max, v);
    }
    if (max === -Infinity && numSamples > 0) throw new ValueError(`categorical: all logits in row ${r} are -Infinity; at least one category must be possible`);
    // exp(x − max): the largest weight is 1, so the row cannot overflow
    for (let j = 0; j < n; j++) probs[r * n + j] = max === -Infinity ? 0 : Math.exp(c.storage[c.offset + r * n + j]! - max);
  }
  return multinomial(new Tensor(probs, logits.shape.slice()), numSamples, { ...opts, replacement: true });
}

function generatorOf(op: string, opts: SamplingOptions): Generator {
  if (opts.generator !== undefined && opts.seed !== undefined) throw new ValueError(`${op}: pass either generator or seed, not both`);
  if (opts.seed !== undefined) return new Generator(opts.seed);
  return opts.generator ?? defaultGenerator;
}
