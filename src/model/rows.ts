import type { Tensor } from '../tensor/tensor.js';
import { stridedSlice } from '../ops/movement.js';

/** Rows `[start, end)` of the first axis, as a view. */
export function stridedSliceRows(t: Tensor, start: number, end: number): Tensor {
  return stridedSlice(t, {
    begin: t.shape.map((_, i) => (i === 0 ? start : 0)),
    end: t.shape.map((d, i) => (i === 0 ? end : d)),
    step: t.shape.map(() => 1),
  });
}
