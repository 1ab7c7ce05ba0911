/** Op-table entries: concat, stack, split, pad. */
import * as nb from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, ints, lit, offset, rnd, stepped, transposed, type OpEntry } from '../op-info.js';
import { pySlice, ravel, sizeOf, take, unravel, type Nd } from '../ref.js';

const RANK = { bool: 0, int32: 1, float32: 2, float64: 3 } as const;

function concatRef(xs: Nd[], axis: number): Nd {
  const n = xs[0]!.shape.length;
  const a = axis < 0 ? axis + n : axis;
  const shape = [...xs[0]!.shape];
  shape[a] = xs.reduce((s, x) => s + x.shape[a]!, 0);
  const data: number[] = [];
  for (let k = 0; k < sizeOf(shape); k++) {
    const idx = unravel(k, shape);
    let j = idx[a]!;
    let part = 0;
    while (j >= xs[part]!.shape[a]!) j -= xs[part++]!.shape[a]!;
    const src = xs[part]!;
    data.push(src.data[ravel(idx.map((v, i) => (i === a ? j : v)), src.shape)]!);
  }
  const dtype = xs.map((x) => x.dtype!).reduce((p, q) => (RANK[p] >= RANK[q] ? p : q));
  return { shape, data, dtype };
}

const unsqueezeRef = (x: Nd, axis: number): Nd => {
  const shape = [...x.shape];
  shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, 1);
  return { ...x, shape };
};

const concat = defineOp<{ axis?: number }>({
  name: 'concat',
  fn: (xs, { axis }) => nb.concat(xs, axis),
  reference: (xs, { axis = 0 }) => concatRef(xs, axis),
  grad: true,
  samples: [
    { label: 'hand-checked, axis 1', args: [lit([[1, 2], [3, 4]]), lit([[5], [6]])], params: { axis: 1 }, expected: [[1, 2, 5], [3, 4, 6]], expectedGrad: [[[1, 1], [1, 1]], [[1], [1]]] },
    { label: 'axis 0, three inputs, one empty', args: [rnd([2, 3], { seed: 1 }), rnd([0, 3]), rnd([1, 3], { seed: 2 })], params: {} },
    { label: 'axis -1 of 3-D', args: [rnd([2, 1, 2], { seed: 1 }), rnd([2, 1, 3], { seed: 2 })], params: { axis: -1 } },
    { label: 'one input is itself', args: [rnd([2, 2])], params: { axis: 1 } },
    { label: 'non-contiguous inputs', args: [transposed([2, 3], { seed: 1 }), stepped([2, 3], { seed: 2 }), expanded([2, 3], [3], { seed: 3 })], params: { axis: 0 } },
    { label: 'int32 and float32 promote', args: [ints([1, 2]), rnd([2])], params: {} },
    { label: 'float64 at an offset', args: [offset([1, 2], { dtype: 'float64' }), rnd([1, 2], { dtype: 'float64' })], params: { axis: 1 } },
  ],
  errors: [
    { label: 'other dims differ', call: () => nb.concat([nb.zeros([2, 3]), nb.zeros([2, 4])]), type: 'ShapeError', message: /^concat: shapes \[2,3\] and \[2,4\] must match on every axis but 0/ },
    { label: 'empty list', call: () => nb.concat([]), type: 'ValueError', message: /^concat: expected a non-empty array of tensors/ },
    { label: 'scalars', call: () => nb.concat([nb.tensor(1), nb.tensor(2)]), type: 'ShapeError', message: /^concat: scalars have no axis to join along; use stack\(\) to make a 1-D tensor of them/ },
    { label: 'a non-tensor element', call: () => nb.concat([nb.zeros([1]), bad<Tensor>([1])]), type: 'DTypeError', message: /^concat: expected tensors\[1\] to be a Tensor/ },
  ],
  skip: { scalar: 'scalars cannot be concatenated (stack them): that is a bad-input case' },
});

const stack = defineOp<{ axis?: number }>({
  name: 'stack',
  fn: (xs, { axis }) => nb.stack(xs, axis),
  reference: (xs, { axis = 0 }) => concatRef(xs.map((x) => unsqueezeRef(x, axis)), axis),
  grad: true,
  samples: [
    { label: 'hand-checked, axis 0', args: [lit([1, 2]), lit([3, 4])], params: {}, expected: [[1, 2], [3, 4]] },
    { label: 'hand-checked, axis -1', args: [lit([1, 2]), lit([3, 4])], params: { axis: -1 }, expected: [[1, 3], [2, 4]] },
    { label: 'scalars', args: [rnd([], { seed: 1 }), rnd([], { seed: 2 }), rnd([], { seed: 3 })], params: {} },
    { label: 'size-1 dims, middle axis', args: [rnd([1, 2], { seed: 1 }), rnd([1, 2], { seed: 2 })], params: { axis: 1 } },
    { label: 'empty', args: [rnd([0, 2]), rnd([0, 2])], params: { axis: 2 } },
    { label: 'non-contiguous inputs', args: [transposed([2, 3], { seed: 1 }), stepped([2, 3], { seed: 2 }), expanded([2, 3], [1, 3])], params: { axis: 1 } },
  ],
  errors: [
    { label: 'shapes differ', call: () => nb.stack([nb.zeros([2]), nb.zeros([3])]), type: 'ShapeError', message: /^stack: all tensors must have the same shape, got \[2\] and \[3\]/ },
    { label: 'axis out of range', call: () => nb.stack([nb.zeros([2])], 3), type: 'ValueError', message: /^stack: axis 3 is out of range for a tensor of rank 2/ },
    { label: 'empty list', call: () => nb.stack([]), type: 'ValueError', message: /^stack: expected a non-empty array of tensors/ },
  ],
});

