import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import {
  Adagrad, Adam, AdamW, RMSprop, SGD, cosineDecay, getOptimizer, optimizerFromConfig, type Optimizer,
  Optimizer as OptimizerBase, type OptimizerOptions, type FloatArray,
} from '../../src/optim/index.js';
import { assertClose, param, setGrad, values } from './helpers.js';

test('getOptimizer: names in any case, options, instances, and unknown names', () => {
  assert.ok(getOptimizer('sgd') instanceof SGD);
  assert.ok(getOptimizer('Adam') instanceof Adam);
  assert.ok(getOptimizer('AdamW') instanceof AdamW);
  assert.ok(getOptimizer('RMSprop') instanceof RMSprop);
  assert.ok(getOptimizer('ADAGRAD') instanceof Adagrad);
  assert.ok(!(getOptimizer('adam') instanceof AdamW));
  const sgd = getOptimizer('sgd', { learningRate: 0.5, momentum: 0.9 });
  assert.equal(sgd.learningRate, 0.5);
  assert.equal(sgd.momentum, 0.9);
  const mine = new RMSprop();
  assert.equal(getOptimizer(mine), mine);
  assert.throws(
    () => getOptimizer('adamax'),
    {
      name: 'ValueError',
      message: "Unknown optimizer 'adamax'. Valid: sgd, adam, adamw, rmsprop, adagrad. Or pass an Optimizer instance.",
    },
  );
  assert.throws(() => getOptimizer('adamm'), /Unknown optimizer 'adamm'\. Valid: .*\. Did you mean 'adam' or 'adamw'\?/);
  assert.ok(getOptimizer('Adam_W') instanceof AdamW, 'snake_case and any case, as every name registry');
  assert.throws(() => getOptimizer('constructor'), /Unknown optimizer 'constructor'\./);
  assert.throws(() => getOptimizer('sgd', { lr: 0.1 } as never), /SGD: unknown option 'lr' \(did you mean 'learningRate'\?\)/);
  assert.throws(() => getOptimizer(mine, { learningRate: 1 }), /options apply only when creating an optimizer by name/);
});

test('Keras style: build(record) names parameters and makes named slots; applyGradients', () => {
  const w = param([1, 2]);
  const b = param([0]);
  const opt = new Adam({ learningRate: 0.1 });
  assert.equal(opt.built, false);
  opt.build({ 'dense.kernel': w, 'dense.bias': b });
  assert.equal(opt.built, true);
  const state = opt.getState();
  assert.deepEqual(Object.keys(state.slots), ['dense.kernel', 'dense.bias']);
  assert.deepEqual(Object.keys(state.slots['dense.kernel']!), ['m', 'v']);
  assert.ok(state.slots['dense.kernel']!['m'] instanceof Float64Array);
  assert.deepEqual(Array.from(state.slots['dense.kernel']!['m']!), [0, 0]);

  opt.applyGradients([[nb.tensor([1, -1], { dtype: 'float64' }), w], [null, b]]);
  assertClose(values(w), [0.9, 2.1], 1e-5);
  assert.deepEqual(values(b), [0]);
  assert.equal(opt.iterations, 1);

  // unregistered parameters are registered on first use, lazily
  const lazy = new SGD({ learningRate: 1 });
  const u = param([5]);
  lazy.applyGradients([[nb.tensor([2], { dtype: 'float64' }), u]]);
  assert.deepEqual(values(u), [3]);
  assert.deepEqual(lazy.namedParameters().map(([n]) => n), ['param_0']);
});

test('PyTorch style: list, [name, tensor] pairs; step() uses .grad; zeroGrad clears it', () => {
  const a = param([1]);
  const b = param([2]);
  const opt = new SGD([a, b], { learningRate: 0.5 });
  assert.deepEqual(opt.namedParameters().map(([n]) => n), ['param_0', 'param_1']);
  const named = new SGD([['x', a], ['y', b]] as [string, nb.Tensor][]);
  assert.deepEqual(named.namedParameters().map(([n]) => n), ['x', 'y']);
  const fromMap = new SGD(new Map([['x', a]]), { learningRate: 1 });
  assert.deepEqual(fromMap.namedParameters().map(([n]) => n), ['x']);

  setGrad(a, [1]); // b has no gradient: untouched
  opt.step();
  assert.deepEqual([values(a), values(b)], [[0.5], [2]]);
  opt.zeroGrad();
  assert.equal(a.grad, null);
  assert.equal(b.grad, null);

  // with a real backward pass
  const w = param([3, -1]);
  const o2 = new SGD([w], { learningRate: 0.25 });
  w.mul(w).sum().backward(); // grad 2w
  o2.step();
  o2.zeroGrad();
  assert.deepEqual(values(w), [1.5, -0.5]);
  assert.throws(() => new SGD({ learningRate: 0.1 } as never, { learningRate: 0.2 }), /options were given twice/);
  assert.throws(() => new SGD(a as never), /SGD: expected a list of parameters, got a single Tensor; wrap it in an array/);
});

