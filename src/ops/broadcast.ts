import type { View } from '../backend/backend.js';
import { ShapeError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { reshape } from './movement.js';
import { sum } from './reduce.js';

/**
 * A kernel view of `t` broadcast to `shape` (NumPy rules): missing leading dims and size-1 dims
 * get stride 0. The shape must already be known to be compatible.
 */
export function expandView(t: Tensor, shape: readonly number[]): View {
  const nd = shape.length;
  const lead = nd - t.ndim;
  const strides = new Array<number>(nd);
  for (let i = 0; i < nd; i++) {
    const j = i - lead;
    strides[i] = j < 0 || t.shape[j] === 1 ? 0 : t.strides[j]!;
  }
  return { data: t.storage, shape, strides, offset: t.offset };
}

/**
 * Sums a broadcast gradient back to the shape of the operand it came from: the inverse of
 * broadcasting, used by every binary VJP. `sumTo(g [4,3], [3]) = sum(g, 0)`.
 */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  if (g.ndim === shape.length && g.shape.every((d, i) => d === shape[i])) return g;
  const lead = g.ndim - shape.length;
  if (lead < 0) throw new ShapeError(`sumTo: cannot reduce ${fmt(g.shape)} to the larger shape ${fmt(shape)}`);
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(axes.length ? sum(g, axes, true) : g, shape.slice());
}
