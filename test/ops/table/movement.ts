/** Op-table entries: movement ops (reshape, view, flatten, squeeze, unsqueeze, permute, transpose, expand, contiguous, clone, slice). */
import assert from 'node:assert/strict';
import * as nb from '../../../src/index.js';
import type { SliceEntry, Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, lit, offset, rnd, stepped, transposed, type OpEntry } from '../op-info.js';
import { permuteNd, pySlice, sizeOf, take, zip, type Nd } from '../ref.js';

/** Same elements in the same row-major order, another shape. */
const withShape = (x: Nd, shape: number[]): Nd => ({ shape, data: x.data.slice(), dtype: x.dtype });

/** `shape` with a −1 filled in from the element count. */
function infer(x: Nd, shape: readonly number[]): number[] {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  return shape.map((d) => (d === -1 ? x.data.length / known : d));
}

const broadcastTo = (x: Nd, shape: number[]): Nd => zip([x, { shape, data: new Array<number>(sizeOf(shape)).fill(0) }], (v) => v, x.dtype);

const notTensor = (op: string, call: () => unknown) => ({
  label: 'not a tensor', call, type: 'DTypeError' as const, message: new RegExp(`^${op}: expected input to be a Tensor`),
});

const reshape = defineOp<{ shape: number[] }>({
  name: 'reshape',
  fn: ([x], { shape }) => nb.reshape(x!, shape),
  reference: ([x], { shape }) => withShape(x!, infer(x!, shape)),
  grad: true,
  samples: [
    { label: 'hand-checked, -1 inferred', args: [lit([[1, 2, 3], [4, 5, 6]])], params: { shape: [3, -1] }, expected: [[1, 2], [3, 4], [5, 6]] },
    { label: 'flatten with [-1]', args: [rnd([2, 3])], params: { shape: [-1] } },
    { label: 'scalar to [1,1]', args: [rnd([])], params: { shape: [1, 1] } },
    { label: '[1] to scalar', args: [rnd([1])], params: { shape: [] } },
    { label: 'empty [0,3] to [3,-1]', args: [rnd([0, 3])], params: { shape: [3, -1] } },
    { label: 'transposed view (copies)', args: [transposed([3, 2])], params: { shape: [6] } },
    { label: 'strided view (copies)', args: [stepped([2, 3])], params: { shape: [3, 2] } },
    { label: 'expanded view', args: [expanded([2, 3], [3])], params: { shape: [-1] } },
    { label: 'view at an offset', args: [offset([2, 2], { dtype: 'float64' })], params: { shape: [4, 1] } },
  ],
  errors: [
    { label: 'wrong size', call: () => nb.reshape(nb.zeros([2, 3]), [4]), type: 'ShapeError', message: /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[4\] \(4 elements\)/ },
    { label: 'two -1', call: () => nb.reshape(nb.zeros([2, 3]), [-1, -1]), type: 'ShapeError', message: /^reshape: only one dimension can be -1, got \[-1,-1\]/ },
    { label: '-1 that does not divide', call: () => nb.reshape(nb.zeros([2, 3]), [4, -1]), type: 'ShapeError', message: /^reshape: cannot reshape \[2,3\] \(6 elements\) into \[4,-1\]: 6 is not divisible by 4/ },
    notTensor('reshape', () => nb.reshape(bad<Tensor>([1]), [1])),
  ],
});

const view = defineOp<{ shape: number[] }>({
  name: 'view',
  fn: ([x], { shape }) => {
    const y = nb.view(x!, shape);
    assert.equal(y.storage, x!.storage, 'view must share storage');
    return y;
  },
  reference: ([x], { shape }) => withShape(x!, infer(x!, shape)),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([1, 2, 3, 4])], params: { shape: [2, -1] }, expected: [[1, 2], [3, 4]] },
    { label: 'scalar', args: [rnd([])], params: { shape: [1] } },
    { label: 'size-1 dims', args: [rnd([1, 3, 1])], params: { shape: [3] } },
    { label: 'empty', args: [rnd([2, 0])], params: { shape: [0, 5] } },
    { label: 'view at an offset', args: [offset([2, 3])], params: { shape: [6] } },
    { label: 'expanded along a size-1 dim only', args: [expanded([1, 3], [3])], params: { shape: [3] } },
  ],
  errors: [
    {
      label: 'non-contiguous input',
      call: () => nb.view(nb.zeros([2, 3]).transpose(), [6]),
      type: 'ShapeError',
      message: /^view: the tensor of shape \[3,2\] is not contiguous, so it cannot be viewed as \[6\] without a copy; use reshape\(\) or call contiguous\(\) first/,
    },
    notTensor('view', () => nb.view(bad<Tensor>(1), [1])),
  ],
  skip: {
    nonContiguous: 'view never copies: a non-contiguous input is the bad-input case',
    broadcast: 'a stride-0 view is not contiguous: that is the bad-input case',
  },
});

