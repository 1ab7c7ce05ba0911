// The compiled loss in model.json: its name and options survive save/load, and a loss function
// that cannot be written is reported when the model is saved.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { quiet, toyData, captureWarnings } from './helpers.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-save-loss-'));

function logitsNet(): nb.Sequential {
  return new nb.Sequential([new nb.layers.Dense(8, { activation: 'relu' }), new nb.layers.Dense(3)]);
}


test('a loss with options round-trips through model.json and the reloaded model evaluates to the same loss', async (t) => {
  const warnings = captureWarnings(t);
  nb.manualSeed(0);
  const { x, y } = toyData(96);
  const model = logitsNet();
  model.compile({ optimizer: 'adam', loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1 }, metrics: ['accuracy'] });
  await model.fit(x, y, { epochs: 1, stream: quiet });
  const dir = tmp();
  await model.save(dir);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { compile: { loss: unknown } };
  assert.deepEqual(json.compile.loss, { name: 'sparseCategoricalCrossentropy', fromLogits: true, labelSmoothing: 0.1, reduction: 'mean' });
  const loaded = nb.loadModel(dir);
  assert.ok(loaded.loss instanceof nb.losses.SparseCategoricalCrossentropy);
  assert.deepEqual((loaded.loss as nb.losses.Loss).getConfig(), json.compile.loss);
  const [a, b] = [await model.evaluate(x, y), await loaded.evaluate(x, y)];
  assert.equal(b.loss, a.loss);
  assert.deepEqual(warnings, []);
});

test('loss objects, built-in loss functions and registered functions are all saved by name', async (t) => {
  const warnings = captureWarnings(t);
  const { x, y } = toyData(32);
  const halfMse = (yt: nb.Tensor, p: nb.Tensor) => nb.losses.meanSquaredError(yt, p).mul(0.5);
  nb.losses.registerLoss('halfMse', halfMse);
  const cases: [nb.CompileOptions['loss'], unknown][] = [
    [new nb.losses.Huber({ delta: 3 }), { name: 'huber', delta: 3, reduction: 'mean' }],
    [nb.losses.meanAbsoluteError, { name: 'meanAbsoluteError', reduction: 'mean' }],
    [halfMse, 'halfMse'],
  ];
  for (const [loss, saved] of cases) {
    const model = logitsNet();
    model.compile({ optimizer: 'sgd', loss });
    model.apply(x.slice('0:1'));
    const dir = tmp();
    await model.save(dir);
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { compile: { loss: unknown } };
    assert.deepEqual(json.compile.loss, saved);
    const loaded = nb.loadModel(dir);
    const target = nb.oneHot(y, 3);
    assert.equal((await loaded.evaluate(x, target)).loss, (await model.evaluate(x, target)).loss);
  }
  assert.deepEqual(warnings, []);
});

test('saving a model compiled with an unregistered loss function warns, names it, and says how to keep it', async (t) => {
  const warnings = captureWarnings(t);
  const { x } = toyData(8);
  const model = logitsNet();
  function focalLoss(yt: nb.Tensor, p: nb.Tensor): nb.Tensor {
    return nb.losses.sparseCategoricalCrossentropy(yt, p, { fromLogits: true });
  }
  model.compile({ optimizer: 'adam', loss: focalLoss });
  model.apply(x);
  const dir = tmp();
  await model.save(dir);
  assert.equal(warnings.length, 1);
  assert.equal(
    warnings[0],
    "nabla: save: the loss function 'focalLoss' cannot be written to model.json, so the model will load uncompiled. " +
      "Compile with a built-in loss by name or object (e.g. loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true }), " +
      "or register it before saving and loading: nb.losses.registerLoss('focalLoss', focalLoss)",
  );
  // the weights and architecture are saved all the same; the model comes back uncompiled
  const loaded = nb.loadModel(dir);
  assert.equal(loaded.loss, null);
  assert.deepEqual(Array.from(loaded.predict(x).data()), Array.from(model.predict(x).data()));
});

test('a model.json from before loss configs (loss saved as a name) still loads compiled', async () => {
  const { x, y } = toyData(16);
  const model = new nb.Sequential([new nb.layers.Dense(3, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  model.apply(x.slice('0:1'));
  const dir = tmp();
  await model.save(dir);
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { compile: { loss: unknown } };
  json.compile.loss = 'sparseCategoricalCrossentropy';
  writeFileSync(path, JSON.stringify(json));
  const loaded = nb.loadModel(dir);
  assert.ok(loaded.loss instanceof nb.losses.SparseCategoricalCrossentropy);
  assert.equal((await loaded.evaluate(x, y)).loss, (await model.evaluate(x, y)).loss);
});

test('a model.json naming a registered loss this program has not registered loads uncompiled, with a warning', async (t) => {
  const warnings = captureWarnings(t);
  const { x } = toyData(8);
  const model = logitsNet();
  model.compile({ optimizer: 'adam', loss: 'mse' });
  model.apply(x);
  const dir = tmp();
  await model.save(dir);
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { compile: { loss: unknown } };
  json.compile.loss = 'contrastiveLoss';
  writeFileSync(path, JSON.stringify(json));
  const loaded = nb.loadModel(dir);
  assert.equal(loaded.loss, null);
  assert.deepEqual(Array.from(loaded.predict(x).data()), Array.from(model.predict(x).data()));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0]!, /^nabla: loadModel: .*model\.json was compiled with the loss 'contrastiveLoss', which cannot be rebuilt here \(Unknown loss 'contrastiveLoss'\..*\), so the model is loaded uncompiled\. Register the function before loading \(nb\.losses\.registerLoss\('contrastiveLoss', fn\)\) or compile the model again$/);
});
