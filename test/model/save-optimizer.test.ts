// The compiled optimizer in model.json: an optimizer object (hyperparameters, a schedule) reloads
// as itself, not silently as the default rmsprop; what cannot be written is reported at save.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { quiet, toyData, captureWarnings } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-save-optimizer-'));


async function trainedAndReloaded(optimizer: string | nb.optim.Optimizer): Promise<{ model: nb.Model; loaded: nb.Model; dir: string }> {
  nb.manualSeed(0);
  const { x, y } = toyData(64);
  const model = new nb.Sequential([new nb.layers.Dense(8, { activation: 'relu' }), new nb.layers.Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 1, stream: quiet });
  const dir = tmp();
  await model.save(dir);
  return { model, loaded: nb.loadModel(dir), dir };
}

test('an optimizer object reloads with its class and hyperparameters', async (t) => {
  const warnings = captureWarnings(t);
  const { model, loaded, dir } = await trainedAndReloaded(new nb.optim.SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }));
  assert.ok(loaded.optimizer instanceof nb.optim.SGD, `reloaded as ${loaded.optimizer?.constructor.name}`);
  assert.deepEqual(loaded.optimizer.getConfig(), model.optimizer!.getConfig());
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { compile: { optimizer: Record<string, unknown> } };
  assert.equal(json.compile.optimizer['name'], 'sgd');
  assert.equal(json.compile.optimizer['learningRate'], 0.1);
  assert.equal(json.compile.optimizer['momentum'], 0.9);
  assert.deepEqual(warnings, []);
});

test('a learning-rate schedule is saved as its config and rebuilt', async () => {
  const schedule = nb.optim.cosineDecay({ initialLearningRate: 0.01, decaySteps: 100, alpha: 0.1 });
  const { loaded } = await trainedAndReloaded(new nb.optim.Adam({ learningRate: schedule }));
  assert.ok(loaded.optimizer instanceof nb.optim.Adam);
  assert.deepEqual(loaded.optimizer.getConfig().learningRate, { kind: 'cosineDecay', initialLearningRate: 0.01, decaySteps: 100, alpha: 0.1, warmupTarget: null, warmupSteps: 0 });
  assert.equal(loaded.optimizer.learningRateSchedule!(50), schedule(50));
});

test('a plain-function learning rate is reported at save and reloads with the default rate', async (t) => {
  const warnings = captureWarnings(t);
  const { loaded } = await trainedAndReloaded(new nb.optim.Adam({ learningRate: (step: number) => 0.01 / (1 + step) }));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /save: the optimizer's learning rate is a plain function, which model\.json cannot hold; the model will reload with adam's default learning rate/);
  assert.ok(loaded.optimizer instanceof nb.optim.Adam);
  assert.equal(loaded.optimizer.getConfig().learningRate, new nb.optim.Adam().getConfig().learningRate);
});

test('files that name the optimizer still load; a malformed entry is an error naming the file', async () => {
  const { dir } = await trainedAndReloaded('adam');
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { compile: { optimizer: unknown } };
  json.compile.optimizer = 'adamw';
  writeFileSync(path, JSON.stringify(json));
  assert.ok(nb.loadModel(dir).optimizer instanceof nb.optim.AdamW);
  json.compile.optimizer = [1, 2];
  writeFileSync(path, JSON.stringify(json));
  assert.throws(() => nb.loadModel(dir), /model\.json: compile\.optimizer must be an optimizer name or config \(\{ name, learningRate, … \}\), got \[1,2\]/);
});
