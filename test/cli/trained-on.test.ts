/**
 * A model saved by `nabla train` remembers its data set, input preprocessing and class names
 * (model.json's metadata), and `evaluate`, `predict` and `plot --confusion` use them: a
 * Fashion-MNIST model is tested on Fashion-MNIST without `--data`, and its classes are named.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as nb from '../../src/index.js';
import { readInputFile } from '../../src/cli/image-input.js';
import { FASHION_MNIST_CLASSES } from '../../src/data/datasets/fashion-mnist.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-trained-on-'));
const fashion = join(dir, 'fashion');
let trainAccuracy = '';

/** A `side×side` opaque PNG of one gray level. */
function grayPng(file: string, side: number, level: number): string {
  const png = new PNG({ width: side, height: side });
  for (let i = 0; i < side * side; i++) png.data.set([level, level, level, 255], 4 * i);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

before(() => {
  const r = nabla('train', '--data', 'fashion-mnist', '--limit', '600', '--epochs', '1', '--out', fashion);
  assert.equal(r.code, 0, r.err);
  trainAccuracy = /^test accuracy: ([\d.]+%)/m.exec(r.out)![1]!;
});

test('model.json records the data set, the preprocessing and the class names', () => {
  const json = JSON.parse(readFileSync(join(fashion, 'model.json'), 'utf8')) as { metadata: Record<string, unknown> };
  assert.deepEqual(json.metadata, {
    dataset: 'fashion-mnist',
    classNames: [...FASHION_MNIST_CLASSES],
    preprocessing: { height: 28, width: 28, channels: 1, scale: 1 / 255, flatten: true },
  });
});

test('evaluate tests on the recorded data set, in the same accuracy format as train; a different --data warns', () => {
  const ev = nabla('evaluate', fashion);
  assert.equal(ev.code, 0, ev.err);
  assert.equal(ev.out, `evaluate: ${fashion} on the fashion-mnist test set (10000 samples)\ntest accuracy: ${trainAccuracy}  test loss: ${/test loss: ([\d.]+)/.exec(ev.out)![1]}\n`);
  assert.ok(Number.parseFloat(trainAccuracy) > 50, `a Fashion-MNIST model scores ${trainAccuracy} on Fashion-MNIST`);
  assert.equal(ev.err, '');
  const other = nabla('evaluate', fashion, '--data', 'mnist');
  assert.equal(other.code, 0, other.err);
  assert.match(other.err, /^nabla: evaluate: the model in .*fashion was trained on fashion-mnist \(its model\.json says so\), but --data is mnist: its class numbers name other things there, so the result says little; leave --data out to use fashion-mnist$/m);
  assert.match(other.out, /on the mnist test set/);
});

test('predict names the classes as the training data does', () => {
  const r = nabla('predict', fashion, grayPng(join(dir, 'gray.png'), 40, 200), '--top', '10');
  assert.equal(r.code, 0, r.err);
  const entries = [...r.out.matchAll(/class (\d) ([^(]+) \(([\d.]+)%\)/g)];
  assert.equal(entries.length, 10, r.out);
  for (const [, c, name] of entries) assert.equal(name, FASHION_MNIST_CLASSES[Number(c)]);
  assert.deepEqual(entries.map((e) => Number(e[1])).sort(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

test('plot --confusion draws the recorded data set with its class names', () => {
  const r = nabla('plot', '--confusion', fashion, '--out', join(dir, 'cm.svg'));
  assert.equal(r.code, 0, r.err);
  const svg = readFileSync(join(dir, 'cm.svg'), 'utf8');
  for (const name of ['T-shirt/top', 'Ankle boot', 'Sneaker']) assert.ok(svg.includes(`>${name}</text>`), name);
  // 10,000 test images: the counts of a row sum to its class's 1,000
  const cells = [...svg.matchAll(/>(\d+)<\/text>/g)].map((m) => Number(m[1]));
  assert.equal(cells.slice(0, 100).reduce((a, b) => a + b, 0), 10000);
});

test('a model that records no data set needs --data; malformed records are refused by name', async () => {
  const plain = join(dir, 'plain');
  const model = new nb.Sequential([new nb.layers.Dense(10, { activation: 'softmax' })]);
  model.predict(nb.zeros([1, 784]));
  await model.save(plain);
  const r = nabla('evaluate', plain);
  assert.equal(r.code, 1);
  assert.match(r.err, /evaluate: .*plain\/model\.json does not record the data set the model was trained on \(models saved by nabla train do\); pass --data mnist\|fashion-mnist/);
  assert.match(nabla('plot', '--confusion', plain).err, /plot --confusion: .*does not record the data set/);
  assert.equal(nabla('evaluate', plain, '--data', 'mnist').code, 0);

  model.metadata = { dataset: 'cifar10' };
  await model.save(plain);
  assert.match(nabla('evaluate', plain).err, /evaluate: .*model\.json says the model was trained on 'cifar10', which nabla cannot load by name; pass --data mnist\|fashion-mnist/);
  model.metadata = { dataset: 'mnist', preprocessing: { height: 28, width: 28, channels: 2, scale: 1, flatten: true } };
  await model.save(plain);
  assert.match(nabla('predict', plain, grayPng(join(dir, 'g.png'), 28, 9)).err, /model\.json metadata: preprocessing channels must be 1, 3 or 4, got 2/);
});

test('predict prepares an image by the recorded preprocessing, and warns when a CSV holds raw pixels', () => {
  const file = grayPng(join(dir, 'level51.png'), 56, 51);
  const scaled = readInputFile(file, [784], { height: 28, width: 28, channels: 1, scale: 1 / 255, flatten: true });
  assert.deepEqual(scaled.shape, [1, 784]);
  for (const v of scaled.data()) assert.ok(Math.abs(v - 0.2) < 1e-6, `51/255 = 0.2, got ${v}`);
  const raw = readInputFile(file, [28, 28, 1], { height: 28, width: 28, channels: 1, scale: 1, flatten: false });
  assert.deepEqual(raw.shape, [1, 28, 28, 1]);
  for (const v of raw.data()) assert.ok(Math.abs(v - 51) < 1e-4, `pixel levels kept, got ${v}`);
  assert.throws(() => readInputFile(file, [100], { height: 28, width: 28, channels: 1, scale: 1, flatten: true }), /the model's recorded preprocessing \(28×28×1 images\) does not fit its input of shape \[100\]/);

  const csv = join(dir, 'raw.csv');
  writeFileSync(csv, new Array(784).fill(255).join(',') + '\n');
  const r = nabla('predict', fashion, csv);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /predict: .*raw\.csv holds values up to 255, but the model was trained on pixels scaled to \[0, 1\] \(model\.json: scale 0\.00392157\); a CSV is read as model input as it is, so scale its values first/);
});
