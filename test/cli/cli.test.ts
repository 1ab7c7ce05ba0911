import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-cli-'));
const modelDir = join(dir, 'model');

test('nabla train → evaluate → predict (CSV and PNG) on the embedded MNIST digits', () => {
  const train = nabla('train', '--epochs', '1', '--batch-size', '256', '--seed', '3', '--out', modelDir);
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /nabla train: mnist, 1 epochs, batch 256, adam lr 0\.001, seed 3/);
  assert.match(train.out, /^Epoch 1\/1 - 29\/29 - .* - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss/m);
  const acc = Number(/test accuracy: ([\d.]+)%/.exec(train.out)![1]);
  assert.ok(acc > 80, `test accuracy ${acc}% after one epoch`);
  assert.ok(existsSync(join(modelDir, 'model.json')) && existsSync(join(modelDir, 'weights.safetensors')));
  assert.match(train.out, new RegExp(`model saved to ${modelDir}`));

  const ev = nabla('evaluate', modelDir, '--data', 'mnist');
  assert.equal(ev.code, 0, ev.err);
  const evAcc = Number(/test accuracy: ([\d.]+)%/.exec(ev.out)![1]);
  assert.equal(evAcc, acc, `evaluate ${evAcc}% vs train's ${acc}%`);

  const csv = join(dir, 'x.csv');
  writeFileSync(csv, [new Array(784).fill(0).join(','), new Array(784).fill(0.5).join(',')].join('\n'));
  const pc = nabla('predict', modelDir, csv, '--top', '2');
  assert.equal(pc.code, 0, pc.err);
  assert.match(pc.out, /^sample 1: class \d \([\d.]+%\), class \d \([\d.]+%\)\nsample 2: /);

  const png = new PNG({ width: 28, height: 28 });
  png.data.fill(255);
  const file = join(dir, 'x.png');
  writeFileSync(file, PNG.sync.write(png));
  const pp = nabla('predict', modelDir, file);
  assert.equal(pp.code, 0, pp.err);
  assert.match(pp.out, /^class \d \([\d.]+%\), class \d \([\d.]+%\), class \d \([\d.]+%\)\n$/);
});

test('nabla reports bad input clearly and exits non-zero', () => {
  const badEpochs = nabla('train', '--epochs=-3');
  assert.equal(badEpochs.code, 1);
  assert.match(badEpochs.err, /--epochs must be a positive integer, got '-3'/);
  const badData = nabla('train', '--data', 'cifar');
  assert.match(badData.err, /--data must be one of mnist, fashion-mnist, got 'cifar'/);
  assert.match(nabla('predict', modelDir, join(dir, 'missing.png')).err, /predict: .*missing\.png does not exist/);
  const notPng = join(dir, 'bad.png');
  writeFileSync(notPng, 'not an image');
  const bad = nabla('predict', modelDir, notPng);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /cannot read .*bad\.png as a PNG image/);
  assert.match(nabla('frobnicate').err, /unknown command 'frobnicate'/);
});

test('nabla info prints version, backend, kernels and threads', () => {
  const r = nabla('info');
  assert.equal(r.code, 0);
  assert.match(r.out, /^version: \d+\.\d+\.\d+$/m);
  assert.match(r.out, /^backend: (js|native)$/m);
  assert.match(r.out, /^kernels: .*gemm:(js|native)/m);
  assert.match(r.out, /^threads: \d+$/m);
});
