/** Op-table entries: tril, triu, cumsum, cumprod, topk, embedding. */
import * as nb from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, ints, lit, offset, rnd, stepped, transposed, type OpEntry } from '../op-info.js';
import { ravel, sizeOf, unravel, type Nd } from '../ref.js';

/** Keeps element `[..., r, c]` when `keep(c − r)`, else 0: element by element. */
function triRef(x: Nd, keep: (d: number) => boolean): Nd {
  const n = x.shape.length;
  const data = x.data.map((v, k) => {
    const idx = unravel(k, x.shape);
    return keep(idx[n - 1]! - idx[n - 2]!) ? v : 0;
  });
  return { shape: [...x.shape], data, dtype: x.dtype };
}

/** Sum over the positions `s` of the axis that the output position `r` covers: a double loop. */
function cumsumRef(x: Nd, axis: number, exclusive: boolean, reverse: boolean): Nd {
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const a = axis < 0 ? axis + shape.length : axis;
  const covers = (r: number, s: number) => (reverse ? (exclusive ? s > r : s >= r) : exclusive ? s < r : s <= r);
  const data: number[] = [];
  for (let k = 0; k < x.data.length; k++) {
    const idx = unravel(k, shape);
    let acc = 0;
    for (let s = 0; s < shape[a]!; s++) {
      if (!covers(idx[a]!, s)) continue;
      const src = idx.slice();
      src[a] = s;
      acc += x.data[ravel(src, shape)]!;
    }
    data.push(acc);
  }
  return { shape: [...x.shape], data, dtype: x.dtype === 'bool' ? 'int32' : x.dtype };
}

/**
 * Top k by repeated selection: k passes, each taking the best position not taken yet (strictly
 * better replaces, so the lowest index wins a tie; NaN beats every number).
 */
function topkRef(x: Nd, k: number, axis: number, largest: boolean, sorted: boolean): [Nd, Nd] {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const n = x.shape[a]!;
  const shape = x.shape.map((d, i) => (i === a ? k : d));
  const better = (u: number, v: number) =>
    largest ? (Number.isNaN(u) ? !Number.isNaN(v) : !Number.isNaN(v) && u > v) : !Number.isNaN(u) && (Number.isNaN(v) || u < v);
  const values: number[] = new Array(sizeOf(shape));
  const indices: number[] = new Array(sizeOf(shape));
  for (let k2 = 0; k2 < sizeOf(shape); k2++) {
    const out = unravel(k2, shape);
    if (out[a] !== 0) continue;
    const at = (j: number) => x.data[ravel(out.map((v, i) => (i === a ? j : v)), x.shape)]!;
    const taken: number[] = [];
    for (let p = 0; p < k; p++) {
      let best = -1;
      for (let j = 0; j < n; j++) if (!taken.includes(j) && (best < 0 || better(at(j), at(best)))) best = j;
      taken.push(best);
    }
    if (!sorted) taken.sort((i, j) => i - j);
    taken.forEach((j, p) => {
      const pos = ravel(out.map((v, i) => (i === a ? p : v)), shape);
      values[pos] = at(j);
      indices[pos] = j;
    });
  }
  return [{ shape, data: values, dtype: x.dtype }, { shape, data: indices, dtype: 'int32' }];
}

const tri = (name: 'tril' | 'triu', keep: (d: number, k: number) => boolean, hand: { expected: number[][]; k: number }) =>
  defineOp<{ k?: number }>({
    name,
    fn: ([x], { k }) => nb[name](x!, k),
    reference: ([x], { k = 0 }) => triRef(x!, (d) => keep(d, k)),
    grad: true,
    samples: [
      {
        label: 'hand-checked [3,3]', args: [lit([[1, 2, 3], [4, 5, 6], [7, 8, 9]])], params: { k: hand.k },
        expected: hand.expected, expectedGrad: [hand.expected.map((row) => row.map((v) => (v === 0 ? 0 : 1)))],
      },
      { label: 'batched [2,3,4], k = 0', args: [rnd([2, 3, 4])], params: {} },
      { label: 'wide [2,5], k = 2', args: [rnd([2, 5])], params: { k: 2 } },
      { label: 'tall [4,2], k = -1', args: [rnd([4, 2])], params: { k: -1 } },
      { label: 'k beyond the matrix keeps all or nothing', args: [rnd([2, 3])], params: { k: 5 } },
      { label: 'k far below the matrix', args: [rnd([2, 3])], params: { k: -5 } },
      { label: 'size-1 rows [1,3]', args: [rnd([1, 3])], params: {} },
      { label: 'empty [2,0,3]', args: [rnd([2, 0, 3])], params: {} },
      { label: 'transposed view', args: [transposed([3, 4])], params: { k: 1 } },
      { label: 'expanded over a batch', args: [expanded([2, 3, 3], [3, 3])], params: {} },
      { label: 'int32 values', args: [ints([[1, 2], [3, 4]])], params: {}, grad: false },
      { label: 'float64 at an offset', args: [offset([3, 3], { dtype: 'float64' })], params: { k: -1 } },
    ],
    errors: [
      { label: 'a 1-D input', call: () => nb[name](nb.zeros([3])), type: 'ValueError', message: new RegExp(`^${name}: x must have at least 2 dimensions \\(the last two form the matrices\\), got shape \\[3\\]`) },
      { label: 'a fractional k', call: () => nb[name](nb.zeros([2, 2]), 0.5), type: 'ValueError', message: new RegExp(`^${name}: k must be an integer \\(the diagonal offset\\), got 0.5`) },
    ],
    skip: { scalar: 'the op works on matrices: a scalar (and a 1-D input) is a bad-input case' },
  });

