import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { stridedSliceRows } from './rows.js';
import { DataLoader } from '../data/data-loader.js';
import { TensorDataset } from '../data/dataset.js';
import { defaultGenerator } from '../tensor/random.js';

/** One batch of training data: inputs and targets. */
export type Batch = [Tensor, Tensor];

/** Anything `fit`/`evaluate` accept as data besides `(x, y)` tensors: a DataLoader or any iterable of batches. */
export type BatchSource = Iterable<Batch | { x: Tensor; y: Tensor }> | AsyncIterable<Batch | { x: Tensor; y: Tensor }>;

/** Normalises a batch given as `[x, y]` or `{x, y}`; `op` ('fit', 'evaluate') names the caller in errors. */
export function toBatch(b: unknown, op = 'fit'): Batch {
  if (Array.isArray(b) && b.length >= 2 && b[0] instanceof Tensor && b[1] instanceof Tensor) return [b[0], b[1]];
  if (b && typeof b === 'object' && 'x' in b && 'y' in b) {
    const { x, y } = b as { x: unknown; y: unknown };
    if (x instanceof Tensor && y instanceof Tensor) return [x, y];
  }
  throw new ValueError(`${op}: each batch must be [x, y] or {x, y} with tensors`);
}

/** Checks that `x` is an iterable of batches (a DataLoader, an array, a generator), naming `op` otherwise. */
export function asBatchSource(x: unknown, op: string): BatchSource {
  const it = x as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown } | null | undefined;
  if (it !== null && it !== undefined && (typeof it[Symbol.iterator] === 'function' || typeof it[Symbol.asyncIterator] === 'function')) return x as BatchSource;
  const got = x === null ? 'null' : Array.isArray(x) ? 'an array' : typeof x === 'object' ? (x.constructor?.name ?? 'an object') : typeof x;
  throw new ValueError(`${op}: x must be a tensor (with y), an [x, y] pair or an iterable of [x, y] batches (a DataLoader), got ${got}`);
}

/** Checks that x and y hold the same number of samples. */
export function checkSamples(op: string, x: Tensor, y: Tensor): void {
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) throw new ValueError(`${op}: x and y must be tensors (or pass a DataLoader as x)`);
  if (x.ndim === 0 || y.ndim === 0 || x.shape[0] !== y.shape[0]) {
    throw new ShapeError(`${op}: x ${fmt(x.shape)} and y ${fmt(y.shape)} must have the same number of samples (first dimension)`);
  }
}

/**
 * Splits off the LAST `fraction` of the samples for validation, before any shuffling (as Keras
 * does), so the split is the same on every run.
 */
export function splitValidation(x: Tensor, y: Tensor, fraction: number): { train: Batch; val: Batch } {
  if (!(fraction > 0 && fraction < 1)) throw new ValueError(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  const n = x.shape[0]!;
  const nTrain = Math.floor(n * (1 - fraction));
  if (nTrain === 0 || nTrain === n) throw new ValueError(`fit: validationSplit ${fraction} of ${n} samples leaves an empty training or validation set`);
  return {
    train: [stridedSliceRows(x, 0, nTrain), stridedSliceRows(y, 0, nTrain)],
    val: [stridedSliceRows(x, nTrain, n), stridedSliceRows(y, nTrain, n)],
  };
}

/** Batches over in-memory tensors; `op` names the caller in errors. */
export function tensorBatches(x: Tensor, y: Tensor, batchSize: number, shuffle: boolean, seed?: number, op = 'evaluate') {
  if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError(`${op}: batchSize must be a positive integer, got ${batchSize}`);
  return new DataLoader(new TensorDataset(x, y), { batchSize, shuffle, seed });
}

/**
 * The training batches of `fit` over in-memory tensors. The order of epoch `e` depends only on
 * (`seed`, `e`), not on the epochs before it, so a run resumed at epoch `e` from a checkpoint
 * visits the samples exactly as the uninterrupted run would. Without a seed, one is drawn from the
 * default generator (so `nb.manualSeed` makes runs reproducible).
 */
export class EpochBatches {
  /** The seed of every epoch's order; a resumed run sets the one its checkpoint recorded. */
  seed: number;

  constructor(readonly x: Tensor, readonly y: Tensor, readonly batchSize: number, readonly shuffle: boolean, seed?: number) {
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new ValueError(`fit: batchSize must be a positive integer, got ${batchSize}`);
    if (seed !== undefined && !Number.isFinite(seed)) throw new ValueError(`fit: seed must be a finite number, got ${seed}`);
    this.seed = seed ?? (shuffle ? defaultGenerator.nextUint32() : 0);
  }

  /** Batches per epoch. */
  get length(): number {
    return Math.ceil((this.x.shape[0] ?? 0) / this.batchSize);
  }

  /** The batches of epoch `epoch` (counted from 0). */
  forEpoch(epoch: number): DataLoader<[Tensor, Tensor]> {
    const seed = this.shuffle ? epochSeed(this.seed, epoch) : undefined;
    return new DataLoader(new TensorDataset(this.x, this.y), { batchSize: this.batchSize, shuffle: this.shuffle, seed });
  }
}

/** A 32-bit hash of (seed, epoch) (murmur3's finalizer): nearby seeds and epochs give unrelated orders. */
function epochSeed(seed: number, epoch: number): number {
  let h = ((Math.trunc(seed) ^ Math.trunc(seed / 2 ** 32)) + Math.imul(epoch + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The options of `fit` that say where its batches come from. */
export interface FitDataOptions {
  batchSize?: number;
  shuffle?: boolean;
  validationSplit?: number;
  validationData?: Batch | BatchSource;
  seed?: number;
}

/**
 * `fit`'s data sorted out: the training batches (an `EpochBatches` over tensors, after the
 * validation split, or the batch source given) and the validation data, if any.
 */
export function fitInputs(x: Tensor | BatchSource, y: Tensor | undefined, opts: FitDataOptions): { train: BatchSource | EpochBatches; validation: Batch | BatchSource | undefined } {
  let validation = opts.validationData;
  if (!(x instanceof Tensor)) {
    if (opts.validationSplit) throw new ValueError('fit: validationSplit needs tensor inputs; pass validationData with a DataLoader');
    return { train: x, validation };
  }
  if (!y) throw new ValueError('fit: targets y are required with tensor inputs: model.fit(x, y, options)');
  checkSamples('fit', x, y);
  let [xTrain, yTrain] = [x, y];
  if (opts.validationSplit) {
    const split = splitValidation(x, y, opts.validationSplit);
    [xTrain, yTrain] = split.train;
    validation ??= split.val;
  }
  return { train: new EpochBatches(xTrain, yTrain, opts.batchSize ?? 32, opts.shuffle ?? true, opts.seed), validation };
}
