/** Op-table entries: reductions (sum, mean, max, min, prod, variance, argmax, argmin, logSumExp). */
import * as nb from '../../../src/index.js';
import type { Axis, DType, NestedArray, Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, lit, offset, offsetTransposed, rnd, stepped, transposed, type ErrorCase, type OpEntry, type Sample } from '../op-info.js';
import { logSumExpRef, reduce, type Nd } from '../ref.js';

interface ReduceParams {
  axis?: Axis;
  keepDims?: boolean;
}

type ReduceFn = (x: Tensor, axis?: Axis, keepDims?: boolean) => Tensor;

const total = (v: number[]) => v.reduce((s, x) => s + x, 0);
const meanOf = (v: number[]) => total(v) / v.length;
const maxOf = (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.max(...v));
const minOf = (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.min(...v));

/** The axis/keepDims/layout samples every reduction runs. */
function axisSamples(): Sample<ReduceParams>[] {
  return [
    { label: 'all axes of [2,3]', args: [rnd([2, 3])], params: {} },
    { label: 'axis 0', args: [rnd([3, 2])], params: { axis: 0 } },
    { label: 'axis -1 with keepDims', args: [rnd([2, 3])], params: { axis: -1, keepDims: true } },
    { label: 'non-adjacent axes [0,2] of [2,3,2]', args: [rnd([2, 3, 2])], params: { axis: [0, 2] } },
    { label: 'axes [1,2] of [2,2,3], keepDims', args: [rnd([2, 2, 3])], params: { axis: [1, 2], keepDims: true } },
    { label: 'scalar input', args: [rnd([])], params: {} },
    { label: 'scalar input, axis 0', args: [rnd([])], params: { axis: 0 } },
    { label: 'size-1 axis', args: [rnd([3, 1])], params: { axis: 1 } },
    { label: 'transposed view, axis 1', args: [transposed([3, 2])], params: { axis: 1 } },
    { label: 'transposed view at an offset, axis 0', args: [offsetTransposed([2, 3])], params: { axis: 0 } },
    { label: 'strided view, all axes', args: [stepped([2, 3])], params: {} },
    { label: 'expanded view, axis 0', args: [expanded([3, 2], [1, 2])], params: { axis: 0 } },
    { label: 'view at an offset, float64', args: [offset([2, 3], { dtype: 'float64' })], params: { axis: 1 } },
  ];
}

const axisError = (name: string, fn: ReduceFn): ErrorCase[] => [
  {
    label: 'axis out of range',
    call: () => fn(nb.zeros([2, 3]), 2),
    type: 'ValueError',
    message: new RegExp(`^${name}: axis 2 is out of range for a tensor of rank 2 \\(valid: -2\\.\\.1\\)`),
  },
  { label: 'repeated axis', call: () => fn(nb.zeros([2, 3]), [1, -1]), type: 'ValueError', message: new RegExp(`^${name}: axis -1 is repeated in \\[1,-1\\]`) },
  { label: 'not a tensor', call: () => fn(bad<Tensor>([1, 2])), type: 'DTypeError', message: new RegExp(`^${name}: expected input to be a Tensor`) },
];

interface ReduceSpec {
  name: string;
  fn: ReduceFn;
  f: (vals: number[]) => number;
  /** Output dtype from the input's (default: the same). */
  outDType?: (d: DType) => DType;
  grad: boolean;
  hand: Sample<ReduceParams>[];
  extra?: Sample<ReduceParams>[];
  errors?: ErrorCase[];
  skip?: { empty: string };
}

function reduceEntry(spec: ReduceSpec): OpEntry {
  return defineOp<ReduceParams>({
    name: spec.name,
    fn: ([x], { axis, keepDims }) => spec.fn(x!, axis, keepDims),
    reference: ([x], { axis, keepDims = false }) => reduce(x!, axis, keepDims, spec.f, (spec.outDType ?? ((d) => d))(x!.dtype!)),
    grad: spec.grad,
    samples: [...spec.hand, ...axisSamples(), ...(spec.extra ?? [])],
    errors: [...axisError(spec.name, spec.fn), ...(spec.errors ?? [])],
    skip: spec.skip,
  });
}

const emptyError = (name: string, fn: ReduceFn): ErrorCase => ({
  label: 'reducing an empty axis',
  call: () => fn(nb.zeros([0, 3]), 0),
  type: 'ValueError',
  message: new RegExp(`^${name}: cannot reduce over an empty axis \\(shape \\[0,3\\], axes \\[0\\]\\)`),
});

