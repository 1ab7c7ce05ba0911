// The trainer behind fit: one CallbackList, the optimizer built once per fit (and again when the
// trained weights change), the phases of trainStep and the gradient hooks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { mlp, quiet, toyData } from './helpers.js';

type Batch = [nb.Tensor, nb.Tensor];

function weightsOf(model: nb.Layer): Record<string, number[]> {
  return Object.fromEntries(Object.entries(model.stateDict()).map(([k, t]) => [k, Array.from(t.data())]));
}

/** Counts the calls of `opt.build`. */
function countBuilds(opt: nb.optim.Optimizer): { count: number } {
  const counter = { count: 0 };
  const build = opt.build.bind(opt);
  opt.build = (params) => {
    counter.count++;
    build(params);
  };
  return counter;
}

test('fit calls one CallbackList: the user callbacks, then the checkpointer, the progress bar and History', async () => {
  const { x, y } = toyData(40);
  nb.manualSeed(1);
  const model = mlp();
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  const events: string[] = [];
  const stream = { write: (s: string) => void events.push(`print ${s.trim()}`), isTTY: false };
  // changes the logs and the weights at the end of each epoch, before fit's own callbacks
  const user: nb.callbacks.Callback = {
    onEpochEnd: (epoch, logs) => {
      logs.extra = epoch + 0.5;
      model.loadStateDict({ ...model.stateDict(), 'layers.1.bias': nb.full([3], epoch + 7) });
      events.push(`user ${epoch}`);
    },
  };
  const dir = join(mkdtempSync(join(tmpdir(), 'nabla-trainer-')), 'ckpt');
  const history = await model.fit(x, y, { epochs: 2, batchSize: 20, verbose: 2, stream, seed: 3, callbacks: [user], checkpointDir: dir });
  assert.equal(events.length, 4);
  assert.equal(events[0], 'user 0');
  assert.match(events[1]!, /^print Epoch 1\/2 - 2\/2 - \d+s \S+\/step - loss: \d\.\d{4} - extra: 0\.5000$/);
  assert.equal(events[2], 'user 1');
  assert.match(events[3]!, /extra: 1\.5000$/);
  assert.deepEqual(history.history.extra, [0.5, 1.5], 'History records the logs as the callbacks left them');
  // the checkpoint of the last epoch holds the weights the user's onEpochEnd wrote
  const fresh = mlp();
  fresh.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  fresh.apply(x);
  const info = nb.io.loadCheckpoint(dir, { model: fresh });
  assert.equal(info.epoch, 2);
  assert.deepEqual(Array.from(fresh.stateDict()['layers.1.bias']!.data()), [8, 8, 8]);
});

test('the optimizer is built once per fit for a model that makes its weights on the first batch', async () => {
  const { x, y } = toyData(64);
  nb.manualSeed(2);
  const model = mlp();
  const opt = new nb.optim.Adam({ learningRate: 0.01 });
  const builds = countBuilds(opt);
  model.compile({ optimizer: opt, loss: 'sparseCategoricalCrossentropy' });
  assert.equal(model.built, false);
  const first = await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
  assert.equal(builds.count, 1, '12 steps, one walk of the layer tree');
  assert.deepEqual(Object.keys(opt.getState().slots), ['layers.0.kernel', 'layers.0.bias', 'layers.1.kernel', 'layers.1.bias']);
  assert.equal(opt.iterations, 12);
  assert.ok(first.history.loss![2]! < first.history.loss![0]!, `the lazily built model trains: ${first.history.loss}`);
  await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
  assert.equal(builds.count, 2, 'once more for the second fit');
});

test('a layer unfrozen by a callback in the middle of fit starts training; one frozen stops', async () => {
  const { x, y } = toyData(48);
  nb.manualSeed(3);
  const model = mlp();
  const [body, head] = model.layers as [nb.Layer, nb.Layer];
  body.trainable = false;
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy' });
  const snapshots: Record<string, number[]>[] = [];
  const switcher: nb.callbacks.Callback = {
    onEpochBegin: (epoch) => {
      if (epoch === 2) body.trainable = true;
      if (epoch === 4) head.trainable = false;
    },
    onEpochEnd: () => void snapshots.push(weightsOf(model)),
  };
  await model.fit(x, y, { epochs: 6, batchSize: 16, verbose: 0, callbacks: [switcher] });
  const moved = (key: string, epoch: number) => snapshots[epoch]![key]!.some((v, i) => v !== snapshots[epoch - 1]![key]![i]);
  assert.deepEqual([1, 2, 3, 4, 5].map((e) => moved('layers.0.kernel', e)), [false, true, true, true, true], 'the body trains from epoch 2');
  assert.deepEqual([1, 2, 3, 4, 5].map((e) => moved('layers.1.kernel', e)), [true, true, true, false, false], 'the head stops at epoch 4');
});

