import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { FileNotFoundError, FormatError } from '../../formats/errors.js';
import { fmt } from '../../tensor/shape.js';
import { Tensor } from '../../tensor/tensor.js';
import { decodeIdx } from './idx.js';
import type { LabeledData, LabeledSplit } from './labeled-data.js';

/** Options of `fashionMnist`. */
export interface FashionMnistOptions {
  /**
   * The folder holding the four IDX files. Default: `$NABLA_DATA/fashion-mnist` when the
   * environment variable `NABLA_DATA` is set, else `/usr/share/datasets/fashion-mnist` (where the
   * Debian package `dataset-fashion-mnist` installs them).
   */
  dir?: string;
  /** Scale pixels from 0..255 to [0, 1] (default true); false keeps 0..255 as float32. */
  normalize?: boolean;
}

/** The ten Fashion-MNIST classes, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

const DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';
const gunzipAsync = promisify(gunzip);

/**
 * Loads Fashion-MNIST (Zalando Research): 70,000 grayscale 28×28 images of clothing in 10 classes,
 * 60,000 for training and 10,000 for testing. `x` is float32 `[n, 784]` (rows of pixels, in [0, 1]
 * unless `normalize: false`), `y` int32 `[n]` with labels 0..9 naming `classNames`.
 *
 * Reads the four IDX files Zalando distributes (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each gzipped `.gz` or not) from `dir` (see
 * `FashionMnistOptions.dir`). Nothing is downloaded: on Debian/Ubuntu,
 * `apt-get install dataset-fashion-mnist` provides the files.
 *
 * @example
 * const { train, test, classNames } = await nb.datasets.fashionMnist();
 * train.x.shape // [60000, 784]
 */
export async function fashionMnist(options: FashionMnistOptions = {}): Promise<LabeledData> {
  const dir = options.dir ?? (process.env['NABLA_DATA'] ? join(process.env['NABLA_DATA'], 'fashion-mnist') : DEFAULT_DIR);
  const normalize = options.normalize ?? true;
  const paths = await findFiles(dir);
  const [trainX, trainY, testX, testY] = await Promise.all([
    readIdxFile(paths[0], 'float32'),
    readIdxFile(paths[1], 'int32'),
    readIdxFile(paths[2], 'float32'),
    readIdxFile(paths[3], 'int32'),
  ]);
  return {
    train: split(trainX, paths[0], trainY, paths[1], normalize),
    test: split(testX, paths[2], testY, paths[3], normalize),
    classNames: [...FASHION_MNIST_CLASSES],
  };
}

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const;

/** The four files' paths (`name.gz` preferred over `name`), or one error listing every missing one. */
async function findFiles(dir: string): Promise<[string, string, string, string]> {
  const found = await Promise.all(
    FILES.map(async (name) => {
      for (const path of [join(dir, `${name}.gz`), join(dir, name)]) if (await exists(path)) return path;
      return undefined;
    }),
  );
  const missing = FILES.filter((_, i) => found[i] === undefined);
  if (missing.length === 0) return found as [string, string, string, string];
  const where = (await exists(dir)) ? `${dir} has no ${missing.map((n) => `${n}(.gz)`).join(', ')}` : `the folder ${dir} does not exist`;
  throw new FileNotFoundError(
    `fashionMnist: Fashion-MNIST not found: ${where}. Install it with \`apt-get install dataset-fashion-mnist\` ` +
      '(Debian/Ubuntu), or download the four IDX files Zalando distributes (https://github.com/zalandoresearch/fashion-mnist) ' +
      'and pass {dir} (or set NABLA_DATA to a folder holding fashion-mnist/)',
    join(dir, `${missing[0]!}.gz`),
  );
}

function split(xs: Tensor, xPath: string, ys: Tensor, yPath: string, normalize: boolean): LabeledSplit {
  if (xs.ndim !== 3 || xs.shape[1] !== 28 || xs.shape[2] !== 28) {
    throw new FormatError(`fashionMnist: ${xPath} holds shape ${fmt(xs.shape)}, expected [n,28,28] images`);
  }
  if (ys.ndim !== 1 || ys.shape[0] !== xs.shape[0]) {
    throw new FormatError(`fashionMnist: ${yPath} holds shape ${fmt(ys.shape)} but ${xPath} holds ${xs.shape[0]} images; expected one label per image`);
  }
  const bad = (ys.storage as Int32Array).findIndex((v) => v < 0 || v > 9);
  if (bad >= 0) throw new FormatError(`fashionMnist: ${yPath} has label ${ys.storage[bad]} at index ${bad}; labels are 0..9`);
  const pixels = xs.storage;
  if (normalize) for (let i = 0; i < pixels.length; i++) pixels[i] = pixels[i]! / 255;
  return { x: new Tensor(pixels, [xs.shape[0]!, 784]), y: ys };
}

async function readIdxFile(path: string, dtype: 'float32' | 'int32'): Promise<Tensor> {
  let bytes: Uint8Array = await readFile(path);
  // decompress off the main thread, so the four files inflate in parallel
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes);
    } catch (err) {
      throw new FormatError(`readIdx: ${path} is gzipped but cannot be decompressed (${(err as Error).message}); the file may be incomplete, fetch it again`);
    }
  }
  return decodeIdx(bytes, { dtype, source: path });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
