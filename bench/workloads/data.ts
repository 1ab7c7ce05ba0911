/**
 * Training data of the training workloads: Fashion-MNIST's 60,000 training images when the files
 * are installed (the Debian package dataset-fashion-mnist), else seeded random pixels and labels
 * of the same shapes. Every contender reads the same source (the peers load the files themselves).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as nb from '../../src/index.js';

const DIR = process.env['NABLA_DATA'] ? join(process.env['NABLA_DATA'], 'fashion-mnist') : '/usr/share/datasets/fashion-mnist';

/** The Fashion-MNIST folder when its training files are there, else 'random'. Sent to the peers as `data`. */
export const DATA_SOURCE: string =
  ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'].every((f) => existsSync(join(DIR, `${f}.gz`)) || existsSync(join(DIR, f))) ? DIR : 'random';

/** Rows in one epoch of the training workloads. */
export const EPOCH_ROWS = 60_000;

let cached: Promise<{ x: nb.Tensor; y: nb.Tensor }> | undefined;

/**
 * The first `rows` training rows: x float32 `[rows, 784]` in [0, 1], y int32 `[rows]`, each
 * over a storage of exactly its own elements (so `storage` can be handed to another library).
 */
export async function trainingRows(source: string, rows: number): Promise<{ x: nb.Tensor; y: nb.Tensor }> {
  cached ??= source === 'random' ? Promise.resolve(randomRows()) : nb.datasets.fashionMnist({ dir: source }).then((d) => d.train);
  const all = await cached;
  if (rows > all.x.shape[0]!) throw new Error(`bench: ${rows} training rows asked for, the data has ${all.x.shape[0]}`);
  const head = (t: nb.Tensor, shape: number[]) => {
    const c = t.contiguous();
    const size = shape.reduce((a, b) => a * b, 1);
    return new nb.Tensor(c.storage.subarray(c.offset, c.offset + size), shape);
  };
  return { x: head(all.x, [rows, 784]), y: head(all.y, [rows]) };
}

function randomRows(): { x: nb.Tensor; y: nb.Tensor } {
  const g = new nb.Generator(0);
  return { x: nb.rand([EPOCH_ROWS, 784], { generator: g }), y: nb.randint(0, 10, [EPOCH_ROWS], { generator: g }) };
}
