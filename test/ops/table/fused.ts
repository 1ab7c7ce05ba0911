/** Op-table entries: the fused neural-network ops (crossEntropy, biasActivation, layerNorm). */
import * as nb from '../../../src/index.js';
import type { Tensor } from '../../../src/index.js';
import { bad, defineOp, expanded, ints, lit, offset, rnd, transposed, type OpEntry } from '../op-info.js';
import { alongAxis, erfRef, logSumExpRef, map, reduce, sigmoidRef, zip, type Nd } from '../ref.js';

interface CeParams {
  fromLogits?: boolean;
  smoothing?: number;
}

const CLIP = 1e-7;
const prob = { lo: 0.1, hi: 1 };

/** The per-row loss −Σ t·log q from an Nd of logits or probabilities and one of targets (rows of x's shape). */
function ceRef(x: Nd, t: Nd, { fromLogits = true, smoothing = 0 }: CeParams): Nd {
  const c = x.shape[x.shape.length - 1]!;
  const logq = fromLogits
    ? alongAxis(x, -1, (s) => s.map((v) => v - logSumExpRef(s)))
    : alongAxis(x, -1, (s) => s.map((v) => Math.log(Math.min(Math.max(v / s.reduce((a, b) => a + b, 0), CLIP), 1 - CLIP))));
  const ts = map(t, (v) => v * (1 - smoothing) + smoothing / c);
  return reduce(zip([ts, logq], (a, b) => -a * b), -1, false, (v) => v.reduce((s, q) => s + q, 0));
}

/** Integer labels as one-hot rows of `classes`. */
const oneHotNd = (labels: Nd, classes: number): Nd => ({
  shape: [...labels.shape, classes],
  data: Array.from({ length: labels.data.length * classes }, (_, k) => Number(labels.data[Math.floor(k / classes)] === k % classes)),
});

const crossEntropy = defineOp<CeParams>({
  name: 'crossEntropy',
  fn: ([x, t], o) => nb.crossEntropy(x!, t!, o),
  reference: ([x, t], o) => ceRef(x!, t!.dtype === 'int32' || t!.shape.length < x!.shape.length ? oneHotNd(t!, x!.shape[x!.shape.length - 1]!) : t!, o),
  grad: true,
  samples: [
    // log(e⁰ + e¹ + e²) − 1 and − 0; ∂/∂x = softmax − onehot
    {
      label: 'hand-checked labels from logits', args: [lit([[0, 1, 2], [0, 1, 2]], 'float64'), ints([1, 0])], params: {},
      expected: [1.4076059644443801, 2.40760596444438],
      expectedGrad: [[[0.09003057317038046, -0.7552715289452023, 0.6652409557748219], [-0.9099694268296195, 0.24472847105479767, 0.6652409557748219]], null],
    },
    { label: 'hand-checked probabilities, renormalised', args: [lit([[1, 3, 1]]), lit([[0, 1, 0]])], params: { fromLogits: false }, expected: [0.5108256237659907] },
    { label: 'smoothed labels', args: [rnd([3, 4]), ints([0, 3, 2])], params: { smoothing: 0.2 } },
    { label: 'soft targets, smoothed', args: [rnd([2, 3]), rnd([2, 3], prob)], params: { smoothing: 0.1 } },
    { label: 'probabilities, labels', args: [rnd([3, 3], prob), ints([2, 0, 1])], params: { fromLogits: false } },
    { label: 'probabilities, soft targets, smoothed, float64', args: [rnd([2, 3], { ...prob, dtype: 'float64' }), rnd([2, 3], { ...prob, seed: 2 })], params: { fromLogits: false, smoothing: 0.3 } },
    { label: 'one row: 1-D logits, scalar label', args: [rnd([3]), ints(2)], params: {} },
    { label: 'size-1 class axis', args: [rnd([2, 1]), ints([0, 0])], params: {} },
    { label: 'empty batch', args: [rnd([0, 3]), ints([])], params: {} },
    { label: 'transposed logits, 3-D', args: [transposed([2, 2, 3]), ints([[0, 1], [2, 0]])], params: {} },
    { label: 'expanded logits, offset targets', args: [expanded([2, 3], [3]), offset([2, 3], prob)], params: {} },
  ],
  errors: [
    { label: 'label out of range', call: () => nb.crossEntropy(nb.zeros([1, 3]), nb.tensor([3], { dtype: 'int32' })), type: 'ValueError', message: /^crossEntropy: label 3 is out of range for 3 classes/ },
    { label: 'labels of the wrong shape', call: () => nb.crossEntropy(nb.zeros([2, 3]), nb.tensor([0], { dtype: 'int32' })), type: 'ShapeError', message: /^crossEntropy: labels of shape \[1\] do not match x \[2,3\]; expected \[2\]/ },
    { label: 'targets of the wrong shape', call: () => nb.crossEntropy(nb.zeros([2, 3]), nb.zeros([2, 2])), type: 'ShapeError', message: /^crossEntropy: targets \[2,2\] must have the shape of x \[2,3\]/ },
    { label: 'scalar x', call: () => nb.crossEntropy(nb.tensor(1), nb.tensor(0, { dtype: 'int32' })), type: 'ShapeError', message: /^crossEntropy: x needs a class axis, got a scalar/ },
    { label: 'int x', call: () => nb.crossEntropy(nb.zeros([1, 2], { dtype: 'int32' }), nb.zeros([1, 2])), type: 'DTypeError', message: /^crossEntropy: x must be a float tensor, got int32/ },
    { label: 'smoothing above 1', call: () => nb.crossEntropy(nb.zeros([1, 2]), nb.zeros([1, 2]), { smoothing: 2 }), type: 'ValueError', message: /^crossEntropy: smoothing must be a number in \[0, 1\], got 2/ },
  ],
});