const m = [[1, 2, 3], [4, 5, 6]];

export const reductionEntries: OpEntry[] = [
  reduceEntry({
    name: 'sum', fn: nb.sum, f: total, grad: true, outDType: (d) => (d === 'bool' ? 'int32' : d),
    hand: [
      { label: 'hand-checked, all', args: [lit(m)], params: {}, expected: 21 },
      { label: 'hand-checked, axis 0 keepDims', args: [lit(m)], params: { axis: 0, keepDims: true }, expected: [[5, 7, 9]] },
    ],
    extra: [
      { label: 'empty axis sums to 0', args: [rnd([0, 3])], params: { axis: 0 }, expected: [0, 0, 0] },
      { label: 'bool counts as int32', args: [lit([[true, false], [true, true]])], params: { axis: 1 }, expected: [1, 2] },
      { label: 'int32 stays int32', args: [lit([1, 2, 3], 'int32')], params: {}, expected: 6 },
    ],
  }),
  reduceEntry({
    name: 'mean', fn: nb.mean, f: meanOf, grad: true, outDType: (d) => (d === 'float64' ? d : 'float32'),
    hand: [{ label: 'hand-checked, axis 1', args: [lit(m)], params: { axis: 1 }, expected: [2, 5] }],
    extra: [
      { label: 'int32 gives float32', args: [lit([1, 2], 'int32')], params: {}, expected: 1.5 },
      { label: 'empty axis is NaN', args: [rnd([0, 2])], params: { axis: 0 }, expected: [NaN, NaN], grad: false },
    ],
  }),
  reduceEntry({
    name: 'max', fn: nb.max, f: maxOf, grad: true,
    hand: [
      { label: 'hand-checked, NaN propagates', args: [lit([[1, 7, 3], [NaN, 0, -1]])], params: { axis: 1 }, expected: [7, NaN], grad: false },
      { label: 'two-way tie shares the gradient', args: [lit([[3, 1, 3], [0, 2, 1]])], params: { axis: 1 }, expected: [3, 2], expectedGrad: [[[0.5, 0, 0.5], [0, 1, 0]]] },
    ],
    errors: [emptyError('max', nb.max)],
    skip: { empty: 'the max of an empty axis is undefined: that is the bad-input case' },
  }),
  reduceEntry({
    name: 'min', fn: nb.min, f: minOf, grad: true,
    hand: [
      { label: 'hand-checked', args: [lit([[1, 7, 3], [NaN, 0, -1]])], params: { axis: 0 }, expected: [NaN, 0, -1], grad: false },
      { label: 'hand-checked, NaN propagates along a row', args: [lit([[2, NaN, 1], [4, 0, 3]])], params: { axis: 1 }, expected: [NaN, 0], grad: false },
      { label: 'two-way tie shares the gradient', args: [lit([2, 1, 1])], params: {}, expected: 1, expectedGrad: [[0, 0.5, 0.5]] },
    ],
    errors: [emptyError('min', nb.min)],
    skip: { empty: 'the min of an empty axis is undefined: that is the bad-input case' },
  }),
  reduceEntry({
    name: 'prod', fn: nb.prod, f: (v) => v.reduce((p, x) => p * x, 1), grad: true,
    hand: [
      { label: 'hand-checked', args: [lit(m)], params: { axis: 1 }, expected: [6, 120], expectedGrad: [[[6, 3, 2], [30, 24, 20]]] },
      // d/dxᵢ Π = Π of the others: with one zero only the zero's position is non-zero
      { label: 'one zero', args: [lit([2, 0, 3], 'float64')], params: {}, expected: 0, expectedGrad: [[0, 6, 0]] },
      { label: 'two zeros', args: [lit([0, 4, 0], 'float64')], params: {}, expected: 0, expectedGrad: [[0, 0, 0]] },
      { label: 'zeros in some rows only', args: [lit([[1, 0, 2], [3, 4, 0.5], [0, 0, 5]], 'float64')], params: { axis: 1 }, expected: [0, 6, 0] },
    ],
    extra: [{ label: 'empty axis gives 1', args: [rnd([0, 2])], params: { axis: 0 }, expected: [1, 1] }],
  }),
  reduceEntry({
    name: 'variance', fn: nb.variance, grad: true, outDType: (d) => (d === 'float64' ? d : 'float32'),
    f: (v) => meanOf(v.map((x) => (x - meanOf(v)) ** 2)),
    hand: [
      { label: 'hand-checked (population, divides by n)', args: [lit([[1, 2, 3, 4], [2, 2, 2, 2]])], params: { axis: 1 }, expected: [1.25, 0] },
    ],
    extra: [{ label: 'empty axis is NaN', args: [rnd([0, 2])], params: { axis: 0 }, expected: [NaN, NaN], grad: false }],
  }),
  reduceEntry({
    name: 'logSumExp', fn: nb.logSumExp, f: logSumExpRef, grad: true,
    hand: [
      { label: 'hand-checked, stable for large values', args: [lit([[1000, 1000], [-1000, -1000]], 'float64')], params: { axis: 1 }, expected: [1000.6931471805599, -999.3068528194401] },
      { label: 'all −∞ gives −∞, not NaN', args: [lit([-Infinity, -Infinity])], params: {}, expected: -Infinity, grad: false },
      { label: 'a +∞ entry gives +∞', args: [lit([1, Infinity])], params: {}, expected: Infinity, grad: false },
    ],
    extra: [{ label: 'empty axis is −∞', args: [rnd([0, 2])], params: { axis: 0 }, expected: [-Infinity, -Infinity], grad: false }],
    errors: [{ label: 'int32 input', call: () => nb.logSumExp(nb.tensor([1, 2], { dtype: 'int32' })), type: 'DTypeError', message: /^logSumExp: expected a float tensor \(float32 or float64\), got int32/ }],
  }),
];

