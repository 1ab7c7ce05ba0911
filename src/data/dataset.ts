import { slice } from '../ops/movement.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/**
 * Anything with a length and random access to samples: the input of `DataLoader`. Implement it
 * to load samples lazily (files on disk, text windows, augmentations computed on the fly).
 *
 * @example
 * const squares: Dataset<[number, number]> = { length: 100, get: (i) => [i, i * i] };
 */
export interface Dataset<T> {
  /** Number of samples. */
  readonly length: number;
  /** Sample `i`, for `0 <= i < length`. */
  get(i: number): T;
}

/**
 * A dataset over whole tensors that share their first dimension: sample `i` is the list of row
 * `i` of each tensor (views, no copy). `DataLoader` batches it by gathering rows of the big tensors
 * directly, one gather per tensor per batch.
 *
 * @example
 * const ds = new TensorDataset(x, y); // x [n, 784], y [n]: a Dataset<[Tensor, Tensor]>
 * const [xi, yi] = ds.get(0);          // [784] and []
 */
export class TensorDataset<T extends Tensor[] = Tensor[]> implements Dataset<T> {
  /** The tensors, each with `length` rows. */
  readonly tensors: Readonly<T>;

  constructor(...tensors: T) {
    if (tensors.length === 0) throw new ValueError('TensorDataset: give at least one tensor, e.g. new TensorDataset(x, y)');
    tensors.forEach((t, i) => {
      if (!(t instanceof Tensor)) throw new ValueError(`TensorDataset: argument ${i} is not a Tensor`);
      if (t.ndim === 0) throw new ShapeError(`TensorDataset: tensors[${i}] is a scalar; every tensor needs a first dimension indexing the samples`);
    });
    const rows = tensors[0]!.shape[0]!;
    tensors.forEach((t, i) => {
      if (t.shape[0] !== rows) {
        throw new ShapeError(
          `TensorDataset: tensors[${i}] has ${t.shape[0]} rows (shape ${fmt(t.shape)}) but tensors[0] has ${rows} (shape ${fmt(tensors[0]!.shape)}); every tensor needs the same first dimension`,
        );
      }
    });
    this.tensors = tensors;
  }

  /** Number of samples: the shared first dimension. */
  get length(): number {
    return this.tensors[0]!.shape[0]!;
  }

  /** Row `i` of every tensor (views sharing their storage). */
  get(i: number): T {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new ValueError(`TensorDataset.get: index ${i} is out of range for ${this.length} samples (valid: 0..${this.length - 1})`);
    }
    return this.tensors.map((t) => slice(t, [i])) as T;
  }
}
