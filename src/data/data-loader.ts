import { gather } from '../ops/indexing.js';
import { slice } from '../ops/movement.js';
import { ValueError } from '../tensor/errors.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { randomSource, type RandomSource } from '../tensor/secure-random.js';
import { bucketBatches, checkLengths, longest } from './bucketing.js';
import { defaultCollate, type Collated } from './collate.js';
import { TensorDataset, type Dataset } from './dataset.js';
import { randomPermutation } from './permutation.js';

/** A generator's state, as `Generator.getState()` returns it. */
export type GeneratorState = ReturnType<Generator['getState']>;

/** Options of `DataLoader`. */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch (default 32). */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch (default false). */
  shuffle?: boolean;
  /** Leave out the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /**
   * Seed of the shuffling generator: the same seed gives the same sequence of epoch orders. Without
   * it the generator is seeded from the default one, so `nb.manualSeed` makes runs reproducible.
   */
  seed?: number;
  /** Makes a batch from a list of samples (default `defaultCollate`: stacks tensors, batches numbers). */
  collate?: (samples: T[]) => B;
  /**
   * Length bucketing: the length of each sample (e.g. `sequenceLengths(ids)`), or a function of a
   * sample giving it (called once per sample, on the first epoch). Each epoch's order is cut into
   * windows of `bucketWindow` batches, sorted by length within each window, then batched; with
   * `shuffle` the batches come in a random (seeded) order. Same batch count, fewer padded steps.
   */
  lengths?: ArrayLike<number> | ((sample: T) => number);
  /** Batches per sorting window of length bucketing (default 50): larger windows, less padding, less randomness. */
  bucketWindow?: number;
  /**
   * With tensors and `lengths`: cut the first tensor (the padded ids `[n, L, …]`) to the longest
   * length in each batch, so a batch of short texts is short (default false).
   */
  padToLongest?: boolean;
  /**
   * `'poisson'`: each batch takes every sample independently with probability batchSize / n
   * (Abadi et al. 2016), so batch sizes vary (a batch may be empty), for `round(n / batchSize)`
   * batches an epoch — the sampling DP-SGD's privacy accounting assumes. The draws come from the
   * platform's secure generator unless `seed` is given (for tests: a known seed reveals which
   * samples were in each batch). Default `'epoch'`: every sample once per epoch.
   */
  sampling?: 'epoch' | 'poisson';
}

/**
 * Iterates over a dataset in batches, one pass per `for…of` (an epoch); `length` is the number of
 * batches. Works with `for…of` and `for await…of`.
 *
 * Given tensors (or a `TensorDataset`), each batch is the list of those tensors' rows for the
 * batch, taken with one gather per tensor (fresh tensors, never views of the dataset); the batch
 * type is a tuple matching the tensors given (`[x, y]` → `[Tensor, Tensor]`). Given any other
 * `Dataset`, each batch is `collate(samples)`.
 *
 * @example
 * const loader = new DataLoader([x, y], { batchSize: 64, shuffle: true, seed: 1 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const [xb, yb] of loader) trainStep(xb, yb); // xb [64, 784], yb [64]
 * }
 * // texts of similar lengths together, each batch padded to its longest (length bucketing)
 * const ids = vectorize.encodeTexts(texts);        // [n, longest text], padded with 0
 * const byLength = new DataLoader([ids, y], { batchSize: 64, shuffle: true, lengths: sequenceLengths(ids), padToLongest: true });
 */
