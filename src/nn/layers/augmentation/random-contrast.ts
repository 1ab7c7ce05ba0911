import { ValueError } from '../../../tensor/errors.js';
import type { Generator } from '../../../tensor/random.js';
import { allocate } from '../../../tensor/dtype.js';
import { Tensor } from '../../../tensor/tensor.js';
import { add, clamp, mul, sub } from '../../../ops/binary.js';
import { mean } from '../../../ops/reduce.js';
import type { DataFormat } from '../../../ops/window.js';
import type { Config } from '../../config.js';
import { checkSeed, describeValue } from '../../config-check.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { asImageBatch, checkDataFormat, layerGenerator, uniform, type Factor } from './image-batch.js';

/** Options of `RandomContrast`. */
export interface RandomContrastOptions extends LayerOptions {
  /**
   * The range pixel values live in; results are clipped to it. Default `[0, 255]` (Keras');
   * use `[0, 1]` for images from `nb.image.readImage`, or null for no clipping.
   */
  valueRange?: readonly [number, number] | null;
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
  /** `'channelsLast'` (default: `[N, H, W, C]`) or `'channelsFirst'` (`[N, C, H, W]`). */
  dataFormat?: DataFormat;
}

/**
 * In training, scales the contrast of each image of an `[N, H, W, C]` (or `[N, C, H, W]`) batch by a random factor
 * `c`: `(x − m)·c + m`, where `m` is the image's mean per channel, then clips to `valueRange`.
 * `c` is uniform in `[1 − lower, 1 + upper]`, where `factor` is a number (lower = upper = it)
 * or `[lower, upper]`, each in [0, 1]. The identity in inference.
 *
 * @example
 * new nn.layers.RandomContrast(0.2, { valueRange: [0, 1] })   // contrast × [0.8, 1.2]
 */
export class RandomContrast extends Layer {
  readonly factor: Factor;
  readonly valueRange: [number, number] | null;
  readonly seed: number | null;
  readonly dataFormat: DataFormat;
  private readonly lower: number;
  private readonly upper: number;
  private readonly generator: Generator | null;

  constructor(factor: Factor, opts: RandomContrastOptions = {}) {
    super(opts);
    const pair = typeof factor === 'number' ? [factor, factor] : Array.isArray(factor) && factor.length === 2 ? factor : null;
    if (pair === null || !pair.every((v: unknown) => typeof v === 'number' && v >= 0 && v <= 1)) {
      throw new ValueError(`RandomContrast: factor must be a number in [0, 1] or a pair [lower, upper] of them (contrast × [1 − lower, 1 + upper]), got ${describeValue(factor)}`);
    }
    this.factor = typeof factor === 'number' ? factor : [pair[0]!, pair[1]!];
    this.lower = pair[0]!;
    this.upper = pair[1]!;
    const range = opts.valueRange === undefined ? [0, 255] : opts.valueRange;
    if (range !== null && !(Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0]! < range[1]!)) {
      throw new ValueError(`RandomContrast: valueRange must be [low, high] with low < high, or null, got ${describeValue(opts.valueRange)}`);
    }
    this.valueRange = range === null ? null : [range[0]!, range[1]!];
    this.seed = checkSeed('RandomContrast', 'seed', opts.seed);
    this.generator = layerGenerator('RandomContrast', this.seed);
    this.dataFormat = checkDataFormat('RandomContrast', opts.dataFormat);
  }

  call(inputs: Tensor, training = false): Tensor {
    if (!training) return inputs;
    const { images, restore } = asImageBatch(this.describe(), inputs, this.dtype, this.dataFormat);
    const n = images.shape[0]!;
    const factors = allocate(images.dtype, n);
    for (let i = 0; i < n; i++) factors[i] = uniform(this.generator, 1 - this.lower, 1 + this.upper);
    const m = mean(images, [1, 2], true);
    const out = add(mul(sub(images, m), new Tensor(factors, [n, 1, 1, 1])), m);
    return restore(this.valueRange === null ? out : clamp(out, this.valueRange[0], this.valueRange[1]));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor, valueRange: this.valueRange, seed: this.seed, dataFormat: this.dataFormat };
  }

  static override fromConfig(config: Config): RandomContrast {
    const { factor, ...opts } = config;
    return new RandomContrast(factor as Factor, opts as RandomContrastOptions);
  }
}

registerLayer(RandomContrast);
