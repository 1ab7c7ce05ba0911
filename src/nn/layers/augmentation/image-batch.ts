import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import { defaultGenerator, Generator } from '../../../tensor/random.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { cast } from '../../../ops/binary.js';
import { permute, reshape } from '../../../ops/movement.js';
import type { DataFormat } from '../../../ops/window.js';
import { checkOneOf, checkSeed, describeValue } from '../../config-check.js';

/** Images as the augmentation layers work on them, and the way back to the caller's layout. */
export interface ImageBatch {
  /** `[N, H, W, C]`, float. */
  images: Tensor;
  /** Gives a result in the input's layout and rank (channels first again, no batch dim for one image). */
  restore: (t: Tensor) => Tensor;
}

/** The layout of images an augmentation layer takes, as words for its errors. */
function layout(format: DataFormat): string {
  return format === 'channelsLast' ? 'channels-last images [N, H, W, C] (or one image [H, W, C])' : 'channels-first images [N, C, H, W] (or one image [C, H, W])';
}

/**
 * Checks that `inputs` are images in `format` — `[N, H, W, C]` / one image `[H, W, C]`, or
 * `[N, C, H, W]` / `[C, H, W]` — and returns them as a float channels-last batch (integer pixels
 * are cast to `dtype`) with the way back.
 */
export function asImageBatch(who: string, inputs: Tensor, dtype: 'float32' | 'float64', format: DataFormat = 'channelsLast'): ImageBatch {
  if (inputs.ndim !== 3 && inputs.ndim !== 4) throw new ShapeError(`${who}: expects ${layout(format)}, got shape ${fmt(inputs.shape)}`);
  const x = isFloat(inputs.dtype) ? inputs : cast(inputs, dtype);
  const batch = inputs.ndim === 4 ? x : reshape(x, [1, ...x.shape]);
  const first = format === 'channelsFirst';
  const images = first ? permute(batch, [0, 2, 3, 1]) : batch;
  return {
    images,
    restore: (t) => {
      const back = first ? permute(t, [0, 3, 1, 2]) : t;
      return inputs.ndim === 4 ? back : reshape(back, back.shape.slice(1));
    },
  };
}

/** Validates a layer's `dataFormat` option (default `'channelsLast'`). */
export function checkDataFormat(who: string, format: unknown): DataFormat {
  return format === undefined || format === null ? 'channelsLast' : checkOneOf(who, 'dataFormat', format, ['channelsLast', 'channelsFirst']);
}

/** The `[height, width]` axes of an image shape of rank 3 or 4 in `format`, checked. */
export function spatialAxes(who: string, shape: readonly number[], format: DataFormat): [number, number] {
  if (shape.length !== 3 && shape.length !== 4) throw new ShapeError(`${who}: expects ${layout(format)}, got shape ${fmt(shape)}`);
  const h = format === 'channelsLast' ? shape.length - 3 : shape.length - 2;
  return [h, h + 1];
}

/** A Keras factor option: `f` means `[−f, f]`; a pair is `[lower, upper]`. */
export type Factor = number | readonly [number, number];

/** A `[lower, upper]` range of a factor option, as Keras reads it. */
export type FactorRange = [number, number];

/**
 * Reads a Keras factor: a number `f ≥ 0` means `[−f, f]`, a pair means `[lower, upper]`. Every
 * bound must lie in `[min, max]`.
 */
export function factorRange(who: string, what: string, factor: unknown, min = -Infinity, max = Infinity): FactorRange {
  const range: unknown[] | null =
    typeof factor === 'number' ? (factor >= 0 ? [-factor, factor] : null) : Array.isArray(factor) && factor.length === 2 ? factor : null;
  const ok = range !== null && range.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max) && (range[0] as number) <= (range[1] as number);
  if (!ok) {
    const bounds = Number.isFinite(min) ? ` with bounds in [${min}, ${max}]` : '';
    throw new ValueError(`${who}: ${what} must be a number f ≥ 0 (meaning [-f, f]) or a pair [lower, upper] with lower ≤ upper${bounds}, got ${describeValue(factor)}`);
  }
  return [range[0] as number, range[1] as number];
}

/** The generator a layer draws from: its own when seeded, else the global one (`nb.manualSeed`). */
export function layerGenerator(who: string, seed: number | null): Generator | null {
  const checked = checkSeed(who, 'seed', seed);
  return checked === null ? null : new Generator(checked);
}

/** A uniform draw in `[lo, hi)` from `generator` (the global generator when null). */
export function uniform(generator: Generator | null, lo: number, hi: number): number {
  return lo + (hi - lo) * (generator ?? defaultGenerator).uniform();
}
