/** Op-table entries: elementwise unary math. */
import * as nb from '../../../src/index.js';
import type { DType, NestedArray, Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, lit, offset, rnd, stepped, transposed, type ErrorCase, type OpEntry, type Sample, type ValueOpts } from '../op-info.js';
import { erfRef, map, sigmoidRef } from '../ref.js';

interface UnarySpec {
  name: string;
  fn: (x: Tensor) => Tensor;
  /** The same function on one number, written independently (Math.* or ref.ts). */
  f: (x: number) => number;
  /** Domain of the generated samples. */
  domain?: ValueOpts;
  /** Hand-checked values: input, expected output, and the input dtype (default float32). */
  hand: [NestedArray, NestedArray, DType?];
  /** The reference is not valid at the hand-checked inputs (they stand alone). */
  handOnly?: boolean;
  /** Float-only ops reject int32; the others reject only bool. */
  floatOnly: boolean;
  extra?: Sample<undefined>[];
}

const nonTensor = (name: string, fn: (x: Tensor) => Tensor): ErrorCase => ({
  label: 'not a tensor',
  call: () => fn(bad<Tensor>([1, 2])),
  type: 'DTypeError',
  message: new RegExp(`^${name}: expected input to be a Tensor, got object; wrap values with nb.tensor`),
});

/** The standard unary entry: hand case, every edge shape, float64, and the dtype error. */
export function unaryEntry(spec: UnarySpec): OpEntry {
  const o = spec.domain ?? {};
  const { name, fn } = spec;
  const dtypeError: ErrorCase = spec.floatOnly
    ? {
        label: 'int32 input',
        call: () => fn(nb.tensor([1, 2], { dtype: 'int32' })),
        type: 'DTypeError',
        message: new RegExp(`^${name}: expected a float tensor \\(float32 or float64\\), got int32; cast it first`),
      }
    : {
        label: 'bool input',
        call: () => fn(nb.tensor([true, false])),
        type: 'DTypeError',
        message: new RegExp(`^${name}: not defined for bool tensors; cast to int32 or float32 first`),
      };
  return defineOp({
    name,
    fn: ([x]) => fn(x!),
    reference: ([x]) => map(x!, spec.f),
    grad: true,
    samples: [
      { label: 'hand-checked', args: [lit(spec.hand[0], spec.hand[2])], expected: spec.hand[1], grad: false, ...(spec.handOnly ? { reference: false as const } : {}) },
      { label: 'scalar', args: [rnd([], o)] },
      { label: 'size-1 dims', args: [rnd([1, 3, 1], o)] },
      { label: 'empty', args: [rnd([0, 3], o)] },
      { label: 'transposed view', args: [transposed([3, 2], o)] },
      { label: 'strided view', args: [stepped([2, 3], o)] },
      { label: 'expanded (stride-0) view', args: [expanded([2, 3], [1, 3], o)] },
      { label: 'view at an offset', args: [offset([2, 2], o)] },
      { label: 'float64', args: [rnd([2, 3], { ...o, dtype: 'float64' })] },
      ...(spec.floatOnly ? [] : [{ label: 'int32', args: [rnd([2, 3], { lo: -5, hi: 5, dtype: 'int32' })] }]),
      ...(spec.extra ?? []),
    ],
    errors: [dtypeError, nonTensor(name, fn)],
  });
}

const positive = { lo: 0.2, hi: 3 };
const f64 = 'float64' as const;
const tight = { rtol: 1e-12, atol: 0 };

