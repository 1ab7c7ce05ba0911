import { DTypeError } from '../../tensor/errors.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/binary.js';
import { mean } from '../../ops/reduce.js';
import { reshape } from '../../ops/movement.js';
import { rsqrt } from '../../ops/unary.js';
import type { Config, SerializedObject } from '../config.js';
import { readOptions } from '../config-options.js';
import { serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { broadcastParamShape, checkFeatureDims, readAxis, resolveAxes } from './normalization-axes.js';

/** Options of `RMSNormalization` (Keras defaults). */
export interface RMSNormalizationOptions extends LayerOptions {
  /** The axis (or axes) normalized over (default −1). */
  axis?: number | number[];
  /** Added to the mean square (default 1e-6, as Keras). */
  epsilon?: number;
  /** Initializer of the `scale` weight (default `'ones'`). */
  scaleInitializer?: Initializer | string | SerializedObject;
}

/**
 * Root-mean-square normalization (Zhang & Sennrich 2019; Keras' `RMSNormalization`):
 * `y = x / √(mean(x²) + ε) · scale` over `axis`, without centring or offset. Used by LLaMA-style
 * transformers in place of LayerNormalization.
 *
 * @example
 * new nn.layers.RMSNormalization().apply(nb.randn([2, 8, 64]))
 */
export class RMSNormalization extends Layer {
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly scaleInitializer: Initializer;
  private featureDims: number[] = [];

  constructor(opts: RMSNormalizationOptions = {}) {
    super(opts);
    const o = readOptions('RMSNormalization', opts);
    this.axis = readAxis('RMSNormalization', opts.axis);
    this.epsilon = o.number('epsilon', 1e-6, { gt: 0 });
    this.scaleInitializer = o.initializer('scaleInitializer', 'ones');
  }

  override build(inputShape: number[]): void {
    const axes = resolveAxes(this.describe(), this.axis, inputShape.length);
    this.featureDims = axes.map((a) => inputShape[a]!);
    this.addWeight('scale', this.featureDims, this.scaleInitializer);
  }

  /** The learned scale (after build). */
  get scale(): Tensor {
    return this.getWeight('scale');
  }

  call(inputs: Tensor): Tensor {
    if (!isFloat(inputs.dtype)) throw new DTypeError(`${this.describe()}: expects float inputs, got ${inputs.dtype}`);
    const axes = resolveAxes(this.describe(), this.axis, inputs.ndim);
    checkFeatureDims(this.describe(), inputs.shape, axes, this.featureDims);
    const inv = rsqrt(add(mean(mul(inputs, inputs), axes, true), this.epsilon));
    return mul(mul(inputs, inv), reshape(this.scale, broadcastParamShape(inputs.shape, axes)));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : this.axis.slice(),
      epsilon: this.epsilon,
      scaleInitializer: serializeInitializer(this.scaleInitializer),
    };
  }
}

registerLayer(RMSNormalization);