// argmax/argmin take one axis (or none: the flattened index) and give int32 indices.
function argEntry(name: 'argmax' | 'argmin', fn: (x: Tensor, axis?: number, keepDims?: boolean) => Tensor, hand: [NestedArray, NestedArray]): OpEntry {
  const better = name === 'argmax' ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const argOf = (v: number[]) => {
    let best = 0;
    for (let i = 0; i < v.length; i++) {
      if (Number.isNaN(v[i]!)) return i;
      if (better(v[i]!, v[best]!)) best = i;
    }
    return best;
  };
  return defineOp<{ axis?: number; keepDims?: boolean }>({
    name,
    fn: ([x], { axis, keepDims }) => fn(x!, axis, keepDims),
    reference: ([x], { axis, keepDims = false }): Nd => {
      const r = reduce(x!, axis, axis === undefined ? false : keepDims, argOf, 'int32');
      if (axis !== undefined) return r;
      // over the flattened tensor: the row-major position; keepDims keeps every axis as size 1
      return keepDims ? { ...r, shape: x!.shape.map(() => 1) } : r;
    },
    grad: false,
    samples: [
      { label: 'hand-checked, first of ties, NaN wins', args: [lit(hand[0])], params: { axis: 1 }, expected: hand[1] },
      { label: 'flattened', args: [rnd([2, 3])], params: {} },
      { label: 'flattened, keepDims', args: [rnd([2, 3])], params: { keepDims: true } },
      { label: 'axis 0 keepDims', args: [rnd([3, 2])], params: { axis: 0, keepDims: true } },
      { label: 'scalar', args: [rnd([])], params: { axis: 0 }, expected: 0 },
      { label: 'size-1 axis', args: [rnd([3, 1])], params: { axis: 1 }, expected: [0, 0, 0] },
      { label: 'transposed view', args: [transposed([3, 4])], params: { axis: -1 } },
      { label: 'strided view, flattened', args: [stepped([2, 3])], params: {} },
      { label: 'expanded view', args: [expanded([3, 2], [1, 2])], params: { axis: 0 }, expected: [0, 0] },
      { label: 'int32', args: [lit([[3, 9, 9], [-1, -5, 2]], 'int32')], params: { axis: 1 } },
    ],
    errors: [
      { label: 'empty input', call: () => fn(nb.zeros([0, 2]), 1), type: 'ValueError', message: new RegExp(`^${name}: the input is empty \\(shape \\[0,2\\]\\)`) },
      { label: 'axis out of range', call: () => fn(nb.zeros([2]), 1), type: 'ValueError', message: new RegExp(`^${name}: axis 1 is out of range for a tensor of rank 1`) },
    ],
    skip: { empty: `${name} of an empty tensor has no answer: that is the bad-input case` },
  });
}

reductionEntries.push(
  argEntry('argmax', nb.argmax, [[[1, 5, 5], [NaN, 2, 9], [0, -1, 3]], [1, 0, 2]]),
  argEntry('argmin', nb.argmin, [[[4, 1, 1], [2, NaN, -9], [0, -1, 3]], [1, 1, 1]]),
);