const tril = tri('tril', (d, k) => d <= k, { k: 0, expected: [[1, 0, 0], [4, 5, 0], [7, 8, 9]] });
const triu = tri('triu', (d, k) => d >= k, { k: 1, expected: [[0, 2, 3], [0, 0, 6], [0, 0, 0]] });

const cumsum = defineOp<{ axis: number; exclusive?: boolean; reverse?: boolean }>({
  name: 'cumsum',
  fn: ([x], { axis, ...opts }) => nb.cumsum(x!, axis, opts),
  reference: ([x], { axis, exclusive = false, reverse = false }) => cumsumRef(x!, axis, exclusive, reverse),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([1, 2, 3, 4])], params: { axis: 0 }, expected: [1, 3, 6, 10], expectedGrad: [[4, 3, 2, 1]] },
    { label: 'hand-checked exclusive', args: [lit([1, 2, 3, 4])], params: { axis: 0, exclusive: true }, expected: [0, 1, 3, 6], expectedGrad: [[3, 2, 1, 0]] },
    { label: 'hand-checked reverse', args: [lit([1, 2, 3, 4])], params: { axis: 0, reverse: true }, expected: [10, 9, 7, 4], expectedGrad: [[1, 2, 3, 4]] },
    { label: 'hand-checked reverse exclusive', args: [lit([[1, 2, 3], [4, 5, 6]])], params: { axis: 1, reverse: true, exclusive: true }, expected: [[5, 3, 0], [11, 6, 0]] },
    { label: 'middle axis of [2,3,2]', args: [rnd([2, 3, 2])], params: { axis: 1 } },
    { label: 'axis 0 of [3,2], exclusive', args: [rnd([3, 2])], params: { axis: 0, exclusive: true } },
    { label: 'axis -1, reverse', args: [rnd([2, 4])], params: { axis: -1, reverse: true } },
    { label: 'scalar', args: [lit(2.5)], params: { axis: 0 }, expected: 2.5 },
    { label: 'scalar exclusive', args: [lit(2.5)], params: { axis: -1, exclusive: true }, expected: 0 },
    { label: 'size-1 axis', args: [rnd([3, 1])], params: { axis: 1 } },
    { label: 'empty', args: [rnd([0, 3])], params: { axis: 1 } },
    { label: 'transposed view', args: [transposed([3, 4])], params: { axis: 0 } },
    { label: 'strided view, reverse', args: [stepped([2, 3])], params: { axis: 1, reverse: true } },
    { label: 'expanded view along the axis', args: [expanded([4, 2], [1, 2])], params: { axis: 0 } },
    { label: 'float64 at an offset', args: [offset([3, 2], { dtype: 'float64' })], params: { axis: 0 } },
    { label: 'int32', args: [ints([[1, -2, 3], [4, 5, -6]])], params: { axis: 1 }, expected: [[1, -1, 2], [4, 9, 3]] },
    { label: 'bool counts to int32', args: [lit([true, false, true, true])], params: { axis: 0 }, expected: [1, 1, 2, 3] },
  ],
  errors: [
    { label: 'axis out of range', call: () => nb.cumsum(nb.zeros([2, 3]), 2), type: 'ValueError', message: /^cumsum: axis 2 is out of range for a tensor of rank 2 \(valid: -2\.\.1\)/ },
    { label: 'not a tensor', call: () => nb.cumsum(bad<Tensor>([1, 2]), 0), type: 'DTypeError', message: /^cumsum: expected input to be a Tensor, got object/ },
  ],
});

