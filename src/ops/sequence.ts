/**
 * Ops of sequence models: triangular masks (`tril`, `triu`), running sums and products
 * (`cumsum`, `cumprod`), the k largest entries (`topk`) and the token lookup of an embedding
 * table (`embedding`).
 */
import { DTypeError, ValueError } from '../tensor/errors.js';
import { fmt, normalizeAxis } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { where } from './binary.js';
import { apply } from './dispatch.js';
import { contiguousCopy, empty } from './primitives/alloc.js';
import { takeAlongAxis } from './indexing.js';
import { reshape } from './movement.js';
import { assertTensor } from './scalar.js';

/** The `[rows, cols]` bool mask of the cells with `col − row ≤ k` (lower) or `≥ k` (upper). */
function triangle(rows: number, cols: number, k: number, lower: boolean): Tensor {
  const mask = empty('bool', [rows, cols]);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) mask.storage[r * cols + c] = (lower ? c - r <= k : c - r >= k) ? 1 : 0;
  }
  return mask;
}

function triangular(op: 'tril' | 'triu', x: Tensor, k: number): Tensor {
  assertTensor(op, x);
  if (x.ndim < 2) throw new ValueError(`${op}: x must have at least 2 dimensions (the last two form the matrices), got shape ${fmt(x.shape)}`);
  if (!Number.isInteger(k)) throw new ValueError(`${op}: k must be an integer (the diagonal offset), got ${k}`);
  const mask = triangle(x.shape[x.ndim - 2]!, x.shape[x.ndim - 1]!, k, op === 'tril');
  return where(mask, x, 0);
}

/**
 * The lower triangle of the matrices in the last two axes (any batch dims in front): entries with
 * `col − row ≤ k` are kept, the others become 0. `k = 0` keeps the main diagonal, `k = −1`
 * drops it, `k = 1` keeps one diagonal above it. The gradient passes through the kept entries.
 *
 * @example
 * nb.tril(nb.ones([3, 3]))   // [[1,0,0],[1,1,0],[1,1,1]]: the causal mask of a length-3 sequence
 */
export function tril(x: Tensor, k = 0): Tensor {
  return triangular('tril', x, k);
}

/**
 * The upper triangle of the matrices in the last two axes: entries with `col − row ≥ k` are kept,
 * the others become 0 (see `tril`).
 *
 * @example
 * nb.triu(nb.ones([2, 3]), 1)   // [[0,1,1],[0,0,1]]
 */
export function triu(x: Tensor, k = 0): Tensor {
  return triangular('triu', x, k);
}

/** Options of `cumsum`. */
export interface CumsumOptions {
  /** Leave each element out of its own sum, so the first output is 0 (default false). */
  exclusive?: boolean;
  /** Sum from the end of the axis toward the start (default false). */
  reverse?: boolean;
}

/**
 * Running sums along `axis`: `out[i] = x[0] + … + x[i]` (TensorFlow's `cumsum`, with its
 * `exclusive` and `reverse` options). Integer and bool inputs give int32. O(n); the gradient is
 * the same scan run in the other direction.
 *
 * @example
 * nb.cumsum(nb.tensor([1, 2, 3]), 0)                        // [1, 3, 6]
 * nb.cumsum(nb.tensor([1, 2, 3]), 0, { exclusive: true })   // [0, 1, 3]
 */
export function cumsum(x: Tensor, axis: number, opts: CumsumOptions = {}): Tensor {
  assertTensor('cumsum', x);
  const exclusive = opts.exclusive ?? false;
  const reverse = opts.reverse ?? false;
  if (x.ndim === 0) {
    normalizeAxis('cumsum', axis, 1);
    return reshape(apply('cumsum', [reshape(x, [1])], { axis: 0, exclusive, reverse }), []);
  }
  return apply('cumsum', [x], { axis: normalizeAxis('cumsum', axis, x.ndim), exclusive, reverse });
}

/**
 * Running products along `axis`: `out[i] = x[0] · … · x[i]` (PyTorch's `cumprod`). Integer and
 * bool inputs give int32. The gradient is exact also where x has zeros (O(n), no division by
 * 0); second derivatives are exact where x has no zeros.
 *
 * @example
 * nb.cumprod(nb.tensor([1, 2, 3, 4]), 0)   // [1, 2, 6, 24]
 */
export function cumprod(x: Tensor, axis: number): Tensor {
  assertTensor('cumprod', x);
  if (x.ndim === 0) {
    normalizeAxis('cumprod', axis, 1);
    return reshape(apply('cumprod', [reshape(x, [1])], { axis: 0 }), []);
  }
  return apply('cumprod', [x], { axis: normalizeAxis('cumprod', axis, x.ndim) });
}

/** Options of `topk`. */
export interface TopkOptions {
  /** The axis to pick along (default −1, the last). */
  axis?: number;
  /** The k largest (default) or, when false, the k smallest. */
  largest?: boolean;
  /** Best first (default); when false the k picks keep the order they have in x. */
  sorted?: boolean;
}

