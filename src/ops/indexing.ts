import { DTypeError, ValueError } from '../tensor/errors.js';
import { fmt, normalizeAxis, sizeOf } from '../tensor/shape.js';
import type { DType } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { add } from './binary.js';
import { apply } from './dispatch.js';
import { contiguousCopy, empty } from './primitives/alloc.js';
import { permute, reshape } from './movement.js';
import { assertTensor } from './scalar.js';

/** Checks int32 indices in `[0, size)`; `range` says what they index ("axis 1 of size 3"). */
function checkIndices(op: string, indices: Tensor, size: number, range: string): void {
  assertTensor(op, indices, 'indices');
  if (indices.dtype !== 'int32') {
    throw new DTypeError(`${op}: indices must be an int32 tensor, got ${indices.dtype}; cast them with cast(indices, 'int32')`);
  }
  const data = contiguousCopy(indices);
  const arr = data.storage;
  for (let i = data.offset, end = data.offset + indices.size; i < end; i++) {
    const v = arr[i]!;
    if (v < 0 || v >= size) {
      throw new ValueError(`${op}: index ${v} is out of range for ${range} (valid: 0..${size - 1})`);
    }
  }
}

/**
 * Picks slices along `axis` at `indices` (int32, any shape), as `tf.gather`:
 * the result has shape `x.shape[:axis] + indices.shape + x.shape[axis+1:]`. Repeated indices
 * accumulate their gradients.
 */
export function gather(x: Tensor, indices: Tensor, axis = 0): Tensor {
  assertTensor('gather', x);
  if (x.ndim === 0) throw new ValueError('gather: x is a scalar; it has no axis to gather along');
  const a = normalizeAxis('gather', axis, x.ndim);
  checkIndices('gather', indices, x.shape[a]!, `axis ${a} of size ${x.shape[a]}`);
  return apply('gather', [x, indices], { axis: a });
}

/** PyTorch's `index_select(input, dim, index)`: `gather` with 1-D indices, in PyTorch's argument order. */
export function indexSelect(x: Tensor, axis: number, indices: Tensor): Tensor {
  assertTensor('indexSelect', indices, 'indices');
  if (indices.ndim !== 1) throw new ValueError(`indexSelect: indices must be 1-D, got shape ${fmt(indices.shape)}`);
  return gather(x, indices, axis);
}

/** Adds slices of `g` into zeros of size `size` along `axis` at `indices` (the adjoint of gather). */
export function scatterAdd(g: Tensor, indices: Tensor, axis: number, size: number): Tensor {
  return apply('scatterAdd', [g, indices], { axis, size });
}

/** `x` with `axis` moved to the end. */
function movedLast(x: Tensor, axis: number): Tensor {
  const perm = x.shape.map((_, i) => i).filter((i) => i !== axis);
  return permute(x, [...perm, axis]);
}

/**
 * NumPy's `take_along_axis`: `out[..., j, ...] = x[..., indices[..., j, ...], ...]` along `axis`,
 * where `indices` has x's shape except along `axis`. Picks one logit per row for a loss:
 * `takeAlongAxis(logits [N,C], labels [N,1], 1) → [N,1]`.
 */
export function takeAlongAxis(x: Tensor, indices: Tensor, axis: number): Tensor {
  assertTensor('takeAlongAxis', x);
  assertTensor('takeAlongAxis', indices, 'indices');
  if (x.ndim === 0) throw new ValueError('takeAlongAxis: x is a scalar; it has no axis to take along');
  const a = normalizeAxis('takeAlongAxis', axis, x.ndim);
  if (indices.ndim !== x.ndim || indices.shape.some((d, i) => i !== a && d !== x.shape[i])) {
    throw new ValueError(`takeAlongAxis: indices of shape ${fmt(indices.shape)} must match x ${fmt(x.shape)} on every axis but ${a}`);
  }
  const n = x.shape[a]!;
  checkIndices('takeAlongAxis', indices, n, `axis ${a} of size ${n}`);
  // Move the axis last, flatten to rows, and turn (row, j) into one flat index row·n + idx.
  const xm = movedLast(x, a);
  const im = movedLast(indices, a);
  const k = indices.shape[a]!;
  const rows = sizeOf(xm.shape.slice(0, -1));
  const rowBase = empty('int32', [rows, 1]);
  for (let r = 0; r < rows; r++) rowBase.storage[r] = r * n;
  const flatIdx = add(reshape(im, [rows, k]), rowBase);
  const picked = gather(reshape(xm, [rows * n]), reshape(flatIdx, [rows * k]), 0);
  const back = reshape(picked, [...xm.shape.slice(0, -1), k]);
  const perm = back.shape.map((_, i) => i);
  perm.splice(a, 0, perm.pop()!);
  return permute(back, perm);
}

/**
 * One-hot encoding: int32 `indices` of any shape → `[...indices.shape, depth]` with 1 at each
 * index and 0 elsewhere (float32 unless `dtype` says otherwise).
 */
export function oneHot(indices: Tensor, depth: number, dtype: DType = 'float32'): Tensor {
  assertTensor('oneHot', indices, 'indices');
  if (!Number.isInteger(depth) || depth <= 0) throw new ValueError(`oneHot: depth must be a positive integer, got ${depth}`);
  checkIndices('oneHot', indices, depth, `depth ${depth}`);
  const idx = contiguousCopy(indices);
  const out = empty(dtype, [...indices.shape, depth]);
  for (let i = 0; i < indices.size; i++) out.storage[i * depth + idx.storage[idx.offset + i]!] = 1;
  return out;
}