/** Product over the positions up to each output position: a double loop. */
function cumprodRef(x: Nd, axis: number): Nd {
  const shape = x.shape.length === 0 ? [1] : x.shape;
  const a = axis < 0 ? axis + shape.length : axis;
  const data = x.data.map((_, k) => {
    const idx = unravel(k, shape);
    let acc = 1;
    for (let s = 0; s <= idx[a]!; s++) acc *= x.data[ravel(idx.map((v, i) => (i === a ? s : v)), shape)]!;
    return acc;
  });
  return { shape: [...x.shape], data, dtype: x.dtype === 'bool' ? 'int32' : x.dtype };
}

const cumprod = defineOp<{ axis: number }>({
  name: 'cumprod',
  fn: ([x], { axis }) => nb.cumprod(x!, axis),
  reference: ([x], { axis }) => cumprodRef(x!, axis),
  grad: true,
  samples: [
    // d(Σ cumprod)/dx for [2, 3, 4]: 1 + 3 + 12 = 16, 2 + 8 = 10, 6
    { label: 'hand-checked', args: [lit([2, 3, 4])], params: { axis: 0 }, expected: [2, 6, 24], expectedGrad: [[16, 10, 6]] },
    // with a zero at 1: dx0 = 1 (terms past the zero vanish), dx1 = 2 + 2·3 = 8, dx2 = 0
    { label: 'hand-checked with a zero', args: [lit([2, 0, 3])], params: { axis: 0 }, expected: [2, 0, 0], expectedGrad: [[1, 8, 0]] },
    // two zeros: only the first zero has a gradient, Σ over i ≥ 1 of the product without it
    { label: 'hand-checked with two zeros', args: [lit([3, 0, 2, 0])], params: { axis: 0 }, expected: [3, 0, 0, 0], expectedGrad: [[1, 9, 0, 0]] },
    { label: 'rows with zeros, float64', args: [lit([[1.5, 0, -2, 0.5], [0, 0.5, 2, -1], [0.5, 2, -1, 0]], 'float64')], params: { axis: 1 } },
    { label: 'axis 0 of [3,2]', args: [rnd([3, 2], { lo: 0.5, hi: 1.5 })], params: { axis: 0 } },
    { label: 'scalar', args: [lit(2.5)], params: { axis: 0 }, expected: 2.5 },
    { label: 'size-1 axis', args: [rnd([3, 1])], params: { axis: -1 } },
    { label: 'empty', args: [rnd([2, 0])], params: { axis: 1 } },
    { label: 'transposed view', args: [transposed([3, 4])], params: { axis: 1 } },
    { label: 'expanded view along the axis', args: [expanded([3, 2], [1, 2])], params: { axis: 0 } },
    { label: 'int32', args: [ints([[1, -2, 3], [4, 0, 6]])], params: { axis: 1 }, expected: [[1, -2, -6], [4, 0, 0]] },
  ],
  errors: [
    { label: 'axis out of range', call: () => nb.cumprod(nb.zeros([2]), -2), type: 'ValueError', message: /^cumprod: axis -2 is out of range for a tensor of rank 1 \(valid: -1\.\.0\)/ },
  ],
});

