/** Op-table entries: gather, indexSelect, takeAlongAxis, oneHot. */
import * as nb from '../../../src/index.js';
import type { DType, Tensor } from '../../../src/index.js';
import { defineOp, expanded, ints, lit, offset, rnd, transposed, type OpEntry } from '../op-info.js';
import { ravel, sizeOf, unravel, type Nd } from '../ref.js';

/** `out = x.shape[:axis] + idx.shape + x.shape[axis+1:]`, by index arithmetic. */
function gatherRef(x: Nd, idx: Nd, axis: number): Nd {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const shape = [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)];
  const data: number[] = [];
  for (let k = 0; k < sizeOf(shape); k++) {
    const o = unravel(k, shape);
    const ii = o.slice(a, a + idx.shape.length);
    const src = [...o.slice(0, a), idx.data[ravel(ii, idx.shape)]!, ...o.slice(a + idx.shape.length)];
    data.push(x.data[ravel(src, x.shape)]!);
  }
  return { shape, data, dtype: x.dtype };
}

function takeAlongRef(x: Nd, idx: Nd, axis: number): Nd {
  const a = axis < 0 ? axis + x.shape.length : axis;
  const data: number[] = [];
  for (let k = 0; k < idx.data.length; k++) {
    const o = unravel(k, idx.shape);
    o[a] = idx.data[k]!;
    data.push(x.data[ravel(o, x.shape)]!);
  }
  return { shape: [...idx.shape], data, dtype: x.dtype };
}

const outOfRange = (op: string, call: () => unknown, detail: string) => ({
  label: 'index out of range', call, type: 'ValueError' as const, message: new RegExp(`^${op}: index ${detail}`),
});
const floatIndices = (op: string, call: () => unknown) => ({
  label: 'float indices', call, type: 'DTypeError' as const, message: new RegExp(`^${op}: indices must be an int32 tensor, got float32; cast them with cast\\(indices, 'int32'\\)`),
});

const gather = defineOp<{ axis?: number }>({
  name: 'gather',
  fn: ([x, i], { axis }) => nb.gather(x!, i!, axis),
  reference: ([x, i], { axis = 0 }) => gatherRef(x!, i!, axis),
  grad: true,
  samples: [
    {
      label: 'hand-checked, repeated index accumulates its gradient',
      args: [lit([[1, 2], [3, 4], [5, 6]]), ints([2, 0, 2])], params: {},
      expected: [[5, 6], [1, 2], [5, 6]], expectedGrad: [[[1, 1], [0, 0], [2, 2]], null],
    },
    { label: 'axis 1, 2-D indices', args: [rnd([2, 3]), ints([[0, 2], [1, 1]])], params: { axis: 1 } },
    { label: 'scalar index drops the axis', args: [rnd([3, 2]), ints(1)], params: { axis: -1 } },
    { label: 'size-1 dims', args: [rnd([1, 3, 1]), ints([2, 0])], params: { axis: 1 } },
    { label: 'empty indices', args: [rnd([3, 2]), ints([])], params: { axis: 0 } },
    { label: 'transposed input, strided indices', args: [transposed([4, 3]), { base: ints([3, 9, 0, 9, 1]).base, view: (t: Tensor) => t.slice('::2') }], params: {} },
    { label: 'expanded input', args: [expanded([2, 3], [3]), ints([1, 1, 0])], params: { axis: 0 } },
    { label: 'float64 at an offset', args: [offset([2, 3], { dtype: 'float64' }), ints([2])], params: { axis: 1 } },
    { label: 'int32 values', args: [ints([[7, 8], [9, 10]]), ints([1])], params: {}, expected: [[9, 10]] },
  ],
  errors: [
    outOfRange('gather', () => nb.gather(nb.zeros([3]), nb.tensor([3], { dtype: 'int32' })), '3 is out of range for axis 0 of size 3 \\(valid: 0\\.\\.2\\)'),
    outOfRange('gather', () => nb.gather(nb.zeros([3]), nb.tensor([-1], { dtype: 'int32' })), '-1 is out of range for axis 0 of size 3'),
    floatIndices('gather', () => nb.gather(nb.zeros([3]), nb.tensor([0]))),
    { label: 'a scalar input', call: () => nb.gather(nb.tensor(1), nb.tensor([0], { dtype: 'int32' })), type: 'ValueError', message: /^gather: x is a scalar; it has no axis to gather along/ },
  ],
});

const indexSelect = defineOp<{ axis: number }>({
  name: 'indexSelect',
  fn: ([x, i], { axis }) => nb.indexSelect(x!, axis, i!),
  reference: ([x, i], { axis }) => gatherRef(x!, i!, axis),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([[1, 2, 3], [4, 5, 6]]), ints([2, 0])], params: { axis: 1 }, expected: [[3, 1], [6, 4]] },
    { label: 'size-1 dims', args: [rnd([1, 2]), ints([0, 0, 0])], params: { axis: 0 } },
    { label: 'empty', args: [rnd([2, 2]), ints([])], params: { axis: -1 } },
    { label: 'transposed view', args: [transposed([3, 2]), ints([1])], params: { axis: 1 } },
    { label: 'expanded view', args: [expanded([3, 2], [1, 2]), ints([2, 1])], params: { axis: 0 } },
  ],
  errors: [
    { label: '2-D indices', call: () => nb.indexSelect(nb.zeros([3]), 0, nb.tensor([[0]], { dtype: 'int32' })), type: 'ValueError', message: /^indexSelect: indices must be 1-D, got shape \[1,1\]/ },
    outOfRange('gather', () => nb.indexSelect(nb.zeros([2, 2]), 1, nb.tensor([5], { dtype: 'int32' })), '5 is out of range for axis 1 of size 2'),
  ],
  skip: { scalar: 'indices are 1-D and a scalar input has no axis: both are bad-input cases' },
});

