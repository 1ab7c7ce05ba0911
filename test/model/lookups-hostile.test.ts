// Lookups on plain objects (issue 12, item 7): a name or key from model.json that every object
// inherits (toString, constructor, valueOf…) finds nothing, and ends in an error that says what
// is wrong, never a raw TypeError from calling what it found.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { ValueError } from '../../src/tensor/errors.js';
import { captureWarnings } from './helpers.js';

interface Json {
  className: string;
  config: { layers: { className: string; config: Record<string, unknown> }[] };
  compile: Record<string, unknown>;
}

async function savedModel(): Promise<string> {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  model.compile({ optimizer: new nb.optim.SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['accuracy'] });
  model.apply(nb.zeros([1, 3]));
  const dir = mkdtempSync(join(tmpdir(), 'nabla-lookups-'));
  await model.save(dir);
  return dir;
}

function withEdit(dir: string, change: (json: Json) => void): string {
  const path = join(dir, 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Json;
  change(json);
  writeFileSync(path, JSON.stringify(json));
  return dir;
}

/** Asserts that `fn` throws a ValueError (never a TypeError) whose message matches `re`. */
function valueError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ValueError, `expected a ValueError, got ${String(err)}`);
    assert.match(err.message, re);
    return true;
  });
}

const INHERITED = ['toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'constructor', '__defineGetter__'];

test('an optimizer config named like an inherited property, without a learning rate, is an unknown optimizer', async () => {
  const dir = await savedModel();
  for (const name of INHERITED) {
    withEdit(dir, (j) => (j.compile['optimizer'] = { name }));
    valueError(() => nb.loadModel(dir), new RegExp(`^Unknown optimizer '${name}'\\. Valid: sgd, adam, adamw, rmsprop, adagrad\\.`));
  }
});

test("an optimizer config without a learning rate gets the optimizer's default one", async () => {
  const dir = withEdit(await savedModel(), (j) => (j.compile['optimizer'] = { name: 'adam', beta1: 0.8 }));
  const model = nb.loadModel(dir);
  assert.ok(model.optimizer instanceof nb.optim.Adam);
  assert.equal(model.optimizer.learningRate, new nb.optim.Adam().learningRate);
  assert.equal(model.optimizer.getConfig()['beta1'], 0.8);
});

test('an optimizer option named toString or constructor is an unknown option, listed with the valid ones', async () => {
  for (const key of ['toString', 'constructor', 'valueOf']) {
    const dir = withEdit(await savedModel(), (j) => ((j.compile['optimizer'] as Record<string, unknown>)[key] = 1));
    valueError(() => nb.loadModel(dir), new RegExp(`^SGD: unknown option '${key}'; valid options are 'learningRate', `));
  }
  valueError(() => nb.optim.getOptimizer('adam', { toString: 1 } as never), /^Adam: unknown option 'toString'; valid options are /);
});

test('a learning rate that is neither a number nor a schedule config is an error naming what it got', async () => {
  const dir = await savedModel();
  for (const [lr, got] of [[null, 'null'], [[0.1], 'an array'], [true, 'boolean']] as const) {
    withEdit(dir, (j) => ((j.compile['optimizer'] as Record<string, unknown>)['learningRate'] = lr));
    valueError(() => nb.loadModel(dir), new RegExp(`^scheduleFromConfig: expected a schedule config \\(\\{ kind, … \\}\\) or a number, got ${got}$`));
  }
  valueError(() => nb.optim.scheduleFromConfig({ kind: 'toString' } as never), /^scheduleFromConfig: unknown schedule kind 'toString'/);
});

test('a loss option named constructor makes the loss unknown (the model loads uncompiled, with the reason)', async (t) => {
  const warnings = captureWarnings(t);
  const dir = withEdit(await savedModel(), (j) => (j.compile['loss'] = { name: 'huber', constructor: 1 }));
  assert.equal(nb.loadModel(dir).loss, null);
  assert.match(warnings.at(-1)!, /compiled with the loss 'huber', which cannot be rebuilt here \(huber: unknown option 'constructor'; valid options are /);
});

test('class, activation, initializer, regularizer and metric names that every object inherits are unknown names, never a TypeError', async () => {
  const dir = await savedModel();
  for (const name of INHERITED) {
    withEdit(dir, (j) => (j.className = name));
    valueError(() => nb.loadModel(dir), new RegExp(`^Unknown layer class '${name}'\\. Valid: `));
    valueError(() => nb.loadModel(dir, { customObjects: {} }), new RegExp(`^Unknown layer class '${name}'\\.`));
    withEdit(dir, (j) => {
      j.className = 'Sequential';
      j.config.layers[0]!.className = name;
    });
    valueError(() => nb.loadModel(dir), new RegExp(`^Unknown layer class '${name}'\\. Valid: `));
    withEdit(dir, (j) => {
      j.config.layers[0]!.className = 'Dense';
      j.config.layers[0]!.config['kernelInitializer'] = { className: name, config: {} };
    });
    valueError(() => nb.loadModel(dir), new RegExp(`Unknown initializer '${name}'\\. Valid: `));
    withEdit(dir, (j) => {
      j.config.layers[0]!.config['kernelInitializer'] = 'glorotUniform';
      j.config.layers[0]!.config['activation'] = name;
    });
    valueError(() => nb.loadModel(dir), new RegExp(`Unknown activation '${name}'\\. Valid: `));
    withEdit(dir, (j) => {
      j.config.layers[0]!.config['activation'] = 'linear';
      j.config.layers[0]!.config['kernelRegularizer'] = name;
    });
    valueError(() => nb.loadModel(dir), new RegExp(`Unknown regularizer '${name}'\\. Valid: `));
    withEdit(dir, (j) => {
      j.config.layers[0]!.config['kernelRegularizer'] = null;
      j.compile['metrics'] = [name];
    });
    valueError(() => nb.loadModel(dir), new RegExp(`^Unknown metric '${name}'\\. Valid: `));
    withEdit(dir, (j) => (j.compile['metrics'] = ['accuracy']));
  }
  assert.equal(String({}), '[object Object]');
});