const flatten = defineOp<{ start?: number; end?: number }>({
  name: 'flatten',
  fn: ([x], { start, end }) => nb.flatten(x!, start, end),
  reference: ([x], { start = 0, end = -1 }) => {
    const n = x!.shape.length;
    if (n === 0) return withShape(x!, [1]);
    const s = start < 0 ? start + n : start;
    const e = end < 0 ? end + n : end;
    return withShape(x!, [...x!.shape.slice(0, s), sizeOf(x!.shape.slice(s, e + 1)), ...x!.shape.slice(e + 1)]);
  },
  grad: true,
  samples: [
    { label: 'hand-checked, all', args: [lit([[1, 2], [3, 4]])], params: {}, expected: [1, 2, 3, 4] },
    { label: 'from axis 1', args: [rnd([2, 3, 2])], params: { start: 1 } },
    { label: 'axes 0..1', args: [rnd([2, 3, 2])], params: { start: 0, end: 1 } },
    { label: 'scalar gives [1]', args: [rnd([])], params: {}, expected: [rnd([]).base.item()] },
    { label: 'size-1 dims', args: [rnd([1, 2, 1])], params: { start: -2 } },
    { label: 'empty', args: [rnd([2, 0, 3])], params: { start: 1 } },
    { label: 'transposed view', args: [transposed([2, 3, 2])], params: {} },
    { label: 'expanded view', args: [expanded([2, 3], [1, 3])], params: {} },
  ],
  errors: [
    { label: 'start after end', call: () => nb.flatten(nb.zeros([2, 3, 4]), 2, 1), type: 'ValueError', message: /^flatten: startAxis \(2\) must not come after endAxis \(1\)/ },
    { label: 'axis out of range', call: () => nb.flatten(nb.zeros([2, 3]), 3), type: 'ValueError', message: /^flatten: axis 3 is out of range for a tensor of rank 2/ },
  ],
});

const squeeze = defineOp<{ axis?: number }>({
  name: 'squeeze',
  fn: ([x], { axis }) => nb.squeeze(x!, axis),
  reference: ([x], { axis }) => {
    const n = x!.shape.length;
    const a = axis === undefined ? undefined : axis < 0 ? axis + n : axis;
    return withShape(x!, x!.shape.filter((d, i) => (a === undefined ? d !== 1 : i !== a)));
  },
  grad: true,
  samples: [
    { label: 'hand-checked, all size-1 dims', args: [lit([[[1], [2]]])], params: {}, expected: [1, 2] },
    { label: 'one axis', args: [rnd([1, 3, 1])], params: { axis: -1 } },
    { label: 'scalar stays a scalar', args: [rnd([])], params: {} },
    { label: 'scalar, axis 0', args: [rnd([])], params: { axis: 0 } },
    { label: 'empty', args: [rnd([0, 1])], params: { axis: 1 } },
    { label: 'transposed view', args: [transposed([3, 1, 2])], params: {} },
    { label: 'expanded view', args: [expanded([1, 2, 3], [1, 1, 3])], params: { axis: 0 } },
  ],
  errors: [
    { label: 'axis not of size 1', call: () => nb.squeeze(nb.zeros([2, 3]), 1), type: 'ShapeError', message: /^squeeze: axis 1 of shape \[2,3\] has size 3, not 1/ },
    { label: 'axis out of range', call: () => nb.squeeze(nb.zeros([1]), 2), type: 'ValueError', message: /^squeeze: axis 2 is out of range for a tensor of rank 1/ },
  ],
});

