/** Op-table entries: elementwise binary math, comparisons, where, cast, clamp. */
import * as nb from '../../../src/index.js';
import type { DType, NestedArray, Tensor, TensorLike } from '../../../src/index.js';
import { bad, defineOp, expanded, ints, lit, offset, rnd, stepped, transposed, type OpEntry, type Sample, type ValueOpts } from '../op-info.js';
import { map, scalarNd, zip, type Nd } from '../ref.js';

/** A number operand in place of a tensor: `add(x, 2.5)` or `sub(3, x)`. */
interface NumberOperand {
  lhs?: number;
  rhs?: number;
}

interface BinarySpec {
  name: string;
  fn: (a: TensorLike, b: TensorLike) => Tensor;
  f: (a: number, b: number) => number;
  /** Output dtype for the reference; default: the promoted input dtype. */
  outDType?: DType;
  grad: boolean;
  /** Domains of the generated left and right operands. */
  a?: ValueOpts;
  b?: ValueOpts;
  hand: { a: NestedArray; b: NestedArray; expected: NestedArray; aDType?: DType; bDType?: DType };
  /** The dtype `int32 op float32` gives (default float32). */
  mixed?: NestedArray;
  extra?: Sample<NumberOperand>[];
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/**
 * The documented promotion rules, written out: the higher dtype wins; a non-integer number lifts
 * bool/int32 to float32; arithmetic on bool is int32; division of integers is float32.
 */
function resultDType(name: string, ins: Nd[], p: NumberOperand | undefined): DType {
  let dt = ins.map((x) => x.dtype!).reduce((x, y) => (RANK[x] >= RANK[y] ? x : y));
  const num = p?.lhs ?? p?.rhs;
  if (num !== undefined && !Number.isInteger(num) && RANK[dt] < RANK.float32) dt = 'float32';
  if (name === 'div' && RANK[dt] < RANK.float32) return 'float32';
  return dt === 'bool' ? 'int32' : dt;
}

function binaryEntry(spec: BinarySpec): OpEntry {
  const a = { ...spec.a, seed: 1 };
  const b = { ...spec.b, seed: 2 };
  const operands = (ins: Tensor[], p: NumberOperand | undefined): [TensorLike, TensorLike] => {
    if (p?.lhs !== undefined) return [p.lhs, ins[0]!];
    if (p?.rhs !== undefined) return [ins[0]!, p.rhs];
    return [ins[0]!, ins[1]!];
  };
  const refOperands = (ins: Nd[], p: NumberOperand | undefined): Nd[] => {
    if (p?.lhs !== undefined) return [scalarNd(p.lhs), ins[0]!];
    if (p?.rhs !== undefined) return [ins[0]!, scalarNd(p.rhs)];
    return ins;
  };
  return defineOp<NumberOperand | undefined>({
    name: spec.name,
    fn: (ins, p) => spec.fn(...operands(ins, p)),
    reference: (ins, p) => zip(refOperands(ins, p), spec.f, spec.outDType ?? resultDType(spec.name, ins, p)),
    grad: spec.grad,
    samples: [
      {
        label: 'hand-checked, [2,2] with [2]',
        args: [lit(spec.hand.a, spec.hand.aDType), lit(spec.hand.b, spec.hand.bDType)],
        expected: spec.hand.expected,
        grad: false,
      },
      { label: 'same shape', args: [rnd([2, 3], a), rnd([2, 3], b)] },
      { label: 'broadcast [3,1] with [1,4]', args: [rnd([3, 1], a), rnd([1, 4], b)] },
      { label: 'broadcast [2,3] with [3]', args: [rnd([2, 3], a), rnd([3], b)] },
      { label: 'scalar with [2,3]', args: [rnd([], a), rnd([2, 3], b)] },
      { label: '[2,3] with scalar', args: [rnd([2, 3], a), rnd([], b)] },
      { label: 'two scalars', args: [rnd([], a), rnd([], b)] },
      { label: 'size-1 dims [1,3,1] with [1,1,2]', args: [rnd([1, 3, 1], a), rnd([1, 1, 2], b)] },
      { label: 'empty [0,3] with [3]', args: [rnd([0, 3], a), rnd([3], b)] },
      { label: 'transposed with strided views', args: [transposed([3, 2], a), stepped([3, 2], b)] },
      { label: 'expanded view with a view at an offset', args: [expanded([2, 3], [1, 3], a), offset([2, 3], b)] },
      { label: 'float64', args: [rnd([2, 2], { ...a, dtype: 'float64' }), rnd([2, 2], { ...b, dtype: 'float64' })] },
      { label: 'tensor with a number', args: [rnd([2, 3], a)], params: { rhs: 1.5 } },
      { label: 'number with a tensor', args: [rnd([2, 3], b)], params: { lhs: 1.25 } },
      { label: 'int32 with float32 promotes to float32', args: [rnd([2, 2], { lo: 1, hi: 4, dtype: 'int32' }), rnd([2, 2], b)] },
      ...(spec.extra ?? []),
    ],
    errors: [
      {
        label: 'shapes that do not broadcast',
        call: () => spec.fn(nb.zeros([2, 3]), nb.zeros([4])),
        type: 'ShapeError',
        message: new RegExp(`^${spec.name}: shapes \\[2,3\\] and \\[4\\] cannot be broadcast together \\(dimension -1 is 3 vs 4; sizes must match or one must be 1\\)`),
      },
      {
        label: 'not a tensor',
        call: () => spec.fn(nb.zeros([2]), bad<Tensor>('x')),
        type: 'DTypeError',
        message: new RegExp(`^${spec.name}: expected input to be a Tensor, got string`),
      },
    ],
  });
}

const arith: BinarySpec[] = [
  {
    name: 'add', fn: nb.add, f: (x, y) => x + y, grad: true,
    hand: { a: [[1, 2], [3, 4]], b: [10, 20], expected: [[11, 22], [13, 24]] },
    extra: [
      { label: 'bool + bool counts as int32', args: [lit([true, true]), lit([true, false])], expected: [2, 1] },
      { label: 'broadcast gradient sums over the repeated axis', args: [rnd([2, 3]), lit([1, 2, 3])], expectedGrad: [[[1, 1, 1], [1, 1, 1]], [2, 2, 2]], grad: false },
    ],
  },
  { name: 'sub', fn: nb.sub, f: (x, y) => x - y, grad: true, hand: { a: [[1, 2], [3, 4]], b: [10, 20], expected: [[-9, -18], [-7, -16]] } },
  { name: 'mul', fn: nb.mul, f: (x, y) => x * y, grad: true, hand: { a: [[1, 2], [3, 4]], b: [10, -0.5], expected: [[10, -1], [30, -2]] } },
  {
    name: 'div', fn: nb.div, f: (x, y) => x / y, grad: true, b: { lo: 0.5, hi: 2 },
    hand: { a: [[1, 2], [3, -4]], b: [2, 0], expected: [[0.5, Infinity], [1.5, -Infinity]] },
    extra: [{ label: 'int32 / int32 is true division in float32', args: [lit([1, 7], 'int32'), lit([2, 2], 'int32')], expected: [0.5, 3.5] }],
  },
  {
    name: 'pow', fn: nb.pow, f: Math.pow, grad: true, a: { lo: 0.5, hi: 2 }, b: { lo: -2, hi: 2 },
    hand: { a: [[2, 3], [4, 0]], b: [3, 0.5], expected: [[8, 1.7320508075688772], [64, 0]] },
    extra: [
      // d(aᵇ)/da = b·aᵇ⁻¹ = 3·4 = 12 at a = −2; the exponent's gradient is taken as 0 where a ≤ 0
      { label: 'negative base, integer exponent', args: [lit([-2, 2]), lit([3, 3])], expected: [-8, 8], expectedGrad: [[12, 12], [0, 5.545177444479562]], grad: false },
    ],
  },
  {
    name: 'maximum', fn: nb.maximum, f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y)), grad: true,
    hand: { a: [[1, 5], [NaN, 4]], b: [2, 3], expected: [[2, 5], [NaN, 4]] },
    extra: [{ label: 'ties split the gradient', args: [lit([1, 2, 3]), lit([1, 0, 4])], expectedGrad: [[0.5, 1, 0], [0.5, 0, 1]], grad: false }],
  },
  {
    name: 'minimum', fn: nb.minimum, f: (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y)), grad: true,
    hand: { a: [[1, 5], [3, NaN]], b: [2, 3], expected: [[1, 3], [2, NaN]] },
    extra: [{ label: 'ties split the gradient', args: [lit([1, 2, 3]), lit([1, 0, 4])], expectedGrad: [[0.5, 0, 1], [0.5, 1, 0]], grad: false }],
  },
];

