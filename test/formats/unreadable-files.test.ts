/**
 * Files that exist but cannot be read, and model.json values of the wrong kind: each was a raw
 * Node or engine error found by `npm run fuzz` (EISDIR, ENAMETOOLONG, a NUL byte in a shard
 * name, `null` as model.json, `"inputShape": 5`, `"metrics": "accuracy"`) and is now one of
 * nabla's errors naming the file and the fix (issue 12).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nabla-unreadable-'));

test('a directory where a file should be is a FileReadError naming it, for every reader', () => {
  const dir = tmp();
  const d = join(dir, 'x.safetensors');
  mkdirSync(d);
  const isRead = (re: RegExp) => (err: Error) => err instanceof nb.io.FileReadError && re.test(err.message);
  assert.throws(() => nb.io.openSafetensors(d), isRead(/safetensors: .*x\.safetensors: not a file \(a directory\?\); pass the path of the \.safetensors file/));
  assert.throws(() => nb.io.loadSafetensors(d), isRead(/not a file/));
  assert.throws(() => nb.text.ByteLevelBPE.load(d), isRead(/ByteLevelBPE\.load: cannot read ".*x\.safetensors": it is a directory, not a file/));
  assert.throws(() => nb.text.CharTokenizer.load(d), isRead(/it is a directory, not a file/));
  assert.throws(() => nb.io.loadOnnx(d), isRead(/loadOnnx: cannot read ".*": it is a directory, not a file; pass the path of the file itself/));
  const sharded = tmp();
  mkdirSync(join(sharded, 'model.safetensors.index.json'));
  assert.throws(() => nb.io.loadSharded(sharded), isRead(/loadSharded: cannot read ".*model\.safetensors\.index\.json": it is a directory/));
});

test('a sharded index naming a shard the system would refuse (a NUL byte, 300 characters) is a FormatError', () => {
  const dir = tmp();
  nb.io.saveSharded(dir, { a: nb.ones([2]) });
  const index = join(dir, 'model.safetensors.index.json');
  const json = JSON.parse(readFileSync(index, 'utf8')) as { weight_map: Record<string, string> };
  for (const bad of ['a\u0000.safetensors', 'x'.repeat(300)]) {
    json.weight_map['a'] = bad;
    writeFileSync(index, JSON.stringify(json));
    assert.throws(() => nb.io.loadSharded(dir), (err: Error) => err instanceof nb.io.FormatError && /weight_map\['a'\] is .*; expected the file name of a shard next to the index/.test(err.message));
  }
});

test('model.json that is null, an inputShape that is not a list of positive integers, metrics that are not a list', async () => {
  const model = new nb.Sequential([new nb.layers.Dense(2)]);
  model.compile({ optimizer: 'adam', loss: 'mse', metrics: ['mae'] });
  model.apply(nb.zeros([1, 3]));
  const dir = tmp();
  await model.save(dir);
  const path = join(dir, 'model.json');
  const good = readFileSync(path, 'utf8');
  writeFileSync(path, 'null');
  assert.throws(() => nb.loadModel(dir), { name: 'FormatError', message: /model\.json does not hold a JSON object; it is not a nabla model file/ });
  for (const shape of [5, { a: 1 }, [3, -1], [3, 1.5], ['3']]) {
    writeFileSync(path, JSON.stringify({ ...JSON.parse(good), inputShape: shape }));
    assert.throws(() => nb.loadModel(dir), { name: 'FormatError', message: /inputShape must be null or a list of positive integers, got / }, JSON.stringify(shape));
  }
  writeFileSync(path, JSON.stringify({ ...JSON.parse(good), compile: { ...JSON.parse(good).compile, metrics: 'accuracy' } }));
  assert.throws(() => nb.loadModel(dir), { name: 'ValueError', message: /compile: metrics must be a list, e\.g\. metrics: \['accuracy'\], got "accuracy"/ });
  // the file as saved still loads
  writeFileSync(path, good);
  assert.deepEqual(nb.loadModel(dir).predict(nb.ones([1, 3])).toArray(), model.predict(nb.ones([1, 3])).toArray());
});
