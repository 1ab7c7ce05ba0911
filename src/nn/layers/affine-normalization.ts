import type { Tensor } from '../../tensor/tensor.js';
import { add, mul } from '../../ops/binary.js';
import { reshape } from '../../ops/movement.js';
import type { Config, SerializedObject } from '../config.js';
import { readOptions } from '../config-options.js';
import { serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { serializeRegularizer, type Regularizer } from '../regularizers.js';
import { broadcastParamShape } from './normalization-axes.js';

/** Options every normalization with a learned scale and offset takes (Keras names and defaults). */
export interface AffineNormalizationOptions extends LayerOptions {
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
  /** Penalty on `beta` added to the loss (default none). */
  betaRegularizer?: Regularizer | string | SerializedObject | null;
  /** Penalty on `gamma` added to the loss (default none). */
  gammaRegularizer?: Regularizer | string | SerializedObject | null;
}

/**
 * What LayerNormalization and GroupNormalization share: epsilon, the optional learned `gamma`
 * and `beta` (their options, weights and config), and `y·gamma + beta` broadcast over the input.
 */
export abstract class AffineNormalization extends Layer {
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;

  constructor(opts: AffineNormalizationOptions, label: string) {
    super(opts);
    const o = readOptions(label, opts);
    this.epsilon = o.number('epsilon', 1e-3, { gt: 0 });
    this.center = o.boolean('center', true);
    this.scale = o.boolean('scale', true);
    this.betaInitializer = o.initializer('betaInitializer', 'zeros');
    this.gammaInitializer = o.initializer('gammaInitializer', 'ones');
    this.betaRegularizer = o.regularizer('betaRegularizer');
    this.gammaRegularizer = o.regularizer('gammaRegularizer');
  }

  /** Creates `gamma` and `beta` of `shape` (those that `scale` and `center` ask for). */
  protected addAffineWeights(shape: number[]): void {
    if (this.scale) this.addWeight('gamma', shape, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.addWeight('beta', shape.slice(), this.betaInitializer, { regularizer: this.betaRegularizer });
  }

  /** The learned scale (after build), or null with `scale: false`. */
  get gamma(): Tensor | null {
    return this.scale ? this.getWeight('gamma') : null;
  }

  /** The learned offset (after build), or null with `center: false`. */
  get beta(): Tensor | null {
    return this.center ? this.getWeight('beta') : null;
  }

  /** `y·gamma + beta`, the parameters laid along `axes` of `y` and broadcast elsewhere. */
  protected applyAffine(y: Tensor, axes: readonly number[]): Tensor {
    const paramShape = broadcastParamShape(y.shape, axes);
    const gamma = this.gamma;
    const beta = this.beta;
    if (gamma) y = mul(y, reshape(gamma, paramShape));
    if (beta) y = add(y, reshape(beta, paramShape));
    return y;
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
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
