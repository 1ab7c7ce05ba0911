import { backend } from '../../backend/index.js';
import { sizeOf } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { sumTo } from '../broadcast.js';
import { permute, reshape, sliceAdjoint, stridedSlice } from '../movement.js';
import { contiguousCopy, empty, uninitialized } from './alloc.js';
import type { PrimTable, SliceParams } from './types.js';

/** The view of `t` that a slice reads (shares storage). */
function sliceView(t: Tensor, { begin, end, step }: SliceParams): Tensor {
  let offset = t.offset;
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < t.ndim; i++) {
    const b = begin[i]!;
    const s = step[i]!;
    const len = s > 0 ? Math.max(0, Math.ceil((end[i]! - b) / s)) : Math.max(0, Math.ceil((b - end[i]!) / -s));
    if (len > 0) offset += b * t.strides[i]!;
    shape.push(len);
    strides.push(t.strides[i]! * s);
  }
  return new Tensor(t.storage, shape, strides, offset);
}

export const movementPrims: PrimTable<'reshape' | 'permute' | 'expand' | 'slice' | 'sliceAdjoint' | 'pad' | 'concat'> = {
  reshape: {
    // a view when the input is contiguous, otherwise one copy
    forward: ([x], { shape }) => {
      const c = contiguousCopy(x!);
      return new Tensor(c.storage, shape, undefined, c.offset);
    },
    vjp: (g, [x]) => [reshape(g, x!.shape.slice())],
  },
  permute: {
    forward: ([x], { perm }) => new Tensor(x!.storage, perm.map((p) => x!.shape[p]!), perm.map((p) => x!.strides[p]!), x!.offset),
    // the inverse permutation puts the gradient's axes back
    vjp: (g, _, __, { perm }) => {
      const inv = new Array<number>(perm.length);
      perm.forEach((p, i) => (inv[p] = i));
      return [permute(g, inv)];
    },
  },
  expand: {
    // stride 0 along broadcast dims: no copy
    forward: ([x], { shape }) => {
      const lead = shape.length - x!.ndim;
      const strides = shape.map((_, i) => (i < lead || x!.shape[i - lead] === 1 ? 0 : x!.strides[i - lead]!));
      return new Tensor(x!.storage, shape, strides, x!.offset);
    },
    // every copy of an element adds its gradient
    vjp: (g, [x]) => [sumTo(g, x!.shape)],
  },
  slice: {
    forward: ([x], p) => sliceView(x!, p),
    vjp: (g, [x], _, p) => [sliceAdjoint(g, p, x!.shape.slice())],
  },
  sliceAdjoint: {
    forward: ([g], p) => {
      const out = empty(g!.dtype, p.shape);
      backend().copy(g!.strided(), sliceView(out, p).strided());
      return out;
    },
    vjp: (gg, _, __, { begin, end, step }) => [stridedSlice(gg, { begin, end, step })],
  },
  pad: {
    forward: ([x], { pads, value }) => {
      const shape = x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
      const out = empty(x!.dtype, shape);
      if (value !== 0) out.storage.fill(value);
      const interior = sliceView(out, {
        begin: pads.map((p) => p[0]),
        end: x!.shape.map((d, i) => pads[i]![0] + d),
        step: pads.map(() => 1),
      });
      backend().copy(x!.strided(), interior.strided());
      return out;
    },
    // the gradient of the padding is dropped: slice the interior back out
    vjp: (g, [x], _, { pads }) => [
      stridedSlice(g, { begin: pads.map((p) => p[0]), end: x!.shape.map((d, i) => pads[i]![0] + d), step: pads.map(() => 1) }),
    ],
  },
  concat: {
    forward: (xs, { axis }) => {
      const first = xs[0]!;
      const shape = first.shape.slice();
      shape[axis] = xs.reduce((s, t) => s + t.shape[axis]!, 0);
      // the parts cover it: no zero fill
      const out = uninitialized(first.dtype, shape);
      let at = 0;
      for (const t of xs) {
        const n = t.shape[axis]!;
        const begin = shape.map((_, i) => (i === axis ? at : 0));
        const end = shape.map((d, i) => (i === axis ? at + n : d));
        if (sizeOf(t.shape) > 0) backend().copy(t.strided(), sliceView(out, { begin, end, step: shape.map(() => 1) }).strided());
        at += n;
      }
      return out;
    },
    // each input gets its own slab of the gradient
    vjp: (g, xs, _, { axis }) => {
      let at = 0;
      return xs.map((t) => {
        const n = t.shape[axis]!;
        const begin = g.shape.map((_, i) => (i === axis ? at : 0));
        const end = g.shape.map((d, i) => (i === axis ? at + n : d));
        at += n;
        return stridedSlice(g, { begin, end, step: g.shape.map(() => 1) });
      });
    },
  },
};
