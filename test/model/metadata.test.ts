/**
 * `model.metadata`: anything a user (or the `nabla` command) wants a saved model to remember, such
 * as the data set it was trained on and its class names, written to model.json by `save` and
 * given back by `loadModel`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-metadata-'));

function tinyModel(): nb.Sequential {
  const model = new nb.Sequential([new nb.layers.Dense(3, { activation: 'softmax' })]);
  model.predict(nb.zeros([1, 4]));
  return model;
}

test('metadata set on a model is saved in model.json and restored by loadModel', async () => {
  const model = tinyModel();
  assert.deepEqual(model.metadata, {}, 'a new model remembers nothing');
  model.metadata = { dataset: 'fashion-mnist', classNames: ['T-shirt/top', 'Trouser', 'Pullover'], preprocessing: { scale: 1 / 255, flatten: true } };
  await model.save(join(dir, 'a'));
  const json = JSON.parse(readFileSync(join(dir, 'a', 'model.json'), 'utf8')) as { metadata: unknown };
  assert.deepEqual(json.metadata, model.metadata);
  const loaded = nb.loadModel(join(dir, 'a'));
  assert.deepEqual(loaded.metadata, { dataset: 'fashion-mnist', classNames: ['T-shirt/top', 'Trouser', 'Pullover'], preprocessing: { scale: 1 / 255, flatten: true } });
});

test('a model.json without metadata (saved before it existed) loads with none; a malformed one is refused by name', async () => {
  await tinyModel().save(join(dir, 'b'));
  const path = join(dir, 'b', 'model.json');
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete json['metadata'];
  writeFileSync(path, JSON.stringify(json));
  assert.deepEqual(nb.loadModel(join(dir, 'b')).metadata, {});
  writeFileSync(path, JSON.stringify({ ...json, metadata: ['fashion-mnist'] }));
  assert.throws(() => nb.loadModel(join(dir, 'b')), /loadModel: .*model\.json: metadata must be an object \(a JSON record\), got an array/);
});
