import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { datasets } from '../../src/data/index.js';
import { FileNotFoundError } from '../../src/io/index.js';
import { idxBytes } from './idx-files.js';

const SYSTEM_DIR = '/usr/share/datasets/fashion-mnist';
const tmp = mkdtempSync(join(tmpdir(), 'nabla-fashion-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('loads the real Fashion-MNIST', {
  skip: existsSync(SYSTEM_DIR) ? false : `${SYSTEM_DIR} is absent (apt-get install dataset-fashion-mnist)`,
}, async () => {
  const { train, test: testSplit, classNames } = await datasets.fashionMnist({ dir: SYSTEM_DIR });
  assert.deepEqual(train.x.shape, [60000, 784]);
  assert.deepEqual(train.y.shape, [60000]);
  assert.deepEqual(testSplit.x.shape, [10000, 784]);
  assert.deepEqual(testSplit.y.shape, [10000]);
  assert.equal(train.x.dtype, 'float32');
  assert.equal(train.y.dtype, 'int32');
  assert.equal(classNames.length, 10);
  assert.equal(classNames[9], 'Ankle boot');
  for (const split of [train, testSplit]) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of split.x.storage) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    assert.equal(lo, 0);
    assert.equal(hi, 1);
    const counts = new Array<number>(10).fill(0);
    for (const v of split.y.storage) counts[v]! += 1;
    assert.deepEqual(counts, new Array(10).fill(split.y.shape[0]! / 10), 'ten balanced classes, labels 0..9');
  }
  // decode the first label and pixels by hand from the raw files
  const labels = gunzipSync(readFileSync(join(SYSTEM_DIR, 'train-labels-idx1-ubyte.gz')));
  assert.deepEqual([...labels.subarray(0, 4)], [0, 0, 0x08, 1]);
  assert.equal(labels.readInt32BE(4), 60000);
  assert.equal(train.y.storage[0], labels[8]);
  const images = gunzipSync(readFileSync(join(SYSTEM_DIR, 'train-images-idx3-ubyte.gz')));
  assert.deepEqual([images.readInt32BE(4), images.readInt32BE(8), images.readInt32BE(12)], [60000, 28, 28]);
  for (const k of [0, 300, 783, 784 * 59999 + 400]) assert.equal(train.x.storage[k], Math.fround(images[16 + k]! / 255));
  const raw = await datasets.fashionMnist({ dir: SYSTEM_DIR, normalize: false });
  for (const k of [0, 300, 783]) assert.equal(raw.train.x.storage[k], images[16 + k]);
});

test('reads unzipped files from $NABLA_DATA/fashion-mnist', async () => {
  const root = join(tmp, 'data');
  const dir = join(root, 'fashion-mnist');
  mkdirSync(dir, { recursive: true });
  const pixels = (n: number) => Array.from({ length: n * 784 }, (_, i) => i % 256);
  writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxBytes(0x08, [3, 28, 28], pixels(3)));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxBytes(0x08, [3], [9, 0, 4]));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxBytes(0x08, [2, 28, 28], pixels(2), true));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), idxBytes(0x08, [2], [1, 2], true));
  const saved = process.env['NABLA_DATA'];
  process.env['NABLA_DATA'] = root;
  try {
    const { train, test: testSplit } = await datasets.fashionMnist();
    assert.deepEqual(train.x.shape, [3, 784]);
    assert.deepEqual([...train.y.data()], [9, 0, 4]);
    assert.deepEqual([...testSplit.y.data()], [1, 2]);
    assert.equal(train.x.storage[255], 1);
    assert.equal(train.x.storage[1], Math.fround(1 / 255));
    const raw = await datasets.fashionMnist({ normalize: false });
    assert.equal(raw.train.x.storage[255], 255);
  } finally {
    if (saved === undefined) delete process.env['NABLA_DATA'];
    else process.env['NABLA_DATA'] = saved;
  }
});

test('a partial download names exactly the missing files', async () => {
  const dir = join(tmp, 'partial');
  mkdirSync(dir);
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), idxBytes(0x08, [1, 28, 28], new Array(784).fill(0), true));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxBytes(0x08, [1], [0]));
  await assert.rejects(datasets.fashionMnist({ dir }), /has no train-labels-idx1-ubyte\(\.gz\), t10k-images-idx3-ubyte\(\.gz\)\. Install/);
});

test('inconsistent files are rejected', async () => {
  const dir = join(tmp, 'mismatch');
  mkdirSync(dir);
  for (const p of ['train', 't10k']) {
    writeFileSync(join(dir, `${p}-images-idx3-ubyte`), idxBytes(0x08, [2, 28, 28], new Array(2 * 784).fill(0)));
    writeFileSync(join(dir, `${p}-labels-idx1-ubyte`), idxBytes(0x08, [3], [0, 1, 2]));
  }
  await assert.rejects(datasets.fashionMnist({ dir }), /labels-idx1-ubyte holds shape \[3\] but .* holds 2 images/);
});

test('a missing dataset says how to install it', async () => {
  const empty = join(tmp, 'empty');
  mkdirSync(empty);
  await assert.rejects(datasets.fashionMnist({ dir: empty }), (e: Error) =>
    e instanceof FileNotFoundError &&
    e.message.includes(`${empty} has no train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz), t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz)`) &&
    e.message.includes('apt-get install dataset-fashion-mnist') &&
    e.message.includes('{dir}'));
  await assert.rejects(datasets.fashionMnist({ dir: join(tmp, 'nowhere') }), /the folder .*nowhere does not exist/);
});