const topk = defineOp<{ k: number; axis?: number; largest?: boolean; sorted?: boolean; out?: 'indices' }>({
  name: 'topk',
  fn: ([x], { k, out, ...opts }) => {
    const r = nb.topk(x!, k, opts);
    return out === 'indices' ? r.indices : r.values;
  },
  reference: ([x], { k, axis = -1, largest = true, sorted = true, out }) => topkRef(x!, k, axis, largest, sorted)[out === 'indices' ? 1 : 0],
  grad: true,
  samples: [
    {
      label: 'hand-checked values, ties lower index first', args: [lit([[1, 5, 3, 5], [2, 0, 2, 9]])], params: { k: 2 },
      expected: [[5, 5], [9, 2]], expectedGrad: [[[0, 1, 0, 1], [1, 0, 0, 1]]],
      grad: false, // tied values: a finite difference would flip the pick

    },
    { label: 'hand-checked indices, ties lower index first', args: [lit([[1, 5, 3, 5], [2, 0, 2, 9]])], params: { k: 2, out: 'indices' }, expected: [[1, 3], [3, 0]], grad: false },
    { label: 'hand-checked smallest, NaN never picked', args: [lit([3, NaN, -1, 3])], params: { k: 3, largest: false, out: 'indices' }, expected: [2, 0, 3], grad: false },
    { label: 'hand-checked: NaN is the largest', args: [lit([3, NaN, -1])], params: { k: 2, out: 'indices' }, expected: [1, 0], grad: false },
    { label: 'hand-checked unsorted keeps index order', args: [lit([4, 9, 1, 7])], params: { k: 3, sorted: false }, expected: [4, 9, 7] },
    { label: 'axis 0 of [4,3]', args: [rnd([4, 3])], params: { k: 2, axis: 0 } },
    { label: 'axis 0 indices', args: [rnd([4, 3])], params: { k: 2, axis: 0, out: 'indices' }, grad: false },
    { label: 'middle axis, smallest, unsorted', args: [rnd([2, 5, 2])], params: { k: 3, axis: 1, largest: false, sorted: false } },
    { label: 'k = n sorts the row', args: [rnd([2, 4])], params: { k: 4 } },
    { label: 'k = 0', args: [rnd([2, 4])], params: { k: 0 } },
    { label: 'size-1 axis', args: [rnd([3, 1])], params: { k: 1 } },
    { label: 'empty rows', args: [rnd([0, 3])], params: { k: 2 } },
    { label: 'empty axis, k = 0', args: [rnd([2, 0])], params: { k: 0, out: 'indices' }, grad: false },
    { label: 'transposed view', args: [transposed([3, 4])], params: { k: 2 } },
    { label: 'expanded view (equal rows)', args: [expanded([3, 4], [4])], params: { k: 2 } },
    { label: 'float64 at an offset, indices', args: [offset([2, 5], { dtype: 'float64' })], params: { k: 3, out: 'indices' }, grad: false },
    { label: 'int32 values', args: [ints([3, 1, 3, 2])], params: { k: 2 }, expected: [3, 3] },
  ],
  errors: [
    { label: 'k larger than the axis', call: () => nb.topk(nb.zeros([2, 3]), 4), type: 'ValueError', message: /^topk: k must be an integer in \[0, 3\] \(the size of axis 1 of x \[2,3\]\), got 4/ },
    { label: 'a scalar input', call: () => nb.topk(nb.tensor(1), 1), type: 'ValueError', message: /^topk: x is a scalar; it needs at least one axis to pick along/ },
    { label: 'axis out of range', call: () => nb.topk(nb.zeros([3]), 1, { axis: 1 }), type: 'ValueError', message: /^topk: axis 1 is out of range for a tensor of rank 1/ },
  ],
  skip: { scalar: 'a scalar has no axis to pick along: a bad-input case' },
});

const embedding = defineOp({
  name: 'embedding',
  fn: ([ids, table]) => nb.embedding(ids!, table!),
  reference: ([ids, table]) => {
    const dim = table!.shape[1]!;
    const data = ids!.data.flatMap((id) => table!.data.slice(id * dim, (id + 1) * dim));
    return { shape: [...ids!.shape, dim], data, dtype: table!.dtype };
  },
  grad: true,
  samples: [
    {
      label: 'hand-checked, repeated ids add their gradients', args: [ints([[2, 0], [2, 2]]), lit([[1, 2], [3, 4], [5, 6]])],
      expected: [[[5, 6], [1, 2]], [[5, 6], [5, 6]]], expectedGrad: [null, [[1, 1], [0, 0], [3, 3]]],
    },
    { label: 'scalar id', args: [ints(1), rnd([3, 2])] },
    { label: 'size-1 dims', args: [ints([[0]]), rnd([1, 4])] },
    { label: 'empty ids', args: [ints([]), rnd([3, 2])] },
    { label: 'transposed table, strided ids', args: [{ base: ints([3, 9, 0, 9, 1]).base, view: (t: Tensor) => t.slice('::2') }, transposed([4, 3])] },
    { label: 'expanded table', args: [ints([1, 0, 2]), expanded([3, 2], [2])] },
    { label: 'float64 table at an offset', args: [ints([[1, 1, 0]]), offset([2, 3], { dtype: 'float64' })] },
  ],
  errors: [
    { label: 'id outside the vocabulary', call: () => nb.embedding(nb.tensor([1, 70], { dtype: 'int32' }), nb.zeros([65, 2])), type: 'ValueError', message: /^embedding: token id 70 is outside the vocabulary \[0, 65\)$/ },
    { label: 'negative id', call: () => nb.embedding(nb.tensor([-1], { dtype: 'int32' }), nb.zeros([5, 2])), type: 'ValueError', message: /^embedding: token id -1 is outside the vocabulary \[0, 5\)$/ },
    { label: 'float ids', call: () => nb.embedding(nb.tensor([1]), nb.zeros([5, 2])), type: 'DTypeError', message: /^embedding: token ids must be an int32 tensor, got float32; cast them with ids.cast\('int32'\)/ },
    { label: 'a 1-D table', call: () => nb.embedding(nb.tensor([1], { dtype: 'int32' }), nb.zeros([5])), type: 'ValueError', message: /^embedding: table must be 2-D \[vocab, dim\], got shape \[5\]/ },
  ],
});

export const sequenceEntries: OpEntry[] = [tril, triu, cumsum, cumprod, topk, embedding];