/** NaN ranks above +∞, as in PyTorch: it is the largest value and never among the smallest. */
function rankAbove(a: number, b: number): boolean {
  if (Number.isNaN(a)) return !Number.isNaN(b);
  return !Number.isNaN(b) && a > b;
}

/** The positions, along the last axis of the contiguous `[rows, n]` data, of each row's picks. */
function topkIndices(data: ArrayLike<number>, rows: number, n: number, k: number, largest: boolean, sorted: boolean): Int32Array {
  const out = new Int32Array(rows * k);
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let j = 0; j < n; j++) order[j] = j;
    // Array.prototype.sort is stable, so equal values keep their index order (lower index first)
    order.sort((i, j) => {
      const a = data[base + i]!;
      const b = data[base + j]!;
      const first = largest ? rankAbove(a, b) : rankAbove(b, a);
      const second = largest ? rankAbove(b, a) : rankAbove(a, b);
      return first ? -1 : second ? 1 : 0;
    });
    const picks = order.slice(0, k);
    if (!sorted) picks.sort((i, j) => i - j);
    out.set(picks, r * k);
  }
  return out;
}

/**
 * The `k` largest (or smallest) entries along an axis and where they are:
 * `{ values, indices }`, both with x's shape except `k` along the axis, indices int32. Equal
 * values are taken lower index first; NaN counts as larger than every number (as in PyTorch).
 * The gradient of `values` goes back to the picked positions (0 elsewhere).
 *
 * @example
 * nb.topk(nb.tensor([1, 5, 3, 5]), 2)   // values [5, 5], indices [1, 3]
 */
export function topk(x: Tensor, k: number, opts: TopkOptions = {}): { values: Tensor; indices: Tensor } {
  assertTensor('topk', x);
  if (x.ndim === 0) throw new ValueError('topk: x is a scalar; it needs at least one axis to pick along');
  const axis = normalizeAxis('topk', opts.axis ?? -1, x.ndim);
  const n = x.shape[axis]!;
  if (!Number.isInteger(k) || k < 0 || k > n) {
    throw new ValueError(`topk: k must be an integer in [0, ${n}] (the size of axis ${axis} of x ${fmt(x.shape)}), got ${k}`);
  }
  // a raw view with the axis moved last (read only, so nothing is recorded)
  const perm = [...x.shape.map((_, i) => i).filter((i) => i !== axis), axis];
  const moved = contiguousCopy(new Tensor(x.storage, perm.map((p) => x.shape[p]!), perm.map((p) => x.strides[p]!), x.offset));
  const rows = n === 0 ? 0 : moved.size / n;
  const picked = new Tensor(
    topkIndices(moved.storage.subarray(moved.offset), rows, n, k, opts.largest ?? true, opts.sorted ?? true),
    [...moved.shape.slice(0, -1), k],
  );
  // the same raw view taken back: result axis j is axis inv[j] of `picked`
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  const indices = contiguousCopy(new Tensor(picked.storage, inv.map((p) => picked.shape[p]!), inv.map((p) => picked.strides[p]!)));
  return { values: takeAlongAxis(x, indices, axis), indices };
}

/**
 * Checks that `ids` are int32 token ids in `[0, vocab)`; `who` names the caller in the message
 * ("Embedding: token id 70 is outside the vocabulary [0, 65)").
 */
export function checkTokenIds(who: string, ids: Tensor, vocab: number): void {
  if (ids.dtype !== 'int32') {
    throw new DTypeError(`${who}: token ids must be an int32 tensor, got ${ids.dtype}; cast them with ids.cast('int32')`);
  }
  const c = contiguousCopy(ids);
  const arr = c.storage;
  for (let i = c.offset, end = c.offset + c.size; i < end; i++) {
    const v = arr[i]!;
    if (v < 0 || v >= vocab) throw new ValueError(`${who}: token id ${v} is outside the vocabulary [0, ${vocab})`);
  }
}

/**
 * Looks up rows of an embedding table: int32 `ids` of any shape and a `[vocab, dim]` `table` give
 * `[...ids.shape, dim]`. The gradient is index-added into one `[vocab, dim]` buffer (rows of
 * repeated ids add up; rows never looked up stay 0), with no other table-sized temporary.
 *
 * @example
 * nb.embedding(nb.tensor([[2, 0]], { dtype: 'int32' }), table)   // [1, 2, dim]
 */
export function embedding(ids: Tensor, table: Tensor): Tensor {
  assertTensor('embedding', ids, 'ids');
  assertTensor('embedding', table, 'table');
  if (table.ndim !== 2) throw new ValueError(`embedding: table must be 2-D [vocab, dim], got shape ${fmt(table.shape)}`);
  checkTokenIds('embedding', ids, table.shape[0]!);
  return lookupRows(table, ids);
}

/** `embedding` without the checks, for callers that have checked the ids with `checkTokenIds`. */
export function lookupRows(table: Tensor, ids: Tensor): Tensor {
  // the gather primitive directly: `gather` would read every id a second time to check it
  return apply('gather', [table, ids], { axis: 0 });
}
