import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { plotCommand } from '../../src/cli/plot.js';
import { readPng, sampleHistory, tempDir } from './helpers.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = tempDir();
const modelDir = join(dir, 'model');

test('nabla train saves history.json next to the model, and nabla plot DIR draws it', () => {
  const train = nabla('train', '--epochs', '1', '--batch-size', '256', '--seed', '1', '--out', modelDir);
  assert.equal(train.code, 0, train.err);
  assert.match(train.out, /model saved to .*\(model\.json, weights\.safetensors, history\.json\)/);
  const saved = JSON.parse(readFileSync(join(modelDir, 'history.json'), 'utf8')) as { epoch: number[]; history: Record<string, number[]> };
  assert.deepEqual(saved.epoch, [0]);
  assert.deepEqual(Object.keys(saved.history).sort(), ['accuracy', 'loss', 'val_accuracy', 'val_loss']);
  assert.ok(saved.history.loss!.every(Number.isFinite));

  const plot = nabla('plot', modelDir);
  assert.equal(plot.code, 0, plot.err);
  const png = join(modelDir, 'history.png'), svg = join(modelDir, 'history.svg');
  assert.equal(plot.out, `wrote ${png}\nwrote ${svg}\n`);
  assert.deepEqual([readPng(png).width, readPng(png).height], [800, 650]);
  assert.match(readFileSync(svg, 'utf8'), />val_accuracy|>validation</);
});

test('nabla plot FILE.json: --out names one file or a stem; --metrics and --title pass through', async () => {
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify(sampleHistory(5)));
  assert.deepEqual(await plotCommand([file]), [join(dir, 'run.png'), join(dir, 'run.svg')]);
  assert.ok(existsSync(join(dir, 'run.png')) && existsSync(join(dir, 'run.svg')));
  const one = join(dir, 'acc.svg');
  assert.deepEqual(await plotCommand([file, '--out', one, '--metrics', 'accuracy', '--title', 'Run 7']), [one]);
  const svg = readFileSync(one, 'utf8');
  assert.ok(svg.includes('>Run 7</text>') && svg.includes('>accuracy</text>') && !svg.includes('>loss</text>'));
  assert.deepEqual(await plotCommand([file, '--out', join(dir, 'both')]), [join(dir, 'both.png'), join(dir, 'both.svg')]);
  assert.deepEqual(await plotCommand([file, '--out', modelDir]), [join(modelDir, 'run.png'), join(modelDir, 'run.svg')]);
});

test('nabla plot --confusion draws the saved classifier on the test set', async () => {
  const paths = await plotCommand(['--confusion', modelDir, '--normalize', '--out', join(dir, 'cm.svg')]);
  assert.deepEqual(paths, [join(dir, 'cm.svg')]);
  const svg = readFileSync(paths[0]!, 'utf8');
  assert.ok(svg.includes('>Confusion matrix (% of true class)</text>'));
  const cells = [...svg.matchAll(/>([\d.]+)%<\/text>/g)].map((m) => Number(m[1]));
  assert.ok(cells.length >= 10 && cells.some((p) => p > 50), 'a trained model puts most of each class on the diagonal');
});

test('nabla plot reports bad input clearly', async () => {
  const file = join(dir, 'run.json');
  await assert.rejects(plotCommand([file, '--metrics', 'loss,acc']), /no metric 'acc' in the history; available: loss, accuracy/);
  await assert.rejects(plotCommand([file, '--out', join(dir, 'x.jpg')]), /unknown image extension '\.jpg'/);
  await assert.rejects(plotCommand([join(dir, 'nope.json')]), /plot: .*nope\.json does not exist/);
  await assert.rejects(plotCommand([]), /plot: give one history\.json file or model directory/);
  await assert.rejects(plotCommand([dir]), /holds no history\.json \(nabla train saves one next to the model\)/);
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"epoch": [0], "history": ');
  await assert.rejects(plotCommand([broken]), /plot: cannot read .*broken\.json as JSON/);
  writeFileSync(broken, '{"epoch": [], "history": {}}');
  await assert.rejects(plotCommand([broken]), /the history is empty/);
  await assert.rejects(plotCommand(['--confusion', file]), /plot --confusion: give the model directory written by nabla train/);
});