export class DataLoader<const T = Tensor[], B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  /** The samples. */
  readonly dataset: Dataset<T>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  /** The source of Poisson sampling's draws (null for epoch sampling). */
  private readonly poisson: RandomSource | null;
  readonly dropLast: boolean;
  private readonly generator: Generator | null;
  // typed over unknown samples so that T stays covariant: a DataLoader<[Tensor, Tensor]> is a DataLoader<Tensor[]>
  /** The function that makes a batch from samples (undefined: `defaultCollate`). */
  readonly collate: ((samples: unknown[]) => B) | undefined;
  /** Batches per bucketing window (only used with `lengths`). */
  readonly bucketWindow: number;
  readonly padToLongest: boolean;
  private lengths: ArrayLike<number> | ((sample: unknown) => number) | null;

  // `const T` makes `new DataLoader([x, y])` batch as the tuple [Tensor, Tensor], not Tensor[]
  constructor(source: Dataset<T> | (T & readonly Tensor[]), options: DataLoaderOptions<T, B> = {}) {
    const { batchSize = 32, shuffle = false, dropLast = false, seed, collate, lengths, bucketWindow = 50, padToLongest = false, sampling = 'epoch' } = options;
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new ValueError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (seed !== undefined && !Number.isFinite(seed)) throw new ValueError(`DataLoader: seed must be a finite number, got ${seed}`);
    if (Array.isArray(source)) {
      this.dataset = new TensorDataset(...(source as readonly Tensor[])) as Dataset<unknown> as Dataset<T>;
    } else {
      const ds = source as Dataset<T>;
      if (typeof ds !== 'object' || ds === null || typeof ds.get !== 'function' || !Number.isInteger(ds.length) || ds.length < 0) {
        throw new ValueError('DataLoader: expected an array of tensors or a Dataset ({length, get(i)}) with a non-negative integer length');
      }
      this.dataset = ds;
    }
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.collate = collate as ((samples: unknown[]) => B) | undefined;
    this.lengths = (lengths as ArrayLike<number> | ((sample: unknown) => number) | undefined) ?? null;
    this.bucketWindow = bucketWindow;
    this.padToLongest = padToLongest;
    this.checkBucketing();
    if (sampling !== 'epoch' && sampling !== 'poisson') throw new ValueError(`DataLoader: sampling must be 'epoch' or 'poisson', got ${JSON.stringify(sampling)}`);
    if (sampling === 'poisson' && (shuffle || dropLast || lengths !== undefined)) {
      throw new ValueError('DataLoader: sampling: \'poisson\' draws each batch at random by itself; leave out shuffle, dropLast and lengths (bucketing)');
    }
    this.poisson = sampling === 'poisson' ? randomSource(seed) : null;
    // drawn only when shuffling, so that making a plain loader does not shift other random draws
    this.generator = shuffle ? new Generator(seed ?? defaultGenerator.nextUint32()) : null;
  }

  /**
   * The state that decides the next epochs' orders: the shuffling generator's (null without
   * `shuffle`). `fit({ checkpointDir })` saves it, so a resumed run shuffles as the uninterrupted
   * one did. A `Dataset` that draws random numbers itself keeps its own state.
   */
  getState(): { generator: GeneratorState | null } {
    return { generator: this.generator ? this.generator.getState() : null };
  }

  /** Restores `getState()`'s output; checked first (it comes from a file): a shuffling loader needs a valid generator state, another none. */
  setState(state: { generator: GeneratorState | null }): void {
    const op = 'DataLoader.setState';
    if (typeof state !== 'object' || state === null || !Object.hasOwn(state, 'generator')) throw new ValueError(`${op}: expected the object getState() returns ({ generator })`);
    const saved = state.generator;
    if (!this.generator) {
      if (saved !== null) throw new ValueError(`${op}: the state holds a shuffling generator but this loader does not shuffle (shuffle: false)`);
      return;
    }
    if (saved === null) throw new ValueError(`${op}: the state holds no generator but this loader shuffles; was it saved from a loader with shuffle: false?`);
    this.generator.setState(saved); // it checks the whole state before changing anything
  }

  private checkBucketing(): void {
    if (!Number.isInteger(this.bucketWindow) || this.bucketWindow < 1) throw new ValueError(`DataLoader: bucketWindow must be a positive integer, got ${this.bucketWindow}`);
    const l = this.lengths;
    if (l !== null && typeof l !== 'function') {
      if (typeof l !== 'object' || typeof l.length !== 'number') throw new ValueError('DataLoader: lengths must be one length per sample (an array) or a function of a sample');
      checkLengths(l, this.dataset.length);
    }
    if (!this.padToLongest) return;
    if (l === null) throw new ValueError('DataLoader: padToLongest needs the lengths of the samples ({ lengths })');
    const first = this.dataset instanceof TensorDataset && this.collate === undefined ? this.dataset.tensors[0] : undefined;
    if (first === undefined || first.ndim < 2) {
      throw new ValueError('DataLoader: padToLongest cuts the first tensor of the batch (padded ids [n, length]); it needs tensors [n, length, …] and no collate (a collate pads its own batches)');
    }
  }

  /** The samples' lengths for bucketing, computed once from a function; null without bucketing. */
  private sampleLengths(): ArrayLike<number> | null {
    const l = this.lengths;
    if (typeof l !== 'function') return l;
    const n = this.dataset.length;
    const computed = Array.from({ length: n }, (_, i) => l(this.dataset.get(i)));
    checkLengths(computed, n);
    this.lengths = computed;
    return computed;
  }

  /** Number of batches in one epoch. */
  get length(): number {
    const n = this.dataset.length;
    if (this.poisson) return Math.max(1, Math.round(n / this.batchSize));
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** One epoch of batches; with `shuffle`, each call draws a new order. */
  *[Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    if (this.poisson) {
      const q = Math.min(1, this.batchSize / n);
      for (let b = 0; b < this.length; b++) yield this.batch(poissonSample(n, q, this.poisson));
      return;
    }
    const order = this.epochOrder(n);
    const lengths = this.sampleLengths();
    if (lengths !== null) {
      for (const indices of bucketBatches(order, lengths, this.batchSize, this.bucketWindow, this.dropLast, this.generator)) {
        yield this.batch(indices, this.padToLongest ? longest(indices, lengths) : null);
      }
      return;
    }
    const end = this.dropLast ? n - (n % this.batchSize) : n;
    for (let start = 0; start < end; start += this.batchSize) {
      yield this.batch(order.subarray(start, Math.min(start + this.batchSize, n)));
    }
  }

  /** The same batches as the sync iterator, for `for await…of` loops. */
  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const batch of this) yield batch;
  }

  private epochOrder(n: number): Int32Array {
    if (this.generator) return randomPermutation(n, this.generator);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    return order;
  }

  /** The sample rate of Poisson sampling (batchSize / n, at most 1), or null for epoch sampling. */
  get sampleRate(): number | null {
    return this.poisson ? Math.min(1, this.batchSize / this.dataset.length) : null;
  }

  /** The batch of these samples; `width`: cut the first tensor's axis 1 to it (padToLongest). */
  private batch(indices: Int32Array, width: number | null = null): B {
    const ds = this.dataset;
    if (ds instanceof TensorDataset && this.collate === undefined) {
      const index = new Tensor(indices, [indices.length]);
      return ds.tensors.map((t: Tensor, k: number) => gather(k === 0 && width !== null ? slice(t, [null, [0, width]]) : t, index, 0)) as unknown as B;
    }
    const samples = Array.from(indices, (i) => ds.get(i));
    return this.collate ? this.collate(samples) : (defaultCollate(samples) as B);
  }
}

/**
 * Each of `n` indices independently with probability `q`, in order: the gaps between picked
 * indices are geometric, drawn directly (q·n draws, not n).
 */
export function poissonSample(n: number, q: number, rng: RandomSource): Int32Array {
  if (q >= 1) return Int32Array.from({ length: n }, (_, i) => i);
  const picked: number[] = [];
  const logKeep = Math.log1p(-q);
  let i = -1;
  for (;;) {
    // P(gap = k) = (1 − q)^(k−1) q, k ≥ 1
    i += 1 + Math.floor(Math.log(1 - rng.uniform()) / logKeep);
    if (!(i < n)) break;
    picked.push(i);
  }
  return Int32Array.from(picked);
}
