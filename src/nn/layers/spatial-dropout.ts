import { ShapeError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { bernoulli } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { isFloat } from '../../tensor/dtype.js';
import { fmt } from '../../tensor/shape.js';
import { mul } from '../../ops/binary.js';
import type { DataFormat } from '../../ops/window.js';
import type { Config } from '../config.js';
import { checkNumber } from '../config-check.js';
import { readOptions } from '../config-options.js';
import { readDataFormat } from './conv-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';

/** Options of `SpatialDropout1D` and `SpatialDropout2D`. */
export interface SpatialDropoutOptions extends LayerOptions {
  /** `'channelsLast'` (default, `[N, ..., C]`) or `'channelsFirst'` (`[N, C, ...]`). */
  dataFormat?: DataFormat;
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
}

/**
 * What the spatial dropouts share: one keep/drop draw per sample and channel, broadcast over the
 * `rank` spatial dims. Neighbouring positions of a feature map are strongly correlated, so
 * dropping single elements regularizes little; dropping whole maps does (Tompson et al. 2015).
 */
abstract class SpatialDropout extends Layer {
  readonly rate: number;
  readonly dataFormat: DataFormat;
  readonly seed: number | null;
  private readonly generator: Generator | undefined;

  protected constructor(private readonly rank: number, rate: number, opts: SpatialDropoutOptions) {
    super(opts);
    const cls = this.className;
    this.rate = checkNumber(cls, 'rate', rate, { ge: 0, lt: 1 });
    this.dataFormat = readDataFormat(cls, opts.dataFormat);
    this.seed = readOptions(cls, opts).seed('seed');
    this.generator = this.seed === null ? undefined : new Generator(this.seed);
  }

  /** The mask shape: the batch and channel sizes of `shape`, 1 on every spatial dim. */
  private noiseShape(shape: readonly number[]): number[] {
    const channelAxis = this.dataFormat === 'channelsLast' ? shape.length - 1 : 1;
    return shape.map((d, i) => (i === 0 || i === channelAxis ? d : 1));
  }

  private checkRank(shape: readonly number[]): void {
    if (shape.length === this.rank + 2) return;
    const names = this.rank === 1 ? ['steps'] : ['height', 'width'];
    const layout = this.dataFormat === 'channelsLast' ? ['batch', ...names, 'channels'] : ['batch', 'channels', ...names];
    throw new ShapeError(`${this.describe()}: expected a ${this.rank + 2}-D input [${layout.join(', ')}], got shape ${fmt(shape)}`);
  }

  call(inputs: Tensor, training = false): Tensor {
    this.checkRank(inputs.shape);
    if (!training || this.rate === 0) return inputs;
    if (!isFloat(inputs.dtype)) throw new ValueError(`${this.describe()}: expects float inputs, got ${inputs.dtype}`);
    const keep = bernoulli(1 - this.rate, this.noiseShape(inputs.shape), { dtype: inputs.dtype, generator: this.generator });
    return mul(inputs, mul(keep, 1 / (1 - this.rate)));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    this.checkRank(inputShape);
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, dataFormat: this.dataFormat, seed: this.seed };
  }
}

/**
 * Dropout of whole channels of sequences `[N, steps, C]` (or `[N, C, steps]`): in training, each
 * channel of each sample is zeroed at every step with probability `rate`, the kept ones scaled by
 * `1/(1 − rate)`; the identity in inference.
 *
 * @example
 * new nn.layers.SpatialDropout1D(0.2).apply(nb.randn([8, 100, 64]), true)
 */
export class SpatialDropout1D extends SpatialDropout {
  constructor(rate: number, opts: SpatialDropoutOptions = {}) {
    super(1, rate, opts);
  }

  static override fromConfig(config: Config): SpatialDropout1D {
    const { rate, ...opts } = config;
    return new SpatialDropout1D(rate as number, opts as SpatialDropoutOptions);
  }
}

/**
 * Dropout of whole feature maps of images `[N, H, W, C]` (or `[N, C, H, W]`): in training, each
 * channel of each sample is zeroed at every pixel with probability `rate`, the kept ones scaled by
 * `1/(1 − rate)`; the identity in inference.
 *
 * @example
 * new nn.layers.SpatialDropout2D(0.3).apply(nb.randn([8, 28, 28, 32]), true)
 */
export class SpatialDropout2D extends SpatialDropout {
  constructor(rate: number, opts: SpatialDropoutOptions = {}) {
    super(2, rate, opts);
  }

  static override fromConfig(config: Config): SpatialDropout2D {
    const { rate, ...opts } = config;
    return new SpatialDropout2D(rate as number, opts as SpatialDropoutOptions);
  }
}

registerLayer(SpatialDropout1D);
registerLayer(SpatialDropout2D);