test('frozen parameters are skipped and get no slots; unfreezing gives them slots', () => {
  const w = param([1, 1]);
  const frozen = param([5, 5]);
  frozen.requiresGrad = false;
  const opt = new Adam({ w, frozen }, { learningRate: 0.1 });
  assert.deepEqual(Object.keys(opt.getState().slots), ['w']);
  setGrad(w, [1, 1]);
  frozen.grad = nb.tensor([1, 1], { dtype: 'float64' }); // even with a stray gradient
  opt.step();
  assert.deepEqual(values(frozen), [5, 5]);
  opt.applyGradients([[nb.tensor([1, 1], { dtype: 'float64' }), frozen]]);
  assert.deepEqual(values(frozen), [5, 5]);
  assert.deepEqual(Object.keys(opt.getState().slots), ['w']);

  frozen.requiresGrad = true;
  opt.step();
  assert.notDeepEqual(values(frozen), [5, 5]);
  assert.deepEqual(Object.keys(opt.getState().slots), ['w', 'frozen']);
});

test('gradients that are views, of another dtype, or of the wrong shape', () => {
  const m = nb.zeros([3, 2], { dtype: 'float64', requiresGrad: true });
  const opt = new SGD([m], { learningRate: 1 });
  m.grad = nb.tensor([[1, 2, 3], [4, 5, 6]], { dtype: 'float64' }).transpose(); // [3,2], non-contiguous
  opt.step();
  assert.deepEqual(values(m), [-1, -4, -2, -5, -3, -6]);

  const e = param([0, 0, 0]);
  const o2 = new SGD([e], { learningRate: 1, clipValue: 0.5 });
  e.grad = nb.tensor([2], { dtype: 'float64' }).expand([3]); // stride 0
  o2.step();
  assert.deepEqual(values(e), [-0.5, -0.5, -0.5]);

  const f = param([0, 0]);
  const o3 = new SGD([f], { learningRate: 1 });
  setGrad(f, [0.5, 0.25], 'float32');
  o3.step();
  assert.deepEqual(values(f), [-0.5, -0.25]);
  f.grad = nb.tensor([1, 2, 3], { dtype: 'float64' });
  assert.throws(() => o3.step(), { name: 'ShapeError', message: /gradient of 'param_0' has shape \[3\] but the parameter has shape \[2\]/ });
});

test('build rejects what cannot be updated in place', () => {
  const opt = new SGD();
  assert.throws(() => opt.build([nb.tensor([1, 2], { dtype: 'int32' })]), /only float32\/float64 tensors can be optimized/);
  const base = nb.zeros([2, 3], { requiresGrad: true });
  assert.throws(() => opt.build([base.mul(2)]), /must be leaf tensors/);
  assert.throws(() => opt.build([base.detach().transpose()]), /non-contiguous view/);
  const x = param([1]);
  const y = param([2]);
  opt.build({ same: x });
  opt.build([['again', x]]); // a tensor given again keeps its first name
  assert.deepEqual(opt.namedParameters().map(([n]) => n), ['same']);
  assert.throws(() => opt.build([['same', y]]), /two different parameters are both named 'same'/);
});

