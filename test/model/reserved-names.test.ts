// A model.json that names `constructor` (or `__proto__`) where a loss, metric, optimizer or layer
// class belongs: the lookup is an error that names what is wrong, never Object or its prototype.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { captureWarnings } from './helpers.js';

async function savedModel(): Promise<string> {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['accuracy'] });
  model.apply(nb.zeros([1, 3]));
  const dir = mkdtempSync(join(tmpdir(), 'nabla-reserved-'));
  await model.save(dir);
  return dir;
}

function edit(dir: string, change: (json: { className: string; compile: Record<string, unknown> }) => void): void {
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as { className: string; compile: Record<string, unknown> };
  change(json);
  writeFileSync(path, JSON.stringify(json));
}


test('"loss": "constructor" in model.json is an unknown loss: the model loads uncompiled, with a warning', async (t) => {
  const warnings = captureWarnings(t);
  const dir = await savedModel();
  for (const loss of ['constructor', '__proto__', { name: 'constructor' }, { name: 'toString' }]) {
    edit(dir, (j) => (j.compile.loss = loss));
    const model = nb.loadModel(dir);
    assert.equal(model.loss, null, JSON.stringify(loss));
    const name = typeof loss === 'string' ? loss : loss.name;
    assert.match(warnings.at(-1)!, new RegExp(`compiled with the loss '${name}', which cannot be rebuilt here \\(Unknown loss '${name}'\\. Valid: meanSquaredError \\(mse\\), `));
  }
  assert.throws(() => nb.losses.getLoss('constructor'), /^ValueError: Unknown loss 'constructor'\. Valid: /);
  assert.throws(() => nb.losses.lossFromConfig({ name: 'constructor' } as never), /^ValueError: Unknown loss 'constructor'\. Valid: /);
});

test('a metric, optimizer or layer class named constructor in model.json is an error that says so', async () => {
  const dir = await savedModel();
  edit(dir, (j) => (j.compile.metrics = ['constructor']));
  assert.throws(() => nb.loadModel(dir), /^ValueError: Unknown metric 'constructor'\. Valid: accuracy \(acc\), /);
  edit(dir, (j) => {
    j.compile.metrics = ['accuracy'];
    j.compile.optimizer = 'constructor';
  });
  assert.throws(() => nb.loadModel(dir), /^ValueError: Unknown optimizer 'constructor'\. Valid: sgd, /);
  edit(dir, (j) => {
    j.compile.optimizer = 'sgd';
    j.className = 'constructor';
  });
  assert.throws(() => nb.loadModel(dir), /^ValueError: Unknown layer class 'constructor'\. Valid: Dense, /);
  // customObjects is a plain object: only its own keys are classes
  assert.throws(() => nb.loadModel(dir, { customObjects: {} }), /^ValueError: Unknown layer class 'constructor'\./);
});
