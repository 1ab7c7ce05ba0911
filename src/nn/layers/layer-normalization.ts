import type { Tensor } from '../../tensor/tensor.js';
import { add, mul, sub } from '../../ops/binary.js';
import { mean, variance } from '../../ops/reduce.js';
import { rsqrt } from '../../ops/unary.js';
import { layerNorm } from '../../ops/nn.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Config } from '../config.js';
import { registerLayer } from '../layer-registry.js';
import { AffineNormalization, type AffineNormalizationOptions } from './affine-normalization.js';
import { checkFeatureDims, readAxis, resolveAxes } from './normalization-axes.js';

/** Options of `LayerNormalization` (Keras defaults). */
export interface LayerNormalizationOptions extends AffineNormalizationOptions {
  /** The axis (or axes) normalized over, per sample (default −1). */
  axis?: number | number[];
}

/**
 * Layer normalization (Ba et al. 2016): each sample is normalized over `axis` with its own mean
 * and (biased) variance, `y = (x − μ)/√(σ² + ε)·gamma + beta`; the same in training and inference.
 *
 * @example
 * new nn.layers.LayerNormalization().apply(nb.randn([8, 16, 64]))   // per-token over the 64 features
 */
export class LayerNormalization extends AffineNormalization {
  readonly axis: number | number[];
  private featureDims: number[] = [];

  constructor(opts: LayerNormalizationOptions = {}) {
    super(opts, 'LayerNormalization');
    this.axis = readAxis('LayerNormalization', opts.axis);
  }

  override build(inputShape: number[]): void {
    const axes = resolveAxes(this.describe(), this.axis, inputShape.length);
    this.featureDims = axes.map((a) => inputShape[a]!);
    this.addAffineWeights(this.featureDims);
  }

  call(inputs: Tensor): Tensor {
    const axes = resolveAxes(this.describe(), this.axis, inputs.ndim);
    checkFeatureDims(this.describe(), inputs.shape, axes, this.featureDims);
    // the usual case, the last axis alone, runs fused (one pass each way)
    if (axes.length === 1 && axes[0] === inputs.ndim - 1 && isFloat(inputs.dtype)) return layerNorm(inputs, this.gamma, this.beta, this.epsilon);
    const mu = mean(inputs, axes, true);
    const inv = rsqrt(add(variance(inputs, axes, true), this.epsilon));
    return this.applyAffine(mul(sub(inputs, mu), inv), axes);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : this.axis.slice() };
  }
}

registerLayer(LayerNormalization);