const takeAlongAxis = defineOp<{ axis: number }>({
  name: 'takeAlongAxis',
  fn: ([x, i], { axis }) => nb.takeAlongAxis(x!, i!, axis),
  reference: ([x, i], { axis }) => takeAlongRef(x!, i!, axis),
  grad: true,
  samples: [
    { label: 'hand-checked, one per row', args: [lit([[1, 2, 3], [4, 5, 6]]), ints([[2], [0]])], params: { axis: 1 }, expected: [[3], [4]], expectedGrad: [[[0, 0, 1], [1, 0, 0]], null] },
    { label: 'axis 0, several per column', args: [rnd([3, 2]), ints([[2, 0], [1, 1], [0, 2], [2, 2]])], params: { axis: 0 } },
    { label: 'middle axis of 3-D', args: [rnd([2, 3, 2]), ints([[[0, 2], [1, 1]], [[2, 0], [0, 0]]])], params: { axis: 1 } },
    { label: 'size-1 dims', args: [rnd([1, 4]), ints([[3, 0]])], params: { axis: -1 } },
    { label: 'empty', args: [rnd([2, 3]), { base: ints([[], []]).base }], params: { axis: 1 } },
    { label: 'transposed input and indices', args: [transposed([2, 3]), { base: ints([[1, 0], [2, 1], [0, 0]]).base, view: (t: Tensor) => t.transpose() }], params: { axis: 1 } },
    { label: '1-D', args: [rnd([4], { dtype: 'float64' }), ints([3, 3, 0])], params: { axis: 0 } },
  ],
  errors: [
    {
      label: 'indices shape mismatch',
      call: () => nb.takeAlongAxis(nb.zeros([2, 3]), nb.zeros([3, 1], { dtype: 'int32' }), 1),
      type: 'ValueError',
      message: /^takeAlongAxis: indices of shape \[3,1\] must match x \[2,3\] on every axis but 1/,
    },
    outOfRange('takeAlongAxis', () => nb.takeAlongAxis(nb.zeros([2, 3]), nb.tensor([[0], [3]], { dtype: 'int32' }), 1), '3 is out of range for axis 1 of size 3'),
    floatIndices('takeAlongAxis', () => nb.takeAlongAxis(nb.zeros([2]), nb.zeros([2]), 0)),
    { label: 'a scalar input', call: () => nb.takeAlongAxis(nb.tensor(1), nb.tensor(0, { dtype: 'int32' }), 0), type: 'ValueError', message: /^takeAlongAxis: x is a scalar; it has no axis to take along/ },
  ],
  skip: { scalar: 'a scalar has no axis to take along: x must have at least 1 dim' },
});

const oneHot = defineOp<{ depth: number; dtype?: DType }>({
  name: 'oneHot',
  fn: ([i], { depth, dtype }) => nb.oneHot(i!, depth, dtype),
  reference: ([i], { depth, dtype = 'float32' }) => {
    const data: number[] = [];
    for (const v of i!.data) for (let c = 0; c < depth; c++) data.push(c === v ? 1 : 0);
    return { shape: [...i!.shape, depth], data, dtype };
  },
  grad: false,
  samples: [
    { label: 'hand-checked', args: [ints([2, 0])], params: { depth: 3 }, expected: [[0, 0, 1], [1, 0, 0]] },
    { label: 'scalar index', args: [ints(1)], params: { depth: 2 }, expected: [0, 1] },
    { label: '2-D indices, int32 output', args: [ints([[0, 1], [1, 1]])], params: { depth: 2, dtype: 'int32' } },
    { label: 'size-1 dims', args: [ints([[0]])], params: { depth: 1 } },
    { label: 'empty', args: [ints([])], params: { depth: 4 } },
    { label: 'transposed indices', args: [{ base: ints([[0, 1, 2], [2, 1, 0]]).base, view: (t: Tensor) => t.transpose() }], params: { depth: 3 } },
    { label: 'expanded indices', args: [{ base: ints([1, 3]).base, view: (t: Tensor) => t.expand([2, 2]) }], params: { depth: 4 } },
  ],
  errors: [
    outOfRange('oneHot', () => nb.oneHot(nb.tensor([3], { dtype: 'int32' }), 3), '3 is out of range for depth 3 \\(valid: 0\\.\\.2\\)'),
    { label: 'bad depth', call: () => nb.oneHot(nb.tensor([0], { dtype: 'int32' }), 0), type: 'ValueError', message: /^oneHot: depth must be a positive integer, got 0/ },
    floatIndices('oneHot', () => nb.oneHot(nb.tensor([0]), 2)),
  ],
});

export const indexingEntries: OpEntry[] = [gather, indexSelect, takeAlongAxis, oneHot];
