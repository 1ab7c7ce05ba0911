/** Op-table entries: the losses in nb.losses. */
import * as nb from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, ints, lit, rnd, stepped, transposed, type ErrorCase, type OpEntry, type Sample } from '../op-info.js';
import { alongAxis, logSumExpRef, map, reduce, scalarNd, zip, type Nd } from '../ref.js';

type Reduction = 'mean' | 'sum' | 'none';
interface LossParams {
  reduction?: Reduction;
  fromLogits?: boolean;
  delta?: number;
}

const EPS = 1e-7;
const clip = (p: number) => Math.min(Math.max(p, EPS), 1 - EPS);
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

/** Keras' convention: the mean over the last axis is one sample's loss (1-D input: each element). */
function perSample(elementwise: Nd): Nd {
  return elementwise.shape.length <= 1 ? elementwise : reduce(elementwise, -1, false, mean);
}

function reduced(perSampleLoss: Nd, reduction: Reduction = 'mean'): Nd {
  if (reduction === 'none') return perSampleLoss;
  const s = perSampleLoss.data.reduce((a, b) => a + b, 0);
  return scalarNd(reduction === 'sum' ? s : s / perSampleLoss.data.length);
}

const pairErrors = (name: string, call: (y: Tensor, p: Tensor, o?: LossParams) => Tensor): ErrorCase[] => [
  {
    label: 'shapes differ',
    call: () => call(nb.zeros([2, 3]), nb.zeros([2])),
    type: 'ShapeError',
    message: new RegExp(`^${name}: yTrue \\[2,3\\] and yPred \\[2\\] must have the same shape`),
  },
  { label: 'unknown reduction', call: () => call(nb.zeros([2]), nb.zeros([2]), { reduction: bad<Reduction>('avg') }), type: 'ValueError', message: new RegExp(`^${name}: unknown reduction 'avg'; use 'mean', 'sum' or 'none'`) },
  { label: 'int yPred', call: () => call(nb.zeros([2]), nb.zeros([2], { dtype: 'int32' })), type: 'DTypeError', message: new RegExp(`^${name}: yPred must be a float tensor, got int32`) },
  { label: 'not a tensor', call: () => call(bad<Tensor>([1]), nb.zeros([1])), type: 'DTypeError', message: new RegExp(`^${name}: expected yTrue to be a Tensor`) },
];

/** Samples shared by the losses of a (yTrue, yPred) pair of one shape. */
function pairSamples(p: LossParams, yTrue: { lo: number; hi: number }, yPred: { lo: number; hi: number }): Sample<LossParams>[] {
  const t = { ...yTrue, seed: 1 };
  const q = { ...yPred, seed: 2 };
  return [
    { label: '[2,3], mean', args: [rnd([2, 3], t), rnd([2, 3], q)], params: p },
    { label: '[2,3], sum', args: [rnd([2, 3], t), rnd([2, 3], q)], params: { ...p, reduction: 'sum' } },
    { label: '[2,3], none', args: [rnd([2, 3], t), rnd([2, 3], q)], params: { ...p, reduction: 'none' } },
    { label: '1-D', args: [rnd([4], t), rnd([4], q)], params: p },
    { label: 'scalar', args: [rnd([], t), rnd([], q)], params: p },
    { label: 'size-1 dims', args: [rnd([1, 1], t), rnd([1, 1], q)], params: p },
    { label: 'empty batch, none', args: [rnd([0, 3], t), rnd([0, 3], q)], params: { ...p, reduction: 'none' } },
    { label: 'transposed yPred, strided yTrue', args: [stepped([3, 2], t), transposed([3, 2], q)], params: p },
    { label: 'expanded yTrue', args: [expanded([2, 3], [3], t), rnd([2, 3], q)], params: p },
    { label: 'float64, 3-D', args: [rnd([2, 2, 2], { ...t, dtype: 'float64' }), rnd([2, 2, 2], { ...q, dtype: 'float64' })], params: p },
  ];
}

const elementwiseLoss = (f: (y: number, p: number, o: LossParams) => number) => ([y, p]: Nd[], o: LossParams): Nd =>
  reduced(perSample(zip([y!, p!], (a, b) => f(a, b, o))), o.reduction);

const any = { lo: -2, hi: 2 };
const prob = { lo: 0.1, hi: 0.9 };
const label = { lo: 0, hi: 1 };

const mse = defineOp<LossParams>({
  name: 'losses.meanSquaredError',
  fn: ([y, p], o) => nb.losses.meanSquaredError(y!, p!, o),
  reference: elementwiseLoss((y, p) => (p - y) ** 2),
  grad: true,
  samples: [
    { label: 'hand-checked', args: [lit([[1, 2], [3, 4]]), lit([[1, 3], [5, 4]])], params: {}, expected: 1.25 },
    { label: 'hand-checked, none', args: [lit([[1, 2], [3, 4]]), lit([[1, 3], [5, 4]])], params: { reduction: 'none' }, expected: [0.5, 2] },
    ...pairSamples({}, any, any),
  ],
  errors: pairErrors('meanSquaredError', nb.losses.meanSquaredError),
});