const unsqueeze = defineOp<{ axis: number }>({
  name: 'unsqueeze',
  fn: ([x], { axis }) => nb.unsqueeze(x!, axis),
  reference: ([x], { axis }) => {
    const shape = [...x!.shape];
    shape.splice(axis < 0 ? axis + shape.length + 1 : axis, 0, 1);
    return withShape(x!, shape);
  },
  grad: true,
  samples: [
    { label: 'hand-checked, axis 1', args: [lit([1, 2, 3])], params: { axis: 1 }, expected: [[1], [2], [3]] },
    { label: '-1 appends', args: [rnd([2, 3])], params: { axis: -1 } },
    { label: 'scalar', args: [rnd([])], params: { axis: 0 } },
    { label: 'size-1 dims', args: [rnd([1, 2])], params: { axis: 1 } },
    { label: 'empty', args: [rnd([0])], params: { axis: 0 } },
    { label: 'transposed view', args: [transposed([2, 3])], params: { axis: 1 } },
    { label: 'expanded view', args: [expanded([2, 3], [3])], params: { axis: 0 } },
  ],
  errors: [{ label: 'axis out of range', call: () => nb.unsqueeze(nb.zeros([2]), 3), type: 'ValueError', message: /^unsqueeze: axis 3 is out of range for a tensor of rank 2 \(valid: -2\.\.1\)/ }],
});

const permute = defineOp<{ perm: number[] }>({
  name: 'permute',
  fn: ([x], { perm }) => nb.permute(x!, perm),
  reference: ([x], { perm }) => permuteNd(x!, perm.map((p) => (p < 0 ? p + perm.length : p))),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])], params: { perm: [2, 0, 1] }, expected: [[[1, 3], [5, 7]], [[2, 4], [6, 8]]] },
    { label: 'negative axes', args: [rnd([2, 3])], params: { perm: [-1, 0] } },
    { label: 'identity', args: [rnd([2, 3])], params: { perm: [0, 1] } },
    { label: 'scalar', args: [rnd([])], params: { perm: [] } },
    { label: 'size-1 and empty dims', args: [rnd([1, 0, 2])], params: { perm: [2, 1, 0] } },
    { label: 'of a transposed view', args: [transposed([2, 3, 2])], params: { perm: [1, 2, 0] } },
    { label: 'of an expanded view', args: [expanded([2, 3], [3])], params: { perm: [1, 0] } },
    { label: 'size-1 dims', args: [rnd([1, 3, 1], { dtype: 'float64' })], params: { perm: [2, 0, 1] } },
  ],
  errors: [
    { label: 'not a permutation', call: () => nb.permute(nb.zeros([2, 3]), [0, 0]), type: 'ValueError', message: /^permute: \[0,0\] is not a permutation of the 2 axes of \[2,3\]/ },
    { label: 'too few axes', call: () => nb.permute(nb.zeros([2, 3, 4]), [1, 0]), type: 'ValueError', message: /^permute: \[1,0\] is not a permutation of the 3 axes of \[2,3,4\]/ },
  ],
});

const transpose = defineOp<{ perm?: number[] }>({
  name: 'transpose',
  fn: ([x], { perm }) => nb.transpose(x!, perm),
  reference: ([x], { perm }) => permuteNd(x!, perm ?? x!.shape.map((_, i) => x!.shape.length - 1 - i)),
  grad: true,
  samples: [
    { label: 'hand-checked, no perm reverses the axes', args: [lit([[1, 2, 3], [4, 5, 6]])], params: {}, expected: [[1, 4], [2, 5], [3, 6]] },
    { label: '3-D, no perm', args: [rnd([2, 3, 2])], params: {} },
    { label: 'with perm', args: [rnd([2, 3, 2])], params: { perm: [0, 2, 1] } },
    { label: 'scalar', args: [rnd([])], params: {} },
    { label: '1-D is itself', args: [rnd([3])], params: {} },
    { label: 'size-1 and empty dims', args: [rnd([1, 0])], params: {} },
    { label: 'of a transposed view gives back the base', args: [transposed([3, 2])], params: {} },
    { label: 'of an expanded view', args: [expanded([2, 3], [2, 1])], params: {} },
  ],
  errors: [
    { label: 'axis out of range', call: () => nb.transpose(nb.zeros([2, 3]), [1, 2]), type: 'ValueError', message: /^transpose: axis 2 is out of range for a tensor of rank 2/ },
    { label: 'not a permutation', call: () => nb.transpose(nb.zeros([2, 3]), [1, 1]), type: 'ValueError', message: /^transpose: \[1,1\] is not a permutation of the 2 axes of \[2,3\]/ },
  ],
});