const split = defineOp<{ split: number | number[]; axis?: number }>({
  name: 'split',
  fn: ([x], { split: s, axis }) => nb.split(x!, s, axis),
  reference: ([x], { split: s, axis = 0 }) => {
    const a = axis < 0 ? axis + x!.shape.length : axis;
    const len = x!.shape[a]!;
    const sizes = typeof s === 'number' ? new Array<number>(s).fill(len / s) : s;
    let at = 0;
    return sizes.map((n) => {
      const lists = x!.shape.map((d, i) => (i === a ? pySlice(d, at, at + n, 1) : pySlice(d, null, null, null)));
      at += n;
      return take(x!, lists);
    });
  },
  grad: true,
  samples: [
    { label: 'hand-checked, sizes', args: [lit([1, 2, 3, 4, 5, 6])], params: { split: [1, 5] }, expected: [[1], [2, 3, 4, 5, 6]] },
    { label: 'hand-checked, sections along axis 1', args: [lit([[1, 2, 3, 4], [5, 6, 7, 8]])], params: { split: 2, axis: 1 }, expected: [[[1, 2], [5, 6]], [[3, 4], [7, 8]]] },
    { label: 'with an empty part', args: [rnd([3, 2])], params: { split: [0, 3], axis: 0 } },
    { label: 'empty input', args: [rnd([0, 2])], params: { split: 2, axis: 1 } },
    { label: 'size-1 dims', args: [rnd([1, 3])], params: { split: 3, axis: -1 } },
    { label: 'transposed view', args: [transposed([4, 3])], params: { split: [1, 3] } },
    { label: 'expanded view', args: [expanded([2, 4], [4])], params: { split: 2, axis: 1 } },
  ],
  errors: [
    { label: 'unequal sections', call: () => nb.split(nb.zeros([5]), 2), type: 'ValueError', message: /^split: axis 0 of size 5 cannot be split into 2 equal sections/ },
    { label: 'sizes that do not add up', call: () => nb.split(nb.zeros([2, 5]), [2, 2], 1), type: 'ValueError', message: /^split: sizes \[2,2\] must be non-negative integers adding up to 5 \(axis 1 of \[2,5\]\)/ },
    { label: 'a scalar has no axis', call: () => nb.split(nb.tensor(1), 1), type: 'ValueError', message: /^split: a scalar cannot be split; it has no axis/ },
  ],
  skip: { scalar: 'a scalar has no axis to split: that is a bad-input case' },
});

const pad = defineOp<{ pads: [number, number][]; value?: number }>({
  name: 'pad',
  fn: ([x], { pads, value }) => nb.pad(x!, pads, value),
  reference: ([x], { pads, value = 0 }) => {
    const shape = x!.shape.map((d, i) => d + pads[i]![0] + pads[i]![1]);
    const data: number[] = [];
    for (let k = 0; k < sizeOf(shape); k++) {
      const idx = unravel(k, shape).map((v, i) => v - pads[i]![0]);
      const inside = idx.every((v, i) => v >= 0 && v < x!.shape[i]!);
      data.push(inside ? x!.data[ravel(idx, x!.shape)]! : value);
    }
    return { shape, data, dtype: x!.dtype };
  },
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([[1, 2], [3, 4]])], params: { pads: [[1, 0], [0, 2]] }, expected: [[0, 0, 0, 0], [1, 2, 0, 0], [3, 4, 0, 0]], expectedGrad: [[[1, 1], [1, 1]]] },
    { label: 'constant value', args: [rnd([2])], params: { pads: [[2, 1]], value: -1.5 } },
    { label: 'scalar (nothing to pad)', args: [rnd([])], params: { pads: [] } },
    { label: 'size-1 dims', args: [rnd([1, 1])], params: { pads: [[1, 1], [0, 0]] } },
    { label: 'empty input', args: [rnd([0, 2])], params: { pads: [[1, 1], [1, 0]], value: 3 } },
    { label: 'transposed view', args: [transposed([3, 2])], params: { pads: [[0, 1], [2, 0]] } },
    { label: 'expanded view', args: [expanded([2, 3], [3])], params: { pads: [[1, 1], [1, 1]] } },
    { label: 'int32', args: [ints([1, 2])], params: { pads: [[1, 1]], value: 7 }, expected: [7, 1, 2, 7] },
  ],
  errors: [
    { label: 'one pair per dim', call: () => nb.pad(nb.zeros([2, 2]), [[1, 1]]), type: 'ShapeError', message: /^pad: expected one \[before, after\] pair per dim \(2 for shape \[2,2\]\), got 1/ },
    { label: 'negative padding', call: () => nb.pad(nb.zeros([2]), [[-1, 0]]), type: 'ValueError', message: /^pad: each entry must be \[before, after\] with non-negative integers, got \[-1,0\]/ },
  ],
});

export const joiningEntries: OpEntry[] = [concat, stack, split, pad];