const mae = defineOp<LossParams>({
  name: 'losses.meanAbsoluteError',
  fn: ([y, p], o) => nb.losses.meanAbsoluteError(y!, p!, o),
  reference: elementwiseLoss((y, p) => Math.abs(p - y)),
  grad: true,
  samples: [
    { label: 'hand-checked, sum', args: [lit([[1, 2], [3, 4]]), lit([[1, 3], [5, 4]])], params: { reduction: 'sum' }, expected: 1.5 },
    ...pairSamples({}, any, any),
  ],
  errors: pairErrors('meanAbsoluteError', nb.losses.meanAbsoluteError),
});

const huber = defineOp<LossParams>({
  name: 'losses.huber',
  fn: ([y, p], o) => nb.losses.huber(y!, p!, o),
  reference: elementwiseLoss((y, p, { delta = 1 }) => {
    const a = Math.abs(p - y);
    return a <= delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
  }),
  grad: true,
  samples: [
    { label: 'hand-checked, quadratic inside δ, linear beyond', args: [lit([0, 0, 0, 0]), lit([0.5, -2, 1, 3])], params: {}, expected: 1.15625 },
    { label: 'hand-checked, δ = 2', args: [lit([0, 0]), lit([1, -4])], params: { delta: 2, reduction: 'none' }, expected: [0.5, 6] },
    ...pairSamples({ delta: 0.7 }, any, any),
  ],
  errors: [
    ...pairErrors('huber', nb.losses.huber),
    { label: 'delta ≤ 0', call: () => nb.losses.huber(nb.zeros([2]), nb.zeros([2]), { delta: 0 }), type: 'ValueError', message: /^huber: delta must be positive, got 0/ },
  ],
});

const bce = defineOp<LossParams>({
  name: 'losses.binaryCrossentropy',
  fn: ([y, p], o) => nb.losses.binaryCrossentropy(y!, p!, o),
  reference: elementwiseLoss((y, p, { fromLogits }) => {
    if (fromLogits) return Math.max(p, 0) - p * y + Math.log1p(Math.exp(-Math.abs(p)));
    const c = clip(p);
    return -(y * Math.log(c) + (1 - y) * Math.log(1 - c));
  }),
  grad: true,
  samples: [
    { label: 'hand-checked, probabilities', args: [lit([1, 0]), lit([0.8, 0.4])], params: {}, expected: 0.3669845875401002 },
    { label: 'hand-checked, probabilities 0 and 1 are clipped to [1e-7, 1 − 1e-7]', args: [lit([1, 0], 'float64'), lit([0, 1], 'float64')], params: { reduction: 'none' }, expected: [16.11809565095832, 16.118095651484676], grad: false },
    // gradient σ(x) − y, averaged over the 4 elements: finite at ±1000, and σ(0) = ½ at 0
    { label: 'hand-checked, logits ±1000 are stable', args: [lit([1, 0, 1, 0]), lit([1000, -1000, -1000, 1000])], params: { fromLogits: true }, expected: 500, expectedGrad: [null, [0, 0, -0.25, 0.25]] },
    { label: 'logit 0', args: [lit([1]), lit([0])], params: { fromLogits: true }, expected: 0.6931471805599453, expectedGrad: [null, [-0.5]] },
    ...pairSamples({}, label, prob),
    ...pairSamples({ fromLogits: true }, label, any).map((s) => ({ ...s, label: `from logits, ${s.label}` })),
  ],
  errors: pairErrors('binaryCrossentropy', nb.losses.binaryCrossentropy),
});

/** −Σ y·log p along the last axis, p = softmax(logits) or the renormalised, clipped probabilities. */
function categoricalRef(y: Nd, p: Nd, fromLogits: boolean | undefined): Nd {
  const logp = fromLogits
    ? alongAxis(p, -1, (s) => s.map((v) => v - logSumExpRef(s)))
    : alongAxis(p, -1, (s) => s.map((v) => Math.log(clip(v / s.reduce((a, b) => a + b, 0)))));
  return map(reduce(zip([y, logp], (a, b) => a * b), -1, false, (v) => v.reduce((s, x) => s + x, 0)), (v) => -v);
}

const ceErrors = (name: string, call: (y: Tensor, p: Tensor) => Tensor): ErrorCase => ({
  label: 'a scalar has no class axis', call: () => call(nb.tensor(1), nb.tensor(1)), type: 'ShapeError', message: new RegExp(`^${name}: yPred needs a class axis`),
});