const expand = defineOp<{ shape: number[] }>({
  name: 'expand',
  fn: ([x], { shape }) => nb.expand(x!, shape),
  reference: ([x], { shape }) => broadcastTo(x!, shape.map((d, i) => (d === -1 ? x!.shape[i - (shape.length - x!.shape.length)]! : d))),
  grad: true,
  samples: [
    { label: 'hand-checked [3,1] → [3,4]', args: [lit([[1], [2], [3]])], params: { shape: [3, 4] }, expected: [[1, 1, 1, 1], [2, 2, 2, 2], [3, 3, 3, 3]], expectedGrad: [[[4], [4], [4]]] },
    { label: 'new leading dims', args: [rnd([3])], params: { shape: [2, 2, 3] } },
    { label: '-1 keeps a dim', args: [rnd([3, 1])], params: { shape: [-1, 2] } },
    { label: 'scalar', args: [rnd([])], params: { shape: [2, 2] } },
    { label: 'to an empty dim', args: [rnd([1, 2])], params: { shape: [0, 2] } },
    { label: 'empty input', args: [rnd([0, 1])], params: { shape: [0, 3] } },
    { label: 'strided view', args: [stepped([2, 1])], params: { shape: [2, 3] } },
    { label: 'transposed view, new leading dim', args: [transposed([2, 3])], params: { shape: [4, 2, 3] } },
    { label: 'of an expanded view', args: [expanded([2, 3], [1, 3])], params: { shape: [4, 2, 3] } },
  ],
  errors: [
    { label: 'non-1 dim', call: () => nb.expand(nb.zeros([3, 2]), [3, 4]), type: 'ShapeError', message: /^expand: cannot expand \[3,2\] to \[3,4\]: dim 1 has size 2; only size-1 dims can be expanded/ },
    { label: 'fewer dims', call: () => nb.expand(nb.zeros([2, 3]), [3]), type: 'ShapeError', message: /^expand: cannot expand \[2,3\] to fewer dims \[3\]/ },
  ],
});

const contiguous = defineOp({
  name: 'contiguous',
  fn: ([x]) => {
    const y = nb.contiguous(x!);
    assert.ok(y.isContiguous, 'contiguous() must give a contiguous tensor');
    if (x!.isContiguous) assert.equal(y, x, 'contiguous() of a contiguous tensor is the tensor itself');
    return y;
  },
  reference: ([x]) => x!,
  grad: true,
  samples: [
    { label: 'hand-checked, of a transpose', args: [{ base: lit([[1, 2], [3, 4]]).base, view: (t: Tensor) => t.transpose() }], expected: [[1, 3], [2, 4]] },
    { label: 'scalar', args: [rnd([])] },
    { label: 'size-1 dims', args: [rnd([1, 3])] },
    { label: 'empty', args: [rnd([0, 3])] },
    { label: 'strided view', args: [stepped([2, 3])] },
    { label: 'expanded view', args: [expanded([2, 3], [3])] },
    { label: 'view at an offset', args: [offset([2, 3])] },
  ],
  errors: [notTensor('contiguous', () => nb.contiguous(bad<Tensor>([1])))],
});

const clone = defineOp({
  name: 'clone',
  fn: ([x]) => {
    const y = nb.clone(x!);
    assert.notEqual(y.storage, x!.storage, 'clone() must own its storage');
    assert.ok(y.isContiguous, 'clone() gives a contiguous tensor');
    return y;
  },
  reference: ([x]) => x!,
  grad: true,
  samples: [
    { label: 'hand-checked, of a transpose', args: [{ base: lit([[1, 2], [3, 4]]).base, view: (t: Tensor) => t.transpose() }], expected: [[1, 3], [2, 4]] },
    { label: 'scalar', args: [rnd([])] },
    { label: 'size-1 dims', args: [rnd([1, 3])] },
    { label: 'empty', args: [rnd([0, 3])] },
    { label: 'strided view', args: [stepped([2, 3])] },
    { label: 'expanded view', args: [expanded([2, 3], [3])] },
    { label: 'view at an offset', args: [offset([2, 3])] },
  ],
  errors: [notTensor('clone', () => nb.clone(bad<Tensor>([1])))],
});

