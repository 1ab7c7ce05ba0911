/**
 * The optimizers' one-pass kernels (Backend.adamUpdate / sgdUpdate) against the update written
 * as tensor ops (the composite form, computed in float64), on the JS and the native backend, in
 * float32 and float64, over three steps.
 */
import { after, describe, test } from 'node:test';
import * as nb from '../../src/index.js';
import { backend, jsBackend, nativeBackend, setBackend, type Backend } from '../../src/backend/index.js';
import { Adam, AdamW, SGD } from '../../src/optim/index.js';
import { assertClose } from './helpers.js';

const original = backend();
after(() => setBackend(original));
const native = nativeBackend({ minElements: 0, minGemm: 0 });
const BACKENDS: Backend[] = [jsBackend, ...(native ? [native] : [])];

const N = 50;
const start = (seed: number) => Array.from({ length: N }, (_, i) => Math.sin(i * 1.7 + seed) * 2);
const gradAt = (step: number) => Array.from({ length: N }, (_, i) => Math.cos(i * 0.9 + step * 2.3) * (i % 3 === 0 ? 5 : 0.3));
const t64 = (v: number[]) => nb.tensor(v, { dtype: 'float64' });

interface AdamCfg { lr: number; b1: number; b2: number; eps: number; amsgrad: boolean; decay: number }

/** Three Adam/AdamW steps as float64 tensor ops. */
function adamComposite(c: AdamCfg): number[] {
  let w = t64(start(1));
  let m = nb.zeros([N], { dtype: 'float64' });
  let v = nb.zeros([N], { dtype: 'float64' });
  let vHat = nb.zeros([N], { dtype: 'float64' });
  for (let t = 1; t <= 3; t++) {
    const g = t64(gradAt(t));
    if (c.decay) w = nb.sub(w, nb.mul(w, c.lr * c.decay));
    m = nb.add(nb.mul(m, c.b1), nb.mul(g, 1 - c.b1));
    v = nb.add(nb.mul(v, c.b2), nb.mul(nb.mul(g, g), 1 - c.b2));
    vHat = nb.maximum(vHat, v);
    const lrT = (c.lr * Math.sqrt(1 - c.b2 ** t)) / (1 - c.b1 ** t);
    w = nb.sub(w, nb.div(nb.mul(m, lrT), nb.add(nb.sqrt(c.amsgrad ? vHat : v), c.eps)));
  }
  return Array.from(w.data());
}

interface SgdCfg { lr: number; momentum: number; nesterov: boolean; weightDecay: number }

function sgdComposite(c: SgdCfg): number[] {
  let w = t64(start(1));
  let vel = nb.zeros([N], { dtype: 'float64' });
  for (let t = 1; t <= 3; t++) {
    const g = nb.add(t64(gradAt(t)), nb.mul(w, c.weightDecay));
    if (c.momentum === 0) {
      w = nb.sub(w, nb.mul(g, c.lr));
      continue;
    }
    vel = nb.sub(nb.mul(vel, c.momentum), nb.mul(g, c.lr));
    w = c.nesterov ? nb.add(w, nb.sub(nb.mul(vel, c.momentum), nb.mul(g, c.lr))) : nb.add(w, vel);
  }
  return Array.from(w.data());
}

function runFused(make: (w: nb.Tensor) => { step(): void }, dtype: nb.DType): number[] {
  const w = nb.tensor(start(1), { dtype, requiresGrad: true });
  const opt = make(w);
  for (let t = 1; t <= 3; t++) {
    w.grad = nb.tensor(gradAt(t), { dtype });
    opt.step();
  }
  return Array.from(w.data());
}

for (const b of BACKENDS) {
  describe(`fused optimizer updates match the tensor-op form (${b.name} backend)`, () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const tol = dtype === 'float32' ? 2e-6 : 1e-12;
      test(`Adam, AMSGrad and AdamW, ${dtype}`, () => {
        setBackend(b);
        const base = { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-7 };
        const cases: [string, AdamCfg, (w: nb.Tensor) => { step(): void }][] = [
          ['adam', { ...base, amsgrad: false, decay: 0 }, (w) => new Adam([w], { learningRate: base.lr })],
          ['amsgrad', { ...base, amsgrad: true, decay: 0 }, (w) => new Adam([w], { learningRate: base.lr, amsgrad: true })],
          ['adamw', { ...base, amsgrad: false, decay: 0.05 }, (w) => new AdamW([w], { learningRate: base.lr, weightDecay: 0.05 })],
          ['adamw + amsgrad', { ...base, amsgrad: true, decay: 0.05 }, (w) => new AdamW([w], { learningRate: base.lr, weightDecay: 0.05, amsgrad: true })],
        ];
        for (const [what, cfg, make] of cases) assertClose(runFused(make, dtype), adamComposite(cfg), tol, what);
        setBackend(original);
      });
      test(`SGD: plain, weight decay, momentum, Nesterov, ${dtype}`, () => {
        setBackend(b);
        const cases: SgdCfg[] = [
          { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 },
          { lr: 0.1, momentum: 0, nesterov: false, weightDecay: 0.01 },
          { lr: 0.1, momentum: 0.9, nesterov: false, weightDecay: 0.01 },
          { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0 },
        ];
        for (const c of cases) {
          const got = runFused((w) => new SGD([w], { learningRate: c.lr, momentum: c.momentum, nesterov: c.nesterov, weightDecay: c.weightDecay }), dtype);
          assertClose(got, sgdComposite(c), tol, JSON.stringify(c));
        }
        setBackend(original);
      });
    }
  });
}
