/**
 * `nabla train --model cnn` on a few hundred of the embedded MNIST digits (`--limit`): the
 * network saved is the small CNN (conv blocks with batch norm and pooling, dropout, one dense
 * layer), it learns, `evaluate` agrees with training's test accuracy, `predict` reads a PNG for it;
 * bad `--model` / `--limit` values are refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-cnn-'));
const modelDir = join(dir, 'cnn');

test('nabla train --model cnn --limit 500 trains, saves, evaluates and predicts the small CNN', () => {
  const train = nabla('train', '--model', 'cnn', '--data', 'mnist', '--limit', '500', '--epochs', '2', '--batch-size', '32', '--out', modelDir);
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /nabla train: mnist, 2 epochs, batch 32, adam lr 0\.001, seed 0, model cnn/);
  assert.match(train.out, /^data: 500 training \(the first of 8000, --limit\) and 2000 test samples$/m);
  // 450 training images (10 % held out) in batches of 32: 15 steps an epoch
  assert.match(train.out, /^Epoch 2\/2 - 15\/15 - /m);
  const acc = Number(/test accuracy: ([\d.]+)%/.exec(train.out)![1]);
  assert.ok(acc > 25, `test accuracy ${acc}% on 2000 digits after 2 epochs on 450 (chance: 10%)`);

  const config = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { config: { layers: { className: string; config: Record<string, unknown> }[] } };
  const names = config.config.layers.map((l) => l.className);
  assert.deepEqual(names, [
    'Reshape', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D',
    'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D',
    'Dropout', 'Flatten', 'Dense', 'Dropout', 'Dense',
  ]);
  assert.deepEqual(config.config.layers.filter((l) => l.className === 'Conv2D').map((l) => [l.config.filters, l.config.padding]), [[32, 'same'], [64, 'same']]);

  const ev = nabla('evaluate', modelDir, '--data', 'mnist');
  assert.equal(ev.code, 0, ev.err);
  const evAcc = Number(/test accuracy: ([\d.]+)%/.exec(ev.out)![1]);
  assert.equal(evAcc, acc, `evaluate ${evAcc}% vs train's ${acc}%`);

  // a 56×56 white stroke on black, resized to the model's 28×28
  const png = new PNG({ width: 56, height: 56 });
  for (let i = 0; i < 56 * 56; i++) {
    const on = Math.abs((i % 56) - 28) < 4;
    png.data.set([on ? 255 : 0, on ? 255 : 0, on ? 255 : 0, 255], 4 * i);
  }
  const file = join(dir, 'one.png');
  writeFileSync(file, PNG.sync.write(png));
  const pp = nabla('predict', modelDir, file, '--top', '2');
  assert.equal(pp.code, 0, pp.err);
  const probs = [...pp.out.matchAll(/class \d \(([\d.]+)%\)/g)].map((m) => Number(m[1]));
  assert.equal(probs.length, 2);
  assert.ok(probs[0]! >= probs[1]! && probs[0]! <= 100, pp.out);
});

test('nabla train refuses an unknown --model and a bad --limit', () => {
  const model = nabla('train', '--model', 'resnet');
  assert.equal(model.code, 1);
  assert.match(model.err, /--model must be one of mlp, cnn, dp-cnn, gpt, text, text-cnn, text-lstm, text-transformer, text-bow, speech, speech-ctc, got 'resnet'/);
  const limit = nabla('train', '--model', 'cnn', '--limit', '0');
  assert.equal(limit.code, 1);
  assert.match(limit.err, /--limit must be a positive integer, got '0'/);
});

test('nabla train --lr-schedule cosine decays over every step of the run; unknown schedules are refused', () => {
  const run = nabla('train', '--data', 'mnist', '--limit', '500', '--epochs', '2', '--batch-size', '32', '--lr-schedule', 'cosine', '--out', join(dir, 'mlp-cosine'));
  assert.equal(run.code, 0, run.err);
  // 450 training images (10 % held out) in batches of 32: 15 steps an epoch, 30 in all
  assert.match(run.out, /^learning rate: cosine decay from 0\.001 to 0 over 30 steps$/m);
  const bad = nabla('train', '--data', 'mnist', '--lr-schedule', 'linear');
  assert.notEqual(bad.code, 0);
  assert.match(bad.err, /--lr-schedule must be constant or cosine, got 'linear'/);
});