const ACTS = {
  linear: (z: number) => z,
  relu: (z: number) => Math.max(z, 0),
  sigmoid: sigmoidRef,
  tanh: Math.tanh,
  gelu: (z: number) => 0.5 * z * (1 + erfRef(z / Math.SQRT2)),
} as const;
type Act = keyof typeof ACTS;

const biasActivation = defineOp<{ act: Act }>({
  name: 'biasActivation',
  // samples with one argument run without a bias: the activation alone
  fn: ([y, b], { act }) => nb.biasActivation(y!, b ?? null, act),
  reference: ([y, b], { act }) => (b ? zip([y!, b], (u, v) => ACTS[act](u + v)) : zip([y!], (u) => ACTS[act](u))),
  grad: true,
  samples: [
    // relu(y + b); ∂/∂y = [y + b > 0], ∂/∂b = column sums of that
    { label: 'hand-checked relu', args: [lit([[-1, 2], [3, -4]]), lit([0.5, 1])], params: { act: 'relu' }, expected: [[0, 3], [3.5, 0]], expectedGrad: [[[0, 1], [1, 0]], [1, 1]] },
    ...(['linear', 'relu', 'sigmoid', 'tanh', 'gelu'] as const).flatMap((act) => [
      { label: `${act}, 3-D`, args: [rnd([2, 3, 4], { lo: -3, hi: 3 }), rnd([4], { seed: 1 })], params: { act } },
      { label: `${act}, transposed y, float64`, args: [transposed([3, 2], { lo: -3, hi: 3, dtype: 'float64' }), rnd([2], { seed: 1, dtype: 'float64' })], params: { act } },
    ]),
    { label: 'size-1 rows', args: [rnd([1, 3]), rnd([3], { seed: 1 })], params: { act: 'sigmoid' } },
    { label: 'empty', args: [rnd([0, 3]), rnd([3], { seed: 1 })], params: { act: 'gelu' } },
    { label: 'expanded bias', args: [rnd([2, 3]), expanded([3], [1], { seed: 1 })], params: { act: 'tanh' } },
    // no bias: gelu(z) = z·Φ(z): gelu(1) = 0.841345, gelu(−1) = −0.158655, gelu(2) = 1.954500;
    // d/dz = Φ(z) + z·φ(z): 1.083315 at 1, −0.083315 at −1, 0.5 at 0, 1.085232 at 2
    { label: 'no bias, hand-checked gelu', args: [lit([[1, -1], [0, 2]])], params: { act: 'gelu' }, expected: [[0.841345, -0.158655], [0, 1.9545]], expectedGrad: [[[1.083315, -0.083315], [0.5, 1.085232]]] },
    ...(['relu', 'sigmoid', 'tanh', 'gelu'] as const).flatMap((act) => [
      { label: `no bias, ${act}, 3-D`, args: [rnd([2, 3, 4], { lo: -3, hi: 3 })], params: { act } },
      { label: `no bias, ${act}, transposed y, float64`, args: [transposed([3, 2], { lo: -3, hi: 3, dtype: 'float64' })], params: { act } },
    ]),
    { label: 'no bias, expanded y', args: [expanded([2, 3], [1, 3], { lo: -3, hi: 3 })], params: { act: 'gelu' } },
  ],
  errors: [
    { label: 'bias of the wrong size', call: () => nb.biasActivation(nb.zeros([2, 3]), nb.zeros([2]), 'relu'), type: 'ShapeError', message: /^biasActivation: bias \[2\] must be \[C\] for y \[2,3\]/ },
    { label: 'unknown activation', call: () => nb.biasActivation(nb.zeros([2, 3]), nb.zeros([3]), bad('swish')), type: 'ValueError', message: /^biasActivation: unknown activation 'swish'/ },
    { label: 'not a tensor', call: () => nb.biasActivation(bad<Tensor>(null), nb.zeros([3]), 'relu'), type: 'DTypeError', message: /^biasActivation: expected y to be a Tensor/ },
    { label: 'scalar y without a bias', call: () => nb.biasActivation(nb.tensor(1), null, 'gelu'), type: 'ShapeError', message: /^biasActivation: y needs at least 1 dim, got a scalar/ },
  ],
  skip: { scalar: 'y needs a last axis for the bias (a scalar y is a bad-input case)' },
});

