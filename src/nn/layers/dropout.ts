import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { bernoulli } from '../../tensor/creation.js';
import { Generator } from '../../tensor/random.js';
import { isFloat } from '../../tensor/dtype.js';
import { mul } from '../../ops/binary.js';
import type { Config } from '../config.js';
import { checkNumber } from '../config-check.js';
import { readOptions } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';

/** Options of `Dropout`. */
export interface DropoutOptions extends LayerOptions {
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
}

/**
 * Inverted dropout: in training, each element is zeroed with probability `rate` and the kept ones
 * are scaled by `1/(1 − rate)`, so inference (where the layer is the identity) needs no rescaling.
 *
 * @example
 * new nn.layers.Dropout(0.5).apply(x, true)
 */
export class Dropout extends Layer {
  readonly rate: number;
  readonly seed: number | null;
  private readonly generator: Generator | undefined;

  constructor(rate: number, opts: DropoutOptions = {}) {
    super(opts);
    this.rate = checkNumber('Dropout', 'rate', rate, { ge: 0, lt: 1 });
    this.seed = readOptions('Dropout', opts).seed('seed');
    this.generator = this.seed === null ? undefined : new Generator(this.seed);
  }

  call(inputs: Tensor, training = false): Tensor {
    if (!training || this.rate === 0) return inputs;
    if (!isFloat(inputs.dtype)) throw new ValueError(`${this.describe()}: expects float inputs, got ${inputs.dtype}`);
    const keep = bernoulli(1 - this.rate, inputs.shape, { dtype: inputs.dtype, generator: this.generator });
    return mul(inputs, mul(keep, 1 / (1 - this.rate)));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }

  static override fromConfig(config: Config): Dropout {
    const { rate, ...opts } = config;
    return new Dropout(rate as number, opts as DropoutOptions);
  }
}

registerLayer(Dropout);