function makeOptimizers(): Array<() => Optimizer> {
  return [
    () => new SGD({ learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
    () => new Adam({ learningRate: cosineDecay({ initialLearningRate: 0.01, decaySteps: 20, warmupTarget: 0.05, warmupSteps: 2 }), amsgrad: true }),
    () => new AdamW({ learningRate: 0.01, globalClipnorm: 1 }),
    () => new RMSprop({ learningRate: 0.01, momentum: 0.5, centered: true, clipNorm: 0.5 }),
    () => new Adagrad({ learningRate: 0.1, clipValue: 0.3 }),
  ];
}

function gradFor(step: number, k: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.sin(1 + step * 0.7 + k * 1.3 + i * 0.31) * (1 + i));
}

test('getState/setState: an optimizer restored mid-way ends bitwise equal to the original', () => {
  for (const make of makeOptimizers()) {
    const start = { w: [0.5, -1, 2, 0.25], b: [0.1, -0.2] };
    const pa = { w: param(start.w, 'float32'), b: param(start.b, 'float32') };
    const a = make();
    a.build(pa);
    const run = (opt: Optimizer, ps: { w: nb.Tensor; b: nb.Tensor }, step: number): void => {
      setGrad(ps.w, gradFor(step, 0, 4));
      setGrad(ps.b, gradFor(step, 1, 2));
      opt.step();
      opt.zeroGrad();
    };
    for (let s = 0; s < 3; s++) run(a, pa, s);

    const pb = { w: param(values(pa.w), 'float32'), b: param(values(pa.b), 'float32') };
    const b = make();
    b.build(pb);
    const saved = a.getState();
    b.setState(JSON.parse(JSON.stringify({ ...saved, slots: {} })) as typeof saved); // iterations/lr only…
    b.setState(saved); // …then everything
    assert.equal(b.iterations, 3);
    assert.equal(b.currentLearningRate(), a.currentLearningRate());
    for (let s = 3; s < 7; s++) {
      run(a, pa, s);
      run(b, pb, s);
    }
    assert.deepEqual(pb.w.storage, pa.w.storage, a.name);
    assert.deepEqual(pb.b.storage, pa.b.storage, a.name);
    assert.deepEqual(b.getState(), a.getState(), a.name);
    assert.equal(b.iterations, 7);
  }
});

test('getState returns copies; setState is validated before anything changes', () => {
  const w = param([1, 2]);
  const opt = new Adam({ w }, { learningRate: 0.1 });
  setGrad(w, [1, 1]);
  opt.step();
  const state = opt.getState();
  const m = state.slots['w']!['m']!;
  const kept = Array.from(m);
  m[0] = 99;
  assert.deepEqual(Array.from(opt.getState().slots['w']!['m']!), kept);

  const good = opt.getState();
  assert.throws(
    () => opt.setState({ ...good, slots: { ...good.slots, ghost: { m: new Float64Array(2), v: new Float64Array(2) } } }),
    { name: 'ValueError', message: /parameter 'ghost', which this optimizer does not know; its parameters are 'w'/ },
  );
  assert.throws(
    () => opt.setState({ ...good, iterations: 5, slots: { w: { m: new Float64Array(3), v: new Float64Array(2) } } }),
    { name: 'ShapeError', message: /slot 'm' of parameter 'w' has 3 elements, but the parameter \[2\] has 2/ },
  );
  assert.throws(() => opt.setState({ ...good, slots: { w: { m: new Float64Array(2) } } }), /parameter 'w' is missing slot 'v'/);
  assert.throws(
    () => opt.setState({ ...good, slots: { w: { ...good.slots['w']!, momentum: new Float64Array(2) } } }),
    /slot 'momentum' that Adam does not use/,
  );
  assert.throws(() => opt.setState({ ...good, iterations: -1 }), /iterations must be an integer >= 0/);
  assert.equal(opt.iterations, 1); // nothing changed by the failed calls
  assert.deepEqual(Array.from(opt.getState().slots['w']!['m']!), kept);

  assert.throws(() => new Adam().setState(good), /has no parameters yet; register them first with opt.build/);
});

test('getConfig is JSON and rebuilds the optimizer, schedule included', () => {
  for (const make of makeOptimizers()) {
    const opt = make();
    const json = JSON.parse(JSON.stringify(opt.getConfig()));
    assert.deepEqual(json, opt.getConfig());
    const copy = optimizerFromConfig(json);
    assert.equal(copy.constructor, opt.constructor);
    assert.deepEqual(copy.getConfig(), opt.getConfig());
  }
  const custom = new SGD({ learningRate: (step: number) => 1 / (1 + step) });
  assert.deepEqual(custom.getConfig().learningRate, { kind: 'custom' });
  assert.throws(() => optimizerFromConfig(custom.getConfig()), /custom function schedule cannot be rebuilt/);
});

test('a user-defined optimizer only declares slots and updateStep', () => {
  class SignSGD extends OptimizerBase {
    override readonly name = 'signsgd';
    constructor(params: nb.Tensor[], opts: OptimizerOptions = {}) {
      super('SignSGD', opts, 0.01);
      this.build(params);
    }
    protected override slotSpecs(): Record<string, number> {
      return { average: 0 };
    }
    override updateStep(w: FloatArray, g: FloatArray, slots: Record<string, FloatArray>, lr: number): void {
      const a = this.slot(slots, 'average');
      for (let i = 0; i < w.length; i++) {
        a[i] = 0.5 * a[i]! + 0.5 * g[i]!;
        w[i]! -= lr * Math.sign(a[i]!);
      }
    }
  }
  const w = param([0, 0]);
  const opt = new SignSGD([w], { learningRate: 0.1, clipValue: 1 });
  setGrad(w, [3, -0.2]);
  opt.step();
  setGrad(w, [-1.5, 0.1]);
  opt.step();
  // a1 = [0.5, −0.1] (3 clipped to 1); w1 = [−0.1, 0.1]
  // a2 = [0.5·0.5 + 0.5·(−1), −0.05 + 0.05] = [−0.25, 0] (−1.5 clipped to −1); w2 = [0, 0.1]
  assertClose(values(w), [0, 0.1]);
  assertClose(opt.getState().slots['param_0']!['average']!, [-0.25, 0]);
});