const cmp = (name: string, fn: BinarySpec['fn'], f: (x: number, y: number) => boolean, expected: NestedArray): BinarySpec => ({
  name, fn, f: (x, y) => Number(f(x, y)), outDType: 'bool', grad: false,
  hand: { a: [[1, 2], [3, NaN]], b: [1, 3], expected },
  extra: [{ label: 'int32 against a float number', args: [ints([0, 1, 2])], params: { rhs: 1.5 } }],
});

const comparisons: BinarySpec[] = [
  cmp('eq', nb.eq, (x, y) => x === y, [[true, false], [false, false]]),
  cmp('ne', nb.ne, (x, y) => x !== y, [[false, true], [true, true]]),
  cmp('lt', nb.lt, (x, y) => x < y, [[false, true], [false, false]]),
  cmp('le', nb.le, (x, y) => x <= y, [[true, true], [false, false]]),
  cmp('gt', nb.gt, (x, y) => x > y, [[false, false], [true, false]]),
  cmp('ge', nb.ge, (x, y) => x >= y, [[true, false], [true, false]]),
];

const whereEntry = defineOp({
  name: 'where',
  fn: ([c, a, b]) => nb.where(c!, a!, b!),
  reference: ([c, a, b]) => zip([c!, a!, b!], (cv, av, bv) => (cv ? av : bv), a!.dtype),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([true, false, true]), lit([1, 2, 3]), lit([10, 20, 30])], expected: [1, 20, 3] },
    { label: 'cond [3,1], a [1,4], b scalar', args: [lit([[true], [false], [true]]), rnd([1, 4], { seed: 1 }), rnd([], { seed: 2 })] },
    { label: 'scalar cond', args: [lit(false), rnd([2, 2], { seed: 1 }), rnd([2, 2], { seed: 2 })] },
    { label: 'empty', args: [lit([[], []], 'bool'), rnd([2, 0], { seed: 1 }), rnd([0], { seed: 2 })] },
    { label: 'non-contiguous views', args: [lit([[true, false], [false, true], [true, true]]), transposed([3, 2], { seed: 1 }), stepped([3, 2], { seed: 2 })] },
    { label: 'float64', args: [lit([[true, false]]), rnd([2, 2], { seed: 1, dtype: 'float64' }), rnd([2, 1], { seed: 2, dtype: 'float64' })] },
    { label: 'gradient goes to the chosen branch', args: [lit([true, false]), lit([1, 2]), lit([3, 4])], expectedGrad: [null, [1, 0], [0, 1]], grad: false },
  ],
  errors: [
    {
      label: 'a float cond',
      call: () => nb.where(nb.ones([2]), nb.ones([2]), nb.zeros([2])),
      type: 'DTypeError',
      message: /^where: cond must be a bool tensor, got float32; use a comparison such as gt\(x, 0\)/,
    },
    {
      label: 'shapes that do not broadcast',
      call: () => nb.where(nb.tensor([true, false]), nb.ones([3]), 0),
      type: 'ShapeError',
      message: /^where: shapes \[2\] and \[3\] cannot be broadcast together/,
    },
  ],
});

