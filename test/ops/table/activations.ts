/** Op-table entries: activations and the softmax family (composites of primitives). */
import * as nb from '../../../src/index.js';
import type { NestedArray, Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, lit, offset, rnd, stepped, transposed, type ErrorCase, type OpEntry, type Sample } from '../op-info.js';
import { alongAxis, erfRef, logSumExpRef, map, sigmoidRef, softmaxRef } from '../ref.js';

const floatErrors = (name: string, call: (x: Tensor) => Tensor): ErrorCase[] => [
  {
    label: 'int32 input',
    call: () => call(nb.tensor([1, 2], { dtype: 'int32' })),
    type: 'DTypeError',
    message: new RegExp(`^${name}: expected a float tensor \\(float32 or float64\\), got int32`),
  },
  { label: 'not a tensor', call: () => call(bad<Tensor>(null)), type: 'DTypeError', message: new RegExp(`^${name}: expected input to be a Tensor, got null`) },
];

/** The edge-shape samples every elementwise activation runs, with its params. */
function edgeSamples<P>(params: P): Sample<P>[] {
  return [
    { label: 'scalar', args: [rnd([], { lo: -3, hi: 3 })], params },
    { label: 'size-1 dims', args: [rnd([1, 3, 1], { lo: -3, hi: 3 })], params },
    { label: 'empty', args: [rnd([0, 2])], params },
    { label: 'transposed view', args: [transposed([3, 2], { lo: -3, hi: 3 })], params },
    { label: 'strided view', args: [stepped([2, 3], { lo: -3, hi: 3 })], params },
    { label: 'expanded view', args: [expanded([2, 3], [3], { lo: -3, hi: 3 })], params },
    { label: 'float64 at an offset', args: [offset([2, 3], { lo: -3, hi: 3, dtype: 'float64' })], params },
  ];
}

const geluExact = (x: number) => 0.5 * x * (1 + erfRef(x / Math.SQRT2));
const geluTanh = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));

const leakyRelu = defineOp<{ alpha?: number }>({
  name: 'leakyRelu',
  fn: ([x], { alpha }) => nb.leakyRelu(x!, alpha),
  reference: ([x], { alpha = 0.2 }) => map(x!, (v) => (v > 0 ? v : alpha * v)),
  grad: true,
  samples: [
    { label: 'hand-checked, default alpha 0.2', args: [lit([-2, 0, 3])], params: {}, expected: [-0.4, 0, 3], expectedGrad: [[0.2, 0.2, 1]], grad: false },
    { label: 'alpha 0.01', args: [rnd([2, 3])], params: { alpha: 0.01 } },
    ...edgeSamples({}),
  ],
  errors: floatErrors('leakyRelu', (x) => nb.leakyRelu(x)),
});

const elu = defineOp<{ alpha?: number }>({
  name: 'elu',
  fn: ([x], { alpha }) => nb.elu(x!, alpha),
  reference: ([x], { alpha = 1 }) => map(x!, (v) => (v > 0 ? v : alpha * Math.expm1(v))),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([-1, 0, 2], 'float64')], params: {}, expected: [-0.6321205588285577, 0, 2] },
    { label: 'alpha 0.5', args: [lit([-2, 3])], params: { alpha: 0.5 }, expected: [-0.43233235838169365, 3] },
    // the gradient is alpha·eˣ on the negative side, 1 at 0 (continuous for alpha 1) and no NaN at ±1000
    { label: '±1000 and 0', args: [lit([-1000, 0, 1000])], params: {}, expected: [-1, 0, 1000], expectedGrad: [[0, 1, 1]], grad: false },
    ...edgeSamples({}),
  ],
  errors: floatErrors('elu', (x) => nb.elu(x)),
});

const gelu = defineOp<{ approximate?: boolean }>({
  name: 'gelu',
  fn: ([x], { approximate }) => nb.gelu(x!, approximate),
  reference: ([x], { approximate }) => map(x!, approximate ? geluTanh : geluExact),
  grad: true,
  samples: [
    { label: 'hand-checked exact (erf)', args: [lit([1, -1, 3, 0], 'float64')], params: {}, expected: [0.8413447460685429, -0.15865525393145707, 2.99595030590511, 0] },
    { label: 'hand-checked approximate (tanh)', args: [lit([1, -1, 3, 0], 'float64')], params: { approximate: true }, expected: [0.8411919906082768, -0.15880800939172324, 2.996362607918227, 0] },
    ...edgeSamples({}),
    ...edgeSamples({ approximate: true }).map((s) => ({ ...s, label: `approximate, ${s.label}` })),
  ],
  errors: floatErrors('gelu', (x) => nb.gelu(x)),
});