test('gradientHooks run between backward and the step: ×0 leaves the weights, ×2 is twice the learning rate', async () => {
  const { x, y } = toyData(40);
  const train = async (lr: number, hook: nb.GradientHook | null) => {
    nb.manualSeed(4);
    const model = mlp();
    model.apply(x);
    model.compile({ optimizer: new nb.optim.SGD({ learningRate: lr }), loss: 'sparseCategoricalCrossentropy' });
    if (hook) model.gradientHooks.push(hook);
    const before = weightsOf(model);
    await model.fit(x, y, { epochs: 2, batchSize: 10, verbose: 0, seed: 5 });
    return { before, after: weightsOf(model) };
  };
  const seen: string[][] = [];
  const zero = await train(0.1, (params) => {
    seen.push(params.map(([name]) => name));
    for (const [, p] of params) if (p.grad) p.grad = nb.mul(p.grad, 0);
  });
  assert.equal(seen.length, 8, 'once per batch');
  assert.deepEqual(seen[0], ['layers.0.kernel', 'layers.0.bias', 'layers.1.kernel', 'layers.1.bias']);
  assert.deepEqual(zero.after, zero.before);
  const doubled = await train(0.1, (params) => {
    for (const [, p] of params) if (p.grad) p.grad = nb.mul(p.grad, 2);
  });
  const plain = await train(0.2, null);
  assert.notDeepEqual(plain.after, plain.before);
  assert.deepEqual(doubled.after, plain.after);
});

/**
 * computeGradients replaced by per-example gradients, each clipped to `clip` and averaged: the
 * step DP-SGD takes before its noise.
 */
class PerExampleClipped extends nb.Sequential {
  calls = 0;
  constructor(layers: nb.Layer[], private readonly clip: number) {
    super(layers);
  }

  override computeGradients([x, y]: Batch): nb.GradientResult {
    this.calls++;
    const n = x.shape[0]!;
    const losses: nb.Tensor[] = [];
    const preds: nb.Tensor[] = [];
    let sums: nb.Tensor[] | null = null;
    for (let i = 0; i < n; i++) {
      const { loss, yPred } = this.forwardLoss([x.slice([[i, i + 1]]), y.slice([[i, i + 1]])]);
      const params = this.trainedParameters().map(([, p]) => p);
      const grads = nb.gradients(loss, params);
      const norm = Math.sqrt(grads.reduce((s, g) => s + nb.sum(nb.mul(g, g)).item(), 0));
      const scale = Math.min(1, this.clip / norm);
      const clipped = grads.map((g) => nb.mul(g, scale));
      sums = sums === null ? clipped : sums.map((s, k) => nb.add(s, clipped[k]!));
      losses.push(loss.detach());
      preds.push(yPred.detach());
    }
    this.trainedParameters().forEach(([, p], k) => void (p.grad = nb.div(sums![k]!, n)));
    return { loss: nb.mean(nb.stack(losses)), yPred: nb.concat(preds, 0) };
  }
}

test('computeGradients can be replaced: per-example clipped gradients, called once per batch', async () => {
  const { x, y } = toyData(24);
  const run = async (clip: number | null) => {
    nb.manualSeed(6);
    const layers = [new nb.layers.Dense(8, { activation: 'relu' }), new nb.layers.Dense(3, { activation: 'softmax' })];
    const model = clip === null ? new nb.Sequential(layers) : new PerExampleClipped(layers, clip);
    model.apply(x);
    model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const before = weightsOf(model);
    const history = await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, seed: 7 });
    return { model, before, after: weightsOf(model), history };
  };
  // unclipped, the mean of the per-example gradients is the batch gradient: plain fit's run
  const plain = await run(null);
  const loose = await run(1e9);
  assert.equal((loose.model as PerExampleClipped).calls, 3);
  for (const [k, w] of Object.entries(plain.after)) w.forEach((v, i) => assert.ok(Math.abs(v - loose.after[k]![i]!) < 1e-5, `${k}[${i}]`));
  assert.ok(Math.abs(plain.history.history.loss![0]! - loose.history.history.loss![0]!) < 1e-5);
  assert.equal(plain.history.history.accuracy![0], loose.history.history.accuracy![0]);
  // clipped to 1e-3, no step moves the weights further than lr · 1e-3
  const tight = await run(1e-3);
  assert.equal((tight.model as PerExampleClipped).calls, 3);
  const moved = Math.sqrt(Object.keys(tight.after).reduce((s, k) => s + tight.after[k]!.reduce((a, v, i) => a + (v - tight.before[k]![i]!) ** 2, 0), 0));
  assert.ok(moved > 0 && moved <= 3 * 0.5 * 1e-3 * (1 + 1e-5), `moved ${moved}`);
});
