import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SGD, constant, cosineDecay, exponentialDecay, scheduleFromConfig, stepDecay, warmupCosine, warmupOf } from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

test('constant', () => {
  const s = constant(0.3);
  assert.deepEqual([s(0), s(1), s(1000)], [0.3, 0.3, 0.3]);
});

test('exponentialDecay: lr0·rate^(step/decaySteps), smooth and staircase', () => {
  const s = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5 });
  assertClose([s(0), s(5), s(10), s(25)], [0.1, 0.1 * Math.SQRT1_2, 0.05, 0.1 * Math.pow(0.5, 2.5)]);
  const st = exponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.5, staircase: true });
  assertClose([st(0), st(9), st(10), st(19), st(20)], [0.1, 0.1, 0.05, 0.05, 0.025]);
});

test('cosineDecay without warmup: lr0·((1−α)·½(1+cos(π·min(step, D)/D)) + α)', () => {
  const s = cosineDecay({ initialLearningRate: 1, decaySteps: 10 });
  assertClose([s(0), s(2), s(5), s(10), s(20)], [1, 0.5 * (1 + Math.cos(0.2 * Math.PI)), 0.5, 0, 0]);
  const a = cosineDecay({ initialLearningRate: 2, decaySteps: 10, alpha: 0.1 });
  // s(5) = 2·(0.9·0.5 + 0.1); floor 2·0.1 from step 10 on
  assertClose([a(0), a(5), a(10), a(50)], [2, 1.1, 0.2, 0.2]);
});

test('cosineDecay with linear warmup to warmupTarget, then cosine from it (Keras semantics)', () => {
  const s = cosineDecay({ initialLearningRate: 0, warmupTarget: 0.1, warmupSteps: 10, decaySteps: 90 });
  assertClose([s(0), s(1), s(5), s(10)], [0, 0.01, 0.05, 0.1]);
  // after warmup: cosine over 90 steps starting at 0.1; half-way is step 55
  assertClose([s(55), s(100), s(500)], [0.05, 0, 0]);
  assertClose([s(40)], [0.1 * 0.5 * (1 + Math.cos((Math.PI * 30) / 90))]);

  const t = cosineDecay({ initialLearningRate: 0.01, warmupTarget: 0.1, warmupSteps: 4, decaySteps: 8, alpha: 0.2 });
  // warmup from 0.01: 0.01 + 0.09·step/4
  assertClose([t(1), t(3)], [0.0325, 0.0775]);
  // end of the cosine: the floor is α·warmupTarget
  assertClose([t(4), t(8), t(12), t(99)], [0.1, 0.1 * (0.8 * 0.5 + 0.2), 0.02, 0.02]);
});

test('stepDecay: lr0·γ^⌊step/stepSize⌋', () => {
  const s = stepDecay({ initialLearningRate: 0.1, stepSize: 30, gamma: 0.1 });
  assertClose([s(0), s(29), s(30), s(59), s(65)], [0.1, 0.1, 0.01, 0.01, 0.001]);
  assert.equal(stepDecay({ initialLearningRate: 1, stepSize: 2 })(2), 0.1); // default γ = 0.1
});

test('warmupCosine follows nanoGPT: warm-up P·(step+1)/(W+1), half cosine to the floor at D, then the floor', () => {
  const s = warmupCosine({ peakLearningRate: 1e-3, minLearningRate: 1e-4, warmupSteps: 100, decayEndStep: 2000 });
  assert.equal(s(0), 1e-3 / 101);
  assert.equal(s(99), (1e-3 * 100) / 101);
  assert.ok(Math.abs(s(100) - 1e-3) < 1e-15);
  // half-way down: (1e-3 + 1e-4) / 2
  assert.ok(Math.abs(s(1050) - 5.5e-4) < 1e-12);
  assert.equal(s(2000), 1e-4);
  assert.equal(s(5000), 1e-4);
  // a decay that ends before the warm-up does: the warm-up, then the floor
  const short = warmupCosine({ peakLearningRate: 1, minLearningRate: 0.5, warmupSteps: 4, decayEndStep: 2 });
  assert.deepEqual([short(0), short(3), short(4)], [0.2, 0.8, 0.5]);
  assert.deepEqual(warmupOf(s), { steps: 100, target: 1e-3 });
  assert.equal(warmupOf(warmupCosine({ peakLearningRate: 1, minLearningRate: 0, warmupSteps: 0, decayEndStep: 9 })), null);
  assert.throws(() => warmupCosine({ peakLearningRate: 1e-3, minLearningRate: 1e-2, warmupSteps: 1, decayEndStep: 9 }), /warmupCosine: minLearningRate must be a number in \[0, 0.001\], got 0.01/);
});

test('schedules validate their options and rebuild from their config', () => {
  assert.throws(() => cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupSteps: 5 }), /warmupSteps \(5\) needs warmupTarget/);
  assert.throws(() => exponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 }), /decaySteps must be a number > 0, got 0/);
  assert.throws(() => stepDecay({ initialLearningRate: 0.1, stepSize: 1.5 }), /stepSize must be an integer >= 1/);
  assert.throws(() => constant(0.1)(-1), /step must be a number >= 0/);
  const all = [
    constant(0.2),
    exponentialDecay({ initialLearningRate: 0.1, decaySteps: 7, decayRate: 0.3, staircase: true }),
    cosineDecay({ initialLearningRate: 0.1, decaySteps: 9, alpha: 0.1 }),
    cosineDecay({ initialLearningRate: 0, decaySteps: 9, warmupTarget: 1, warmupSteps: 3 }),
    stepDecay({ initialLearningRate: 0.5, stepSize: 4, gamma: 0.5 }),
    warmupCosine({ peakLearningRate: 0.5, minLearningRate: 0.05, warmupSteps: 3, decayEndStep: 20 }),
  ];
  for (const s of all) {
    const copy = scheduleFromConfig(JSON.parse(JSON.stringify(s.getConfig())));
    assert.deepEqual(copy.getConfig(), s.getConfig());
    for (const step of [0, 1, 4, 8, 13, 30]) assert.equal(copy(step), s(step));
  }
});

test('an optimizer evaluates its schedule at `iterations`; setting a number replaces it', () => {
  const w = param([0]);
  const opt = new SGD([w], { learningRate: stepDecay({ initialLearningRate: 1, stepSize: 1, gamma: 0.5 }) });
  assert.equal(opt.currentLearningRate(), 1);
  setGrad(w, [1]);
  opt.step(); // lr 1
  assert.equal(opt.learningRate, 0.5);
  opt.step(); // lr 0.5 (the same .grad is used again)
  assertClose(values(w), [-1.5]);
  assert.equal(opt.currentLearningRate(), 0.25);
  assert.ok(opt.learningRateSchedule !== null);
  opt.learningRate = 0.1;
  assert.equal(opt.learningRateSchedule, null);
  opt.step();
  assertClose(values(w), [-1.6]);
  assert.equal(opt.learningRate, 0.1);
  // a schedule may also be set, and a broken one is reported
  opt.learningRate = () => Number.NaN;
  assert.throws(() => opt.step(), /the learning-rate schedule returned NaN at step 3/);
});