const softplus = defineOp({
  name: 'softplus',
  fn: ([x]) => nb.softplus(x!),
  reference: ([x]) => map(x!, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)))),
  grad: true,
  samples: [
    { label: 'hand-checked, no overflow at ±1000', args: [lit([0, 1000, -1000, 1])], expected: [0.6931471805599453, 1000, 0, 1.3132616875182228] },
    // d softplus = σ(x): ½ at 0
    { label: 'gradient is sigmoid, ½ at 0', args: [lit([-1000, 0, 1000])], expectedGrad: [[0, 0.5, 1]], grad: false },
    ...edgeSamples(undefined),
  ],
  errors: floatErrors('softplus', nb.softplus),
});

const silu = defineOp({
  name: 'silu',
  fn: ([x]) => nb.silu(x!),
  reference: ([x]) => map(x!, (v) => v * sigmoidRef(v)),
  grad: true,
  samples: [{ label: 'hand-checked', args: [lit([0, 1, -1], 'float64')], expected: [0, 0.7310585786300049, -0.2689414213699951] }, ...edgeSamples(undefined)],
  errors: floatErrors('silu', nb.silu),
});

function softmaxFamily(name: 'softmax' | 'logSoftmax', fn: (x: Tensor, axis?: number) => Tensor, hand: NestedArray) {
  const slice = name === 'softmax' ? softmaxRef : (s: number[]) => s.map((v) => v - logSumExpRef(s));
  return defineOp<{ axis?: number }>({
    name,
    fn: ([x], { axis }) => fn(x!, axis),
    reference: ([x], { axis = -1 }) => alongAxis(x!, axis, slice),
    grad: true,
    samples: [
      { label: 'hand-checked, stable for ±1000', args: [lit([[1, 2, 3], [1000, 1000, -1000]], 'float64')], params: {}, expected: hand },
      { label: 'axis 0', args: [rnd([3, 2], { lo: -3, hi: 3 })], params: { axis: 0 } },
      { label: 'middle axis of 3-D', args: [rnd([2, 3, 2], { lo: -3, hi: 3 })], params: { axis: 1 } },
      { label: 'size-1 axis', args: [rnd([2, 1])], params: { axis: 1 } },
      { label: '1-D', args: [rnd([4], { lo: -3, hi: 3 })], params: {} },
      { label: 'empty batch', args: [rnd([0, 3])], params: {} },
      { label: 'transposed view', args: [transposed([3, 2], { lo: -3, hi: 3 })], params: { axis: -1 } },
      { label: 'strided view', args: [stepped([2, 3], { lo: -3, hi: 3 })], params: { axis: 0 } },
      { label: 'expanded view', args: [expanded([2, 3], [3], { lo: -3, hi: 3 })], params: { axis: 1 } },
      { label: 'float64', args: [rnd([2, 3], { dtype: 'float64' })], params: {} },
    ],
    errors: [
      { label: 'a scalar has no axis', call: () => fn(nb.tensor(1)), type: 'ValueError', message: new RegExp(`^${name}: needs at least 1 dim, got a scalar`) },
      {
        label: 'axis out of range',
        call: () => fn(nb.zeros([2, 3]), 2),
        type: 'ValueError',
        message: new RegExp(`^${name}: axis 2 is out of range for a tensor of rank 2 \\(valid: -2\\.\\.1\\)`),
      },
      ...floatErrors(name, (x) => fn(x)),
    ],
    skip: { scalar: `${name} needs an axis: a scalar is the bad-input case` },
  });
}

const ln2 = 0.6931471805599453;
export const activationEntries: OpEntry[] = [
  leakyRelu,
  elu,
  gelu,
  softplus,
  silu,
  softmaxFamily('softmax', nb.softmax, [[0.09003057317038046, 0.24472847105479767, 0.6652409557748219], [0.5, 0.5, 0]]),
  softmaxFamily('logSoftmax', nb.logSoftmax, [[-2.40760596444438, -1.4076059644443801, -0.40760596444438013], [-ln2, -ln2, -2000 - ln2]]),
];