const cce = defineOp<LossParams>({
  name: 'losses.categoricalCrossentropy',
  fn: ([y, p], o) => nb.losses.categoricalCrossentropy(y!, p!, o),
  reference: ([y, p], o) => reduced(categoricalRef(y!, p!, o.fromLogits), o.reduction),
  grad: true,
  samples: [
    { label: 'hand-checked, unnormalised probabilities', args: [lit([[0, 1, 0]]), lit([[1, 3, 1]])], params: {}, expected: 0.5108256237659907 },
    // ∂/∂logits = (softmax − y)/N, ∂/∂y = −log softmax / N
    {
      label: 'hand-checked, logits ±1000 are stable',
      args: [lit([[1, 0], [0, 1]]), lit([[1000, -1000], [1000, -1000]])], params: { fromLogits: true },
      expected: 1000, expectedGrad: [[[0, 1000], [0, 1000]], [[0, 0], [0.5, -0.5]]],
    },
    ...pairSamples({}, label, prob).filter((s) => !s.label.startsWith('scalar')),
    ...pairSamples({ fromLogits: true }, label, any).filter((s) => !s.label.startsWith('scalar')).map((s) => ({ ...s, label: `from logits, ${s.label}` })),
  ],
  errors: [...pairErrors('categoricalCrossentropy', nb.losses.categoricalCrossentropy), ceErrors('categoricalCrossentropy', nb.losses.categoricalCrossentropy)],
  skip: { scalar: 'a scalar has no class axis: that is a bad-input case' },
});

const scce = defineOp<LossParams>({
  name: 'losses.sparseCategoricalCrossentropy',
  fn: ([y, p], o) => nb.losses.sparseCategoricalCrossentropy(y!, p!, o),
  reference: ([y, p], o) => {
    const c = p!.shape[p!.shape.length - 1]!;
    const onehot: Nd = { shape: [...p!.shape], data: p!.data.map((_, k) => Number(y!.data[Math.floor(k / c)] === k % c)) };
    return reduced(categoricalRef(onehot, p!, o.fromLogits), o.reduction);
  },
  grad: true,
  samples: [
    { label: 'hand-checked, probabilities', args: [ints([1]), lit([[0.2, 0.6, 0.2]])], params: {}, expected: 0.5108256237659907 },
    { label: 'hand-checked, logits ±1000 are stable', args: [ints([0, 1]), lit([[1000, -1000], [1000, -1000]])], params: { fromLogits: true }, expected: 1000, expectedGrad: [null, [[0, 0], [0.5, -0.5]]] },
    { label: 'labels [N,1], sum', args: [ints([[2], [0]]), rnd([2, 3], prob)], params: { reduction: 'sum' } },
    { label: 'from logits, none', args: [ints([0, 2, 1]), rnd([3, 3])], params: { fromLogits: true, reduction: 'none' } },
    { label: 'one sample: scalar label, 1-D logits', args: [ints(1), rnd([3])], params: { fromLogits: true } },
    { label: 'size-1 class axis', args: [ints([0, 0]), rnd([2, 1], prob)], params: {} },
    { label: 'empty batch', args: [ints([]), rnd([0, 3])], params: { fromLogits: true, reduction: 'none' } },
    { label: 'transposed logits, strided labels', args: [{ base: ints([1, 0, 0, 0, 2, 0]).base, view: (t: Tensor) => t.slice('::2') }, transposed([3, 3])], params: { fromLogits: true } },
    { label: 'expanded probabilities, float64', args: [ints([2, 1]), expanded([2, 3], [3], { ...prob, dtype: 'float64' })], params: {} },
  ],
  errors: [
    { label: 'float labels', call: () => nb.losses.sparseCategoricalCrossentropy(nb.zeros([2]), nb.zeros([2, 3])), type: 'DTypeError', message: /^sparseCategoricalCrossentropy: yTrue must hold integer class labels \(int32\), got float32/ },
    {
      label: 'label out of range',
      call: () => nb.losses.sparseCategoricalCrossentropy(nb.tensor([3], { dtype: 'int32' }), nb.zeros([1, 3])),
      type: 'ValueError',
      message: /^sparseCategoricalCrossentropy: label 3 is out of range for 3 classes \(valid: 0\.\.2\)/,
    },
    {
      label: 'labels do not match predictions',
      call: () => nb.losses.sparseCategoricalCrossentropy(nb.tensor([0, 1, 2], { dtype: 'int32' }), nb.zeros([2, 3])),
      type: 'ShapeError',
      message: /^sparseCategoricalCrossentropy: labels of shape \[3\] do not match predictions \[2,3\]; expected labels of shape \[2\]/,
    },
    { label: 'scalar predictions', call: () => nb.losses.sparseCategoricalCrossentropy(nb.tensor(0, { dtype: 'int32' }), nb.tensor(1)), type: 'ShapeError', message: /^sparseCategoricalCrossentropy: yPred needs a class axis, got shape \[\]/ },
  ],
});

export const lossEntries: OpEntry[] = [mse, mae, huber, bce, cce, scce];