/** Parses the NumPy-style spec on its own, for the reference. */
function refSliceEntries(spec: string | readonly SliceEntry[]): SliceEntry[] {
  if (typeof spec !== 'string') return [...spec];
  if (spec.trim() === '') return [];
  const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : Number(s));
  return spec.split(',').map((p) => (p.includes(':') ? (p.split(':').map(num) as [number | null, number | null, number | null]) : Number(p)));
}

const slice = defineOp<{ spec: string | readonly SliceEntry[] }>({
  name: 'slice',
  fn: ([x], { spec }) => nb.slice(x!, spec),
  reference: ([x], { spec }) => {
    const entries = refSliceEntries(spec);
    const lists = x!.shape.map((len, i) => {
      const e = entries[i] ?? null;
      if (typeof e === 'number') return [e < 0 ? e + len : e];
      if (e === null) return pySlice(len, null, null, null);
      return pySlice(len, e[0] ?? null, e[1] ?? null, e[2] ?? null);
    });
    const r = take(x!, lists);
    return withShape(r, r.shape.filter((_, i) => typeof entries[i] !== 'number'));
  },
  grad: true,
  samples: [
    { label: 'hand-checked string', args: [lit([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])], params: { spec: '1:, ::-2' }, expected: [[8, 6], [12, 10]] },
    { label: 'hand-checked array spec', args: [lit([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])], params: { spec: [-1, [1, -1]] }, expected: [10, 11], expectedGrad: [[[0, 0, 0, 0], [0, 0, 0, 0], [0, 1, 1, 0]]] },
    { label: 'reverse', args: [rnd([5])], params: { spec: '::-1' } },
    { label: 'negative start, stop and step', args: [rnd([6])], params: { spec: '-2:-6:-2' } },
    { label: 'out-of-range bounds clamp', args: [rnd([4, 3])], params: { spec: [[-10, 10], [5, null, -1]] } },
    { label: 'integer index drops the dim', args: [rnd([3, 4])], params: { spec: ':, -1' } },
    { label: 'scalar result', args: [rnd([2, 3])], params: { spec: '1, 2' } },
    { label: 'scalar input, empty spec', args: [rnd([])], params: { spec: '' } },
    { label: 'empty result', args: [rnd([4])], params: { spec: '3:1' } },
    { label: 'empty input', args: [rnd([0, 3])], params: { spec: [null, [1, null]] } },
    { label: 'size-1 dims', args: [rnd([1, 4, 1])], params: { spec: '0:1, 1::2' } },
    { label: 'of a transposed view', args: [transposed([4, 3])], params: { spec: '::-1, 1:' } },
    { label: 'of a strided view', args: [stepped([3, 4])], params: { spec: [[null, null, 2], [-1, 0, -1]] } },
    { label: 'of an expanded view', args: [expanded([3, 4], [4])], params: { spec: '1:, ::3' } },
  ],
  errors: [
    { label: 'index out of range', call: () => nb.slice(nb.zeros([2, 3]), '0, 3'), type: 'ValueError', message: /^slice: index 3 is out of range for axis 1 of size 3/ },
    { label: 'zero step', call: () => nb.slice(nb.zeros([4]), '::0'), type: 'ValueError', message: /^slice: step must be a non-zero integer, got 0 for axis 0/ },
    { label: 'too many entries', call: () => nb.slice(nb.zeros([4]), '1, 2'), type: 'ShapeError', message: /^slice: 2 indices given for a tensor of rank 1 \(shape \[4\]\)/ },
    { label: 'not an integer', call: () => nb.slice(nb.zeros([4]), '1.5:'), type: 'ValueError', message: /^slice: '1\.5' in '1\.5:' is not an integer/ },
  ],
});

export const movementEntries: OpEntry[] = [reshape, view, flatten, squeeze, unsqueeze, permute, transpose, expand, contiguous, clone, slice];
