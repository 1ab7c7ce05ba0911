import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import { defaultGenerator, Generator } from '../../../tensor/random.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { cast } from '../../../ops/binary.js';
import { reshape } from '../../../ops/movement.js';

/** Images as the augmentation layers work on them, and the way back to the caller's rank. */
export interface ImageBatch {
  /** `[N, H, W, C]`, float. */
  images: Tensor;
  /** Gives a result of the same rank as the input (drops the batch dim again for one image). */
  restore: (t: Tensor) => Tensor;
}

/**
 * Checks that `inputs` are channels-last images, `[N, H, W, C]` or one image `[H, W, C]`, and
 * returns them as a float batch (integer pixels are cast to `dtype`).
 */
export function asImageBatch(who: string, inputs: Tensor, dtype: 'float32' | 'float64'): ImageBatch {
  if (inputs.ndim !== 3 && inputs.ndim !== 4) {
    throw new ShapeError(`${who}: expects channels-last images [N, H, W, C] (or one image [H, W, C]), got shape ${fmt(inputs.shape)}`);
  }
  const x = isFloat(inputs.dtype) ? inputs : cast(inputs, dtype);
  if (inputs.ndim === 4) return { images: x, restore: (t) => t };
  return { images: reshape(x, [1, ...x.shape]), restore: (t) => reshape(t, t.shape.slice(1)) };
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
    throw new ValueError(`${who}: ${what} must be a number f ≥ 0 (meaning [-f, f]) or a pair [lower, upper] with lower ≤ upper${bounds}, got ${JSON.stringify(factor)}`);
  }
  return [range[0] as number, range[1] as number];
}

/** The generator a layer draws from: its own when seeded, else the global one (`nb.manualSeed`). */
export function layerGenerator(who: string, seed: number | null): Generator | null {
  if (seed === null) return null;
  if (typeof seed !== 'number' || !Number.isFinite(seed)) throw new ValueError(`${who}: seed must be a finite number or null, got ${JSON.stringify(seed)}`);
  return new Generator(seed);
}

/** A uniform draw in `[lo, hi)` from `generator` (the global generator when null). */
export function uniform(generator: Generator | null, lo: number, hi: number): number {
  return lo + (hi - lo) * (generator ?? defaultGenerator).uniform();
}
