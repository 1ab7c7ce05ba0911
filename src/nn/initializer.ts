/**
 * What every weight initializer is (`Initializer`) and what the random ones share. Every random
 * one draws from the default generator of `tensor/random.ts` (so `nb.manualSeed(s)` makes a model
 * reproducible), or, given `seed`, from a fresh generator with that seed on each call (the same
 * values every time).
 *
 * Fans follow Keras: a `[in, out]` kernel has fanIn = in, fanOut = out; a kernel of rank > 2
 * (`[kh, kw, in, out]`) multiplies both by its receptive field `kh·kw`; a 1-D shape has
 * fanIn = fanOut = its length.
 */
import { allocate, isFloat, type DType } from '../tensor/dtype.js';
import { DTypeError } from '../tensor/errors.js';
import { defaultGenerator, Generator } from '../tensor/random.js';
import { assertShape, sizeOf } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import type { Config } from './config.js';
import { checkSeed } from './config-check.js';

/** Seed option of the random initializers: a number pins the values, null (default) draws from the default generator. */
export interface SeedOptions {
  seed?: number | null;
}

/** Options of one initializer call. */
export interface InitOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
  /**
   * Allocate zeros without computing the initial values: for a weight whose values are about to
   * be replaced (`loadModel` builds a model this way before it reads the weights file).
   */
  skipValues?: boolean;
}

/**
 * Makes the initial value of a weight from its shape (Keras' `Initializer`). Subclasses fill
 * `fill(shape, n, draw)`; `call(shape)` returns a fresh float tensor.
 *
 * @example
 * nn.initializers.heNormal().call([784, 256])
 */
export abstract class Initializer {
  /** The name under which `getInitializer` finds this class (`'GlorotUniform'`). */
  abstract readonly className: string;

  /** A new tensor of `shape` holding the initial values (zeros with `opts.skipValues`). */
  call(shape: readonly number[], opts: InitOptions = {}): Tensor {
    assertShape(`${this.className}`, shape);
    const dtype = opts.dtype ?? 'float32';
    if (!isFloat(dtype)) throw new DTypeError(`${this.className}: weights are float32 or float64, got ${dtype}`);
    const data = allocate(dtype, sizeOf(shape));
    if (opts.skipValues !== true) this.fill(data as Float32Array | Float64Array, shape);
    return new Tensor(data, shape.slice());
  }

  /** Writes the initial values of a weight of `shape` into `data` (row-major). */
  protected abstract fill(data: Float32Array | Float64Array, shape: readonly number[]): void;

  /** The options that rebuild this initializer (JSON-able). */
  getConfig(): Config {
    return {};
  }
}

/** An initializer drawing random numbers; `seed` pins its values (same tensor on every call). */
export abstract class RandomInitializer extends Initializer {
  readonly seed: number | null;

  constructor(seed: number | null | undefined) {
    super();
    this.seed = checkSeed(new.target.name, 'seed', seed);
  }

  protected generator(): Generator {
    return this.seed === null ? defaultGenerator : new Generator(this.seed);
  }

  override getConfig(): Config {
    return { seed: this.seed };
  }
}

/** fanIn and fanOut of a weight shape, with Keras' rules (see the file comment). */
export function computeFans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = sizeOf(shape.slice(0, -2));
  return { fanIn: shape[shape.length - 2]! * receptive, fanOut: shape[shape.length - 1]! * receptive };
}

/** A standard normal truncated to [−2, 2]: values beyond two standard deviations are redrawn. */
export function truncatedStandardNormal(g: Generator): number {
  for (;;) {
    const z = g.normal();
    if (Math.abs(z) <= 2) return z;
  }
}

/** The standard deviation of a standard normal truncated to [−2, 2] (Keras' correction factor). */
export const TRUNCATED_STD = 0.87962566103423978;