function layerNormRef(x: Nd, gamma: Nd | undefined, beta: Nd | undefined, eps: number): Nd {
  const c = x.shape[x.shape.length - 1]!;
  return alongAxis(x, -1, (s) => {
    const mu = s.reduce((a, b) => a + b, 0) / c;
    const v = s.reduce((a, b) => a + (b - mu) ** 2, 0) / c;
    return s.map((x0, j) => ((x0 - mu) / Math.sqrt(v + eps)) * (gamma ? gamma.data[j]! : 1) + (beta ? beta.data[j]! : 0));
  });
}

const layerNorm = defineOp<{ eps?: number; parts: 'both' | 'none' | 'gamma' }>({
  name: 'layerNorm',
  fn: ([x, g, b], { eps, parts }) => nb.layerNorm(x!, parts === 'none' ? null : g!, parts === 'both' ? b! : null, eps),
  reference: ([x, g, b], { eps = 1e-5, parts }) => layerNormRef(x!, parts === 'none' ? undefined : g, parts === 'both' ? b : undefined, eps),
  grad: true,
  samples: [
    // [1, 3]: μ 2, σ² 2/3 → ±√1.5 (ε = 0); ∂Σout/∂x = 0 without gamma
    { label: 'hand-checked, no gamma or beta', args: [lit([[1, 2, 3]], 'float64')], params: { eps: 1e-12, parts: 'none' }, expected: [[-1.2247448713915872, 0, 1.2247448713915872]], expectedGrad: [[[0, 0, 0]]] },
    { label: 'gamma and beta, 3-D', args: [rnd([2, 3, 5], { lo: -3, hi: 3 }), rnd([5], { seed: 1 }), rnd([5], { seed: 2 })], params: { parts: 'both' } },
    { label: 'gamma only, eps 1e-3, float64', args: [rnd([4, 6], { dtype: 'float64' }), rnd([6], { seed: 1, dtype: 'float64' })], params: { eps: 1e-3, parts: 'gamma' } },
    { label: 'size-1 rows', args: [rnd([1, 4]), rnd([4], { seed: 1 }), rnd([4], { seed: 2 })], params: { parts: 'both' } },
    { label: 'empty', args: [rnd([0, 4]), rnd([4], { seed: 1 }), rnd([4], { seed: 2 })], params: { parts: 'both' } },
    { label: 'transposed x, expanded beta', args: [transposed([3, 4]), rnd([4], { seed: 1 }), expanded([4], [1], { seed: 2 })], params: { parts: 'both' } },
  ],
  errors: [
    { label: 'gamma of the wrong size', call: () => nb.layerNorm(nb.zeros([2, 3]), nb.zeros([2]), null), type: 'ShapeError', message: /^layerNorm: gamma \[2\] must be \[3\] for x \[2,3\]/ },
    { label: 'non-positive epsilon', call: () => nb.layerNorm(nb.zeros([2, 3]), null, null, 0), type: 'ValueError', message: /^layerNorm: epsilon must be positive, got 0/ },
    { label: 'scalar x', call: () => nb.layerNorm(nb.tensor(1), null, null), type: 'ShapeError', message: /^layerNorm: x needs at least 1 dim, got a scalar/ },
  ],
  skip: { scalar: 'x needs a last axis to normalise (a bad-input case)' },
});

export const fusedEntries: OpEntry[] = [crossEntropy, biasActivation, layerNorm];