const castEntry = defineOp<{ dtype: DType }>({
  name: 'cast',
  fn: ([x], { dtype }) => nb.cast(x!, dtype),
  reference: ([x], { dtype }) =>
    map(x!, (v) => (dtype === 'bool' ? Number(v !== 0) : dtype === 'int32' ? Math.trunc(v) : dtype === 'float32' ? Math.fround(v) : v), dtype),
  grad: true,
  samples: [
    { label: 'float32 → int32 truncates toward zero', args: [lit([1.7, -1.7, 0.2, -0.2])], params: { dtype: 'int32' }, expected: [1, -1, 0, 0], grad: false },
    { label: 'float32 → bool is x != 0', args: [lit([0, 2, -0.5, NaN])], params: { dtype: 'bool' }, expected: [false, true, true, true], grad: false },
    { label: 'bool → float32', args: [lit([[true], [false]])], params: { dtype: 'float32' }, expected: [[1], [0]] },
    { label: 'int32 → float64 scalar', args: [ints(7)], params: { dtype: 'float64' }, expected: 7 },
    { label: 'float32 → float64, transposed', args: [transposed([3, 2])], params: { dtype: 'float64' } },
    // f32 rounding of the perturbed input needs a larger finite-difference step
    { label: 'float64 → float32, strided', args: [stepped([2, 3], { dtype: 'float64' })], params: { dtype: 'float32' }, gradTol: { eps: 1e-3, rtol: 1e-2 } },
    { label: 'expanded to int32', args: [expanded([2, 3], [3])], params: { dtype: 'int32' }, grad: false },
    { label: 'empty', args: [rnd([0, 2])], params: { dtype: 'float64' } },
    { label: 'same dtype is the tensor itself', args: [rnd([1, 2], { dtype: 'float64' })], params: { dtype: 'float64' } },
  ],
  errors: [
    { label: 'unknown dtype', call: () => nb.cast(nb.ones([2]), bad<DType>('float16')), type: 'DTypeError', message: /^unknown dtype 'float16': use one of float32, float64, int32, bool/ },
    { label: 'not a tensor', call: () => nb.cast(bad<Tensor>(3), 'int32'), type: 'DTypeError', message: /^cast: expected input to be a Tensor, got number/ },
  ],
});

