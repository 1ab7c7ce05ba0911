import { isFloat, promoteTypes } from '../tensor/dtype.js';
import { DTypeError, ShapeError } from '../tensor/errors.js';
import { broadcastShapes, fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { cast } from './binary.js';
import { apply } from './dispatch.js';
import { reshape, squeeze, unsqueeze } from './movement.js';
import { assertTensor } from './scalar.js';

export { transposeLast } from './movement.js';

/**
 * Matrix product with NumPy's rules: `[..., m, k] · [..., k, n] → [..., m, n]` with broadcast
 * batch dims; a 1-D left operand is a row vector and a 1-D right operand a column vector (the
 * added dim is removed from the result). Float tensors only.
 *
 * @example
 * nb.matmul(nb.randn([32, 784]), nb.randn([784, 256]))  // [32, 256]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertTensor('matmul', a, 'a');
  assertTensor('matmul', b, 'b');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new ShapeError(`matmul: both operands need at least 1 dim, got ${fmt(a.shape)} and ${fmt(b.shape)}; use mul() for scalars`);
  }
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (!isFloat(dtype)) {
    throw new DTypeError(`matmul: expected float tensors, got ${a.dtype} and ${b.dtype}; cast them with cast(x, 'float32')`);
  }
  const a2 = a.ndim === 1 ? unsqueeze(a, 0) : a;
  const b2 = b.ndim === 1 ? unsqueeze(b, 1) : b;
  const k1 = a2.shape[a2.ndim - 1]!;
  const k2 = b2.shape[b2.ndim - 2]!;
  if (k1 !== k2) {
    throw new ShapeError(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${k1} != ${k2})`);
  }
  const batchA = a2.shape.slice(0, -2);
  const batchB = b2.shape.slice(0, -2);
  try {
    broadcastShapes('matmul', batchA, batchB);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(`matmul: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied: batch dims ${fmt(batchA)} and ${fmt(batchB)} do not broadcast (sizes must match or one must be 1)`);
  }
  let out = apply('matmul', [cast(a2, dtype), cast(b2, dtype)], {});
  if (a.ndim === 1) out = squeeze(out, -2);
  if (b.ndim === 1) out = squeeze(out, -1);
  return out;
}

/** Flattens leading dims for a 2-D product and restores them: `[..., k] · [k, n] → [..., n]`. */
export function linearMatmul(x: Tensor, w: Tensor): Tensor {
  if (x.ndim <= 2) return matmul(x, w);
  const lead = x.shape.slice(0, -1);
  return reshape(matmul(reshape(x, [-1, x.shape[x.ndim - 1]!]), w), [...lead, w.shape[w.ndim - 1]!]);
}
