import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { quiet, toyData } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'nabla-resume-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A model that uses every piece of state a resume must restore: weights, moving statistics, dropout's generator, Adam's slots and step. */
function makeModel(): nb.Sequential {
  const model = new nb.Sequential([
    new nb.layers.Dense(16, { activation: 'relu' }),
    new nb.layers.BatchNormalization(),
    new nb.layers.Dropout(0.2),
    new nb.layers.Dense(3, { activation: 'softmax' }),
  ]);
  const schedule = nb.optim.exponentialDecay({ initialLearningRate: 0.02, decaySteps: 10, decayRate: 0.9 });
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: schedule }), loss: 'sparseCategoricalCrossentropy' });
  return model;
}

function weightsOf(model: nb.Layer): Map<string, Float32Array> {
  return new Map(model.namedWeights().map(([k, t]) => [k, t.data() as Float32Array]));
}

function assertBitwiseEqual(a: nb.Layer, b: nb.Layer): void {
  const [wa, wb] = [weightsOf(a), weightsOf(b)];
  assert.deepEqual([...wb.keys()], [...wa.keys()]);
  for (const [k, v] of wa) {
    const u = wb.get(k)!;
    const same = v.length === u.length && v.every((x, i) => Object.is(x, u[i]));
    assert.ok(same, `weight '${k}' differs`);
  }
}

const { x, y } = toyData(200, 4);
const fitOpts = { batchSize: 16, verbose: 0 as const, stream: quiet };

test('2 epochs, a restart (fresh model and optimizer), then 2 more equal 4 epochs straight, bitwise', async () => {
  nb.manualSeed(1);
  const straight = makeModel();
  const straightHistory = await straight.fit(x, y, { ...fitOpts, epochs: 4 });

  const dir = join(root, 'run');
  nb.manualSeed(1);
  const first = makeModel();
  const h1 = await first.fit(x, y, { ...fitOpts, epochs: 2, checkpointDir: dir });
  assert.deepEqual(h1.epoch, [0, 1]);

  // a new process: other random state, new objects; the same call resumes from epoch 2
  nb.manualSeed(12345);
  const resumed = makeModel();
  const h2 = await resumed.fit(x, y, { ...fitOpts, epochs: 4, checkpointDir: dir });
  // the History of the whole run, as the uninterrupted fit returns it
  assert.deepEqual(h2.epoch, [0, 1, 2, 3]);
  assert.deepEqual(h2.history, straightHistory.history);
  assertBitwiseEqual(straight, resumed);
  assert.equal(resumed.optimizer!.iterations, straight.optimizer!.iterations);
  assert.ok(!readdirSync(root).some((f) => f.includes('.tmp-') || f.includes('.old-')), 'no leftovers');

  // the directory now holds epoch 4: fitting to 4 again has nothing left to do
  const again = makeModel();
  const h3 = await again.fit(x, y, { ...fitOpts, epochs: 4, checkpointDir: dir });
  assert.deepEqual(h3.epoch, [0, 1, 2, 3]);
  assertBitwiseEqual(straight, again);
});

test('with a fixed seed, resuming does not depend on the generator state before fit', async () => {
  nb.manualSeed(2);
  const straight = makeModel();
  await straight.fit(x, y, { ...fitOpts, epochs: 3, seed: 9 });
  const dir = join(root, 'seeded');
  nb.manualSeed(2);
  await makeModel().fit(x, y, { ...fitOpts, epochs: 1, seed: 9, checkpointDir: dir });
  nb.manualSeed(77);
  const resumed = makeModel();
  await resumed.fit(x, y, { ...fitOpts, epochs: 3, seed: 9, checkpointDir: dir });
  assertBitwiseEqual(straight, resumed);
  rmSync(dir, { recursive: true });
});

test('checkpointDir with no checkpoint starts at initialEpoch and writes one per epoch', async () => {
  const dir = join(root, 'fresh');
  const model = makeModel();
  const epochs: number[] = [];
  const spy: nb.callbacks.Callback = { onEpochEnd: (epoch: number) => void epochs.push(epoch) };
  const h = await model.fit(x, y, { ...fitOpts, epochs: 3, initialEpoch: 1, checkpointDir: dir, callbacks: [spy] });
  assert.deepEqual(h.epoch, [1, 2]);
  assert.deepEqual(epochs, [1, 2]);
  const info = nb.io.loadCheckpoint(dir, { model: makeModel() });
  assert.equal(info.epoch, 3);
  assert.equal(info.step, 2 * Math.ceil(200 / 16));
  rmSync(dir, { recursive: true });
  const notes = join(root, 'notes');
  mkdirSync(notes);
  writeFileSync(join(notes, 'todo.txt'), 'keep me');
  await assert.rejects(model.fit(x, y, { ...fitOpts, checkpointDir: notes }), /fit: checkpointDir .*notes exists but holds no checkpoint; pass a new or empty directory/);
  assert.deepEqual(readdirSync(notes), ['todo.txt']);
});