export const unaryEntries: OpEntry[] = [
  unaryEntry({ name: 'neg', fn: nb.neg, f: (x) => -x, floatOnly: false, hand: [[[1, -2.5], [0, 3]], [[-1, 2.5], [0, -3]]] }),
  unaryEntry({
    name: 'exp', fn: nb.exp, f: Math.exp, floatOnly: true,
    hand: [[0, 1, -1, -Infinity, 800], [1, 2.718281828459045, 0.36787944117144233, 0, Infinity], f64],
  }),
  unaryEntry({
    name: 'log', fn: nb.log, f: Math.log, floatOnly: true, domain: positive,
    hand: [[1, 2.718281828459045, 0.5, 0, -1], [0, 1, -0.6931471805599453, -Infinity, NaN], f64],
  }),
  unaryEntry({ name: 'sqrt', fn: nb.sqrt, f: Math.sqrt, floatOnly: true, domain: positive, hand: [[4, 0, 2.25, -1], [2, 0, 1.5, NaN]] }),
  unaryEntry({ name: 'rsqrt', fn: nb.rsqrt, f: (x) => 1 / Math.sqrt(x), floatOnly: true, domain: positive, hand: [[4, 0.25, 0], [0.5, 2, Infinity]] }),
  unaryEntry({
    name: 'abs', fn: nb.abs, f: Math.abs, floatOnly: false, hand: [[-1.5, 0, 2], [1.5, 0, 2]],
    extra: [{ label: 'gradient at 0 is 0 (subgradient), ±1 elsewhere', args: [lit([-2, 0, 3])], expectedGrad: [[-1, 0, 1]], grad: false }],
  }),
  unaryEntry({ name: 'sign', fn: nb.sign, f: (x) => (x > 0 ? 1 : x < 0 ? -1 : x), floatOnly: false, hand: [[-2, 0, 3, NaN], [-1, 0, 1, NaN]] }),
  unaryEntry({
    name: 'sin', fn: nb.sin, f: Math.sin, floatOnly: true,
    hand: [[0, 1.5707963267948966, -0.5235987755982988], [0, 1, -0.5], f64],
  }),
  unaryEntry({ name: 'cos', fn: nb.cos, f: Math.cos, floatOnly: true, hand: [[0, 3.141592653589793, 1.0471975511965979], [1, -1, 0.5], f64] }),
  unaryEntry({ name: 'tanh', fn: nb.tanh, f: Math.tanh, floatOnly: true, hand: [[0, 20, -20, 0.5], [0, 1, -1, 0.46211715726000974], f64] }),
  unaryEntry({
    name: 'sigmoid', fn: nb.sigmoid, f: sigmoidRef, floatOnly: true,
    // ±1000 must neither overflow nor give NaN
    hand: [[0, 1000, -1000, 2], [0.5, 1, 0, 0.8807970779778823]],
  }),
  unaryEntry({
    // the series reference is exact only for |x| ≤ 3; the tail (continued fraction, then ±1) is hand-checked
    name: 'erf', fn: nb.erf, f: erfRef, floatOnly: true, domain: { lo: -2.5, hi: 2.5 }, handOnly: true,
    hand: [
      [0, 0.5, 1, -2, 3, 4, 5.5, 7],
      [0, 0.5204998778130465, 0.8427007929497149, -0.9953222650189527, 0.9999779095030014, 0.9999999845827421, 0.9999999999999927, 1],
      f64,
    ],
  }),
  unaryEntry({
    name: 'relu', fn: nb.relu, f: (x) => Math.max(x, 0), floatOnly: false, hand: [[-1, 0, 2.5], [0, 0, 2.5]],
    extra: [{ label: 'gradient is 0 at and below 0', args: [lit([-1, 0, 2])], expectedGrad: [[0, 0, 1]], grad: false }],
  }),
  unaryEntry({
    name: 'log1p', fn: nb.log1p, f: Math.log1p, floatOnly: true, domain: { lo: -0.5, hi: 2 },
    hand: [[0, 1e-10, 1.718281828459045, -1], [0, 9.9999999995e-11, 1, -Infinity], f64],
    extra: [{ label: 'accurate for tiny x', args: [lit([1e-10, -3e-12], f64)], expected: [9.9999999995e-11, -3.0000000000045e-12], tol: tight }],
  }),
  unaryEntry({
    name: 'expm1', fn: nb.expm1, f: Math.expm1, floatOnly: true,
    hand: [[0, 1, -Infinity], [0, 1.718281828459045, -1], f64],
    extra: [{ label: 'accurate for tiny x', args: [lit([1e-10, -3e-12], f64)], expected: [1.00000000005e-10, -2.9999999999955e-12], tol: tight }],
  }),
];
