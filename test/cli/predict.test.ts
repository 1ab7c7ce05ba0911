/**
 * `nabla predict DIR image` for image models: PNG and JPEG files read through `nb.image`, for a
 * model taking 784 values (gray square, transparent = black) and for a CNN taking `[28, 28, 1]`
 * images; the probabilities agree with the same pixels given as a CSV. Corrupt, truncated,
 * mislabelled and unsupported files give an error naming the file.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import * as nb from '../../src/index.js';
import { readInputFile } from '../../src/cli/image-input.js';

function nabla(...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'nabla-predict-'));
const flatModel = join(dir, 'flat');
const imageModel = join(dir, 'image');

/** A `w×h` PNG of one RGBA colour. */
function solidPng(file: string, w: number, h: number, rgba: [number, number, number, number]): string {
  const png = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) png.data.set(rgba, 4 * i);
  writeFileSync(file, PNG.sync.write(png));
  return file;
}

/** A CSV of one sample holding `n` copies of `v`. */
function constantCsv(file: string, n: number, v: number): string {
  writeFileSync(file, new Array(n).fill(v).join(',') + '\n');
  return file;
}

before(async () => {
  nb.manualSeed(1);
  const { Dense, Conv2D, Flatten } = nb.layers;
  // weights drawn at random: predictions differ between inputs, which is all these tests need
  const flat = new nb.Sequential([new Dense(16, { activation: 'tanh' }), new Dense(10, { activation: 'softmax' })]);
  flat.predict(nb.rand([1, 784]));
  await flat.save(flatModel);
  const cnn = new nb.Sequential([new Conv2D(4, 3, { activation: 'tanh' }), new Flatten(), new Dense(5, { activation: 'softmax' })]);
  cnn.predict(nb.rand([1, 28, 28, 1]));
  await cnn.save(imageModel);
});

test('a PNG for a 784-input model: transparent reads as black, white as ones, any size is resized', () => {
  const top = (...args: string[]) => {
    const r = nabla('predict', ...args, '--top', '10');
    assert.equal(r.code, 0, r.err);
    return r.out;
  };
  const zeros = top(flatModel, constantCsv(join(dir, 'zeros.csv'), 784, 0));
  const ones = top(flatModel, constantCsv(join(dir, 'ones.csv'), 784, 1));
  assert.notEqual(zeros, ones, 'the model tells black from white');
  assert.equal(top(flatModel, solidPng(join(dir, 'clear.png'), 28, 28, [255, 255, 255, 0])), zeros);
  assert.equal(top(flatModel, solidPng(join(dir, 'white.png'), 50, 40, [255, 255, 255, 255])), ones);
});

test('a colour JPEG for a CNN taking [28, 28, 1] images is read as gray and resized', () => {
  const file = join(dir, 'gray.jpg');
  nb.image.writeImage(file, nb.full([30, 45, 3], 0).add(nb.tensor([200 / 255, 100 / 255, 50 / 255])), { quality: 100 });
  // luma of (200, 100, 50): 0.299·200 + 0.587·100 + 0.114·50 = 124.2 (JPEG may move it by a level)
  const x = readInputFile(file, [28, 28, 1]);
  assert.deepEqual(x.shape, [1, 28, 28, 1]);
  for (const v of x.data()) assert.ok(Math.abs(v * 255 - 124.2) < 1.5, `pixel ${v * 255}`);
  // a left half black, right half white image keeps its halves through the 2× shrink
  const halves = nb.tensor(Array.from({ length: 56 * 56 }, (_, i) => (i % 56 < 28 ? 0 : 1)), { shape: [56, 56, 1] });
  nb.image.writeImage(join(dir, 'halves.png'), halves);
  const rows = (readInputFile(join(dir, 'halves.png'), [784]).reshape([28, 28]).toArray() as number[][]);
  for (const row of rows) assert.deepEqual(row.map((v) => Math.round(v * 1000) / 1000), [...new Array(14).fill(0), ...new Array(14).fill(1)]);
  const r = nabla('predict', imageModel, file, '--top', '5');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^class \d \([\d.]+%\), class \d \([\d.]+%\), class \d \([\d.]+%\), class \d \([\d.]+%\), class \d \([\d.]+%\)\n$/);
});

test('corrupt, truncated, mislabelled and unsupported files are refused by name', () => {
  const err = (model: string, file: string) => {
    const r = nabla('predict', model, file);
    assert.equal(r.code, 1, `${file} should fail`);
    return r.err;
  };
  const good = PNG.sync.write(new PNG({ width: 8, height: 8 }));
  writeFileSync(join(dir, 'cut.png'), good.subarray(0, 40));
  assert.match(err(flatModel, join(dir, 'cut.png')), /predict: cannot read .*cut\.png as a PNG image: not a valid PNG/);
  writeFileSync(join(dir, 'anim.png'), Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'));
  assert.match(err(flatModel, join(dir, 'anim.png')), /cannot read .*anim\.png as a PNG image: unsupported format \(expected PNG or JPEG; this looks like GIF\)/);
  writeFileSync(join(dir, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 1, 2, 3, 4, 5, 6, 7, 8]));
  assert.match(err(imageModel, join(dir, 'broken.jpg')), /cannot read .*broken\.jpg as a JPEG image: not a valid JPEG/);
  writeFileSync(join(dir, 'empty.png'), '');
  assert.match(err(flatModel, join(dir, 'empty.png')), /cannot read .*empty\.png as a PNG image: the file is empty/);
  writeFileSync(join(dir, 'pic.bmp'), 'BM');
  assert.match(err(flatModel, join(dir, 'pic.bmp')), /predict: .*pic\.bmp: expected a \.png or \.jpg image or a \.csv file/);
});