const clampEntry = defineOp<{ min?: number; max?: number }>({
  name: 'clamp',
  fn: ([x], { min, max }) => nb.clamp(x!, min, max),
  reference: ([x], { min, max }) => map(x!, (v) => (min !== undefined && v < min ? min : max !== undefined && v > max ? max : v)),
  grad: true,
  samples: [
    {
      label: 'hand-checked, gradient 1 inside [min, max] bounds included',
      args: [lit([-3, 1, 1.5, 2, 5, NaN])], params: { min: 1, max: 2 },
      expected: [1, 1, 1.5, 2, 2, NaN], expectedGrad: [[0, 1, 1, 1, 0, 1]], grad: false,
    },
    { label: 'min only, scalar', args: [rnd([])], params: { min: 0.5 } },
    { label: 'max only, size-1 dims', args: [rnd([1, 4])], params: { max: 0.3 } },
    { label: 'transposed', args: [transposed([3, 2])], params: { min: -1, max: 1 } },
    { label: 'expanded', args: [expanded([2, 3], [1, 3])], params: { min: -1, max: 1 } },
    { label: 'empty', args: [rnd([0])], params: { min: 0, max: 1 } },
    { label: 'float64', args: [rnd([2, 2], { dtype: 'float64' })], params: { min: -0.7, max: 0.9 } },
    { label: 'int32 with integer bounds stays int32', args: [ints([-5, 0, 5])], params: { min: -1, max: 2 }, expected: [-1, 0, 2] },
  ],
  errors: [
    { label: 'min > max', call: () => nb.clamp(nb.ones([2]), 2, 1), type: 'ValueError', message: /^clamp: min \(2\) must not be greater than max \(1\)/ },
    { label: 'not a tensor', call: () => nb.clamp(bad<Tensor>([1]), 0, 1), type: 'DTypeError', message: /^clamp: expected input to be a Tensor/ },
  ],
});

export const binaryEntries: OpEntry[] = [...arith.map(binaryEntry), ...comparisons.map(binaryEntry), whereEntry, castEntry, clampEntry];
