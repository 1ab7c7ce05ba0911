import { backend } from '../../backend/index.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { gather, scatterAdd } from '../indexing.js';
import { contiguousCopy, empty } from './alloc.js';
import type { PrimTable } from './types.js';

export const indexingPrims: PrimTable<'gather' | 'scatterAdd'> = {
  gather: {
    // out = x.shape[:axis] + indices.shape + x.shape[axis+1:]
    forward: ([x, indices], { axis }) => {
      const xc = contiguousCopy(x!);
      const idx = contiguousCopy(indices!);
      const outer = sizeOf(x!.shape.slice(0, axis));
      const inner = sizeOf(x!.shape.slice(axis + 1));
      const out = empty(x!.dtype, [...x!.shape.slice(0, axis), ...indices!.shape, ...x!.shape.slice(axis + 1)]);
      backend().gather(offsetArray(xc), outer, x!.shape[axis]!, inner, idxArray(idx), out.storage);
      return out;
    },
    // each gathered row sends its gradient back to where it came from (repeats add up)
    vjp: (g, [x, indices], _, { axis }) => [scatterAdd(g, indices!, axis, x!.shape[axis]!), null],
  },
  scatterAdd: {
    forward: ([g, indices], { axis, size }) => {
      const gc = contiguousCopy(g!);
      const idx = contiguousCopy(indices!);
      const outer = sizeOf(g!.shape.slice(0, axis));
      const inner = sizeOf(g!.shape.slice(axis + indices!.ndim));
      const out = empty(g!.dtype, [...g!.shape.slice(0, axis), size, ...g!.shape.slice(axis + indices!.ndim)]);
      backend().scatterAdd(offsetArray(gc), outer, size, inner, idxArray(idx), out.storage);
      return out;
    },
    vjp: (gg, [, indices], _, { axis }) => [gather(gg, indices!, axis), null],
  },
};

// exactly the tensor's elements: a view at offset 0 of a larger storage (the first rows of a
// batch) must not hand the kernels the rows after it (they read the length of the array)
function offsetArray(t: Tensor) {
  return t.offset === 0 && t.storage.length === t.size ? t.storage : t.storage.subarray(t.offset, t.offset + t.size);
}

function idxArray(t: Tensor): Int32Array {
  return offsetArray(t) as Int32Array;
}
