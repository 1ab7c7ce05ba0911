import { ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { add, mul, sub } from '../../ops/binary.js';
import { mean, variance } from '../../ops/reduce.js';
import { reshape } from '../../ops/movement.js';
import { rsqrt } from '../../ops/unary.js';
import { layerNorm } from '../../ops/nn.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Config, SerializedObject } from '../config.js';
import { getInitializer, serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { getRegularizer, serializeRegularizer, type Regularizer } from '../regularizers.js';
import { broadcastParamShape, checkFeatureDims, resolveAxes } from './normalization-axes.js';

/** Options of `LayerNormalization` (Keras defaults). */
export interface LayerNormalizationOptions extends LayerOptions {
  /** The axis (or axes) normalized over, per sample (default −1). */
  axis?: number | number[];
  /** Added to the variance (default 1e-3, as Keras; PyTorch uses 1e-5). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  /** Default `'zeros'`. */
  betaInitializer?: Initializer | string | SerializedObject;
  /** Default `'ones'`. */
  gammaInitializer?: Initializer | string | SerializedObject;
  betaRegularizer?: Regularizer | string | SerializedObject | null;
  gammaRegularizer?: Regularizer | string | SerializedObject | null;
}

/**
 * Layer normalization (Ba et al. 2016): each sample is normalized over `axis` with its own mean
 * and (biased) variance, `y = (x − μ)/√(σ² + ε)·gamma + beta`; the same in training and inference.
 *
 * @example
 * new nn.layers.LayerNormalization().apply(nb.randn([8, 16, 64]))   // per-token over the 64 features
 */
export class LayerNormalization extends Layer {
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  private featureDims: number[] = [];

  constructor(opts: LayerNormalizationOptions = {}) {
    super(opts);
    this.axis = opts.axis ?? -1;
    this.epsilon = opts.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new ValueError(`LayerNormalization: epsilon must be positive, got ${this.epsilon}`);
    this.center = opts.center ?? true;
    this.scale = opts.scale ?? true;
    this.betaInitializer = getInitializer(opts.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(opts.gammaInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(opts.betaRegularizer);
    this.gammaRegularizer = getRegularizer(opts.gammaRegularizer);
  }

  override build(inputShape: number[]): void {
    const axes = resolveAxes(this.describe(), this.axis, inputShape.length);
    this.featureDims = axes.map((a) => inputShape[a]!);
    if (this.scale) this.addWeight('gamma', this.featureDims, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.addWeight('beta', this.featureDims, this.betaInitializer, { regularizer: this.betaRegularizer });
  }

  /** The learned scale (after build), or null with `scale: false`. */
  get gamma(): Tensor | null {
    return this.scale ? this.getWeight('gamma') : null;
  }

  /** The learned offset (after build), or null with `center: false`. */
  get beta(): Tensor | null {
    return this.center ? this.getWeight('beta') : null;
  }

  call(inputs: Tensor): Tensor {
    const axes = resolveAxes(this.describe(), this.axis, inputs.ndim);
    checkFeatureDims(this.describe(), inputs.shape, axes, this.featureDims);
    // the usual case, the last axis alone, runs fused (one pass each way)
    if (axes.length === 1 && axes[0] === inputs.ndim - 1 && isFloat(inputs.dtype)) return layerNorm(inputs, this.gamma, this.beta, this.epsilon);
    const mu = mean(inputs, axes, true);
    const inv = rsqrt(add(variance(inputs, axes, true), this.epsilon));
    let y = mul(sub(inputs, mu), inv);
    const paramShape = broadcastParamShape(inputs.shape, axes);
    const gamma = this.gamma;
    const beta = this.beta;
    if (gamma) y = mul(y, reshape(gamma, paramShape));
    if (beta) y = add(y, reshape(beta, paramShape));
    return y;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : this.axis.slice(),
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}

registerLayer(LayerNormalization);
