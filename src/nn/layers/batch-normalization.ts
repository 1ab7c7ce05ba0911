import type { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../tensor/grad-mode.js';
import { add, mul, sub } from '../../ops/binary.js';
import { batchNormTraining } from '../../ops/batch-norm.js';
import { mean } from '../../ops/reduce.js';
import { ones, zeros } from '../../tensor/creation.js';
import { reshape } from '../../ops/movement.js';
import { rsqrt } from '../../ops/unary.js';
import { assignInPlace } from '../assign.js';
import type { Config, SerializedObject } from '../config.js';
import { readOptions } from '../config-options.js';
import { serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { serializeRegularizer, type Regularizer } from '../regularizers.js';
import { broadcastParamShape, checkFeatureDims, resolveAxes } from './normalization-axes.js';

type InitSpec = Initializer | string | SerializedObject;
type RegSpec = Regularizer | string | SerializedObject | null;

/** Options of `BatchNormalization` (Keras defaults). */
export interface BatchNormalizationOptions extends LayerOptions {
  /** The feature axis, kept; every other axis is averaged over (default −1, channels last). */
  axis?: number;
  /** Weight of the old value in the moving averages (default 0.99; PyTorch's momentum 0.1 is 1 − this). */
  momentum?: number;
  /** Added to the variance (default 1e-3). */
  epsilon?: number;
  /** Learn an offset `beta` (default true). */
  center?: boolean;
  /** Learn a scale `gamma` (default true). */
  scale?: boolean;
  betaInitializer?: InitSpec;
  gammaInitializer?: InitSpec;
  /** Default `'zeros'`. */
  movingMeanInitializer?: InitSpec;
  /** Default `'ones'`. */
  movingVarianceInitializer?: InitSpec;
  betaRegularizer?: RegSpec;
  gammaRegularizer?: RegSpec;
}

/**
 * Batch normalization (Ioffe & Szegedy 2015) over every axis but `axis`: `[N, C]`, `[N, T, C]`,
 * `[N, H, W, C]`… In training, the batch mean and (biased) variance normalize the input, and the
 * moving statistics follow them: `moving = moving·momentum + batch·(1 − momentum)` (not
 * recorded by autograd). In inference, and whenever the layer is frozen (`trainable = false`, as
 * in Keras, for fine-tuning), the moving statistics are used. They are non-trainable weights, so
 * they are saved in state dicts but never touched by an optimizer.
 *
 * @example
 * const bn = new nn.layers.BatchNormalization();
 * bn.apply(x, true);    // training: batch statistics, updates movingMean/movingVariance
 * bn.apply(x);          // inference: moving statistics
 */
export class BatchNormalization extends Layer {
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly movingMeanInitializer: Initializer;
  readonly movingVarianceInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  private featureDims: number[] = [];

  constructor(opts: BatchNormalizationOptions = {}) {
    super(opts);
    const o = readOptions('BatchNormalization', opts);
    this.axis = o.integer('axis', -1);
    this.momentum = o.number('momentum', 0.99, { ge: 0, le: 1 });
    this.epsilon = o.number('epsilon', 1e-3, { gt: 0 });
    this.center = o.boolean('center', true);
    this.scale = o.boolean('scale', true);
    this.betaInitializer = o.initializer('betaInitializer', 'zeros');
    this.gammaInitializer = o.initializer('gammaInitializer', 'ones');
    this.movingMeanInitializer = o.initializer('movingMeanInitializer', 'zeros');
    this.movingVarianceInitializer = o.initializer('movingVarianceInitializer', 'ones');
    this.betaRegularizer = o.regularizer('betaRegularizer');
    this.gammaRegularizer = o.regularizer('gammaRegularizer');
  }

  override build(inputShape: number[]): void {
    const axes = resolveAxes(this.describe(), this.axis, inputShape.length);
    this.featureDims = axes.map((a) => inputShape[a]!);
    if (this.scale) this.addWeight('gamma', this.featureDims, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.addWeight('beta', this.featureDims, this.betaInitializer, { regularizer: this.betaRegularizer });
    this.addWeight('movingMean', this.featureDims, this.movingMeanInitializer, { trainable: false });
    this.addWeight('movingVariance', this.featureDims, this.movingVarianceInitializer, { trainable: false });
  }

  /** The learned scale (after build), or null with `scale: false`. */
  get gamma(): Tensor | null {
    return this.scale ? this.getWeight('gamma') : null;
  }

  /** The learned offset (after build), or null with `center: false`. */
  get beta(): Tensor | null {
    return this.center ? this.getWeight('beta') : null;
  }

  /** The moving average of the batch means (non-trainable). */
  get movingMean(): Tensor {
    return this.getWeight('movingMean');
  }

  /** The moving average of the batch variances (non-trainable). */
  get movingVariance(): Tensor {
    return this.getWeight('movingVariance');
  }

  call(inputs: Tensor, training = false): Tensor {
    const featureAxes = resolveAxes(this.describe(), this.axis, inputs.ndim);
    checkFeatureDims(this.describe(), inputs.shape, featureAxes, this.featureDims);
    const reduceAxes = inputs.shape.map((_, i) => i).filter((i) => !featureAxes.includes(i));
    const paramShape = broadcastParamShape(inputs.shape, featureAxes);
    const gamma = this.gamma;
    const beta = this.beta;
    // γ/√(σ² + ε) and β are per-feature: folding them into one scale and one shift leaves two
    // passes over the input (and a centring pass when training) instead of five
    const scaleOf = (varx: Tensor) => {
      const r = rsqrt(add(varx, this.epsilon));
      return gamma ? mul(r, reshape(gamma, paramShape)) : r;
    };
    const last = featureAxes.length === 1 && featureAxes[0] === inputs.ndim - 1;
    if (training && this.trainable && last && inputs.dtype === this.movingMean.dtype && inputs.size > 0) {
      // channels last: statistics, normalization and their gradients in fused passes
      const c = inputs.shape[inputs.ndim - 1]!;
      const { y, mean: mu, variance } = batchNormTraining(inputs, gamma ?? ones([c], { dtype: inputs.dtype }), beta ?? zeros([c], { dtype: inputs.dtype }), this.epsilon);
      this.updateMovingStats(mu, variance);
      return y;
    }
    if (training && this.trainable) {
      const mu = mean(inputs, reduceAxes, true);
      const centred = sub(inputs, mu);
      const varx = mean(mul(centred, centred), reduceAxes, true);
      this.updateMovingStats(mu, varx);
      const y = mul(centred, scaleOf(varx));
      return beta ? add(y, reshape(beta, paramShape)) : y;
    }
    const scale = scaleOf(reshape(this.movingVariance, paramShape));
    // y = (x − μ)·scale + β = x·scale + (β − μ·scale)
    const shift = sub(beta ? reshape(beta, paramShape) : 0, mul(reshape(this.movingMean, paramShape), scale));
    return add(mul(inputs, scale), shift);
  }

  /** moving ← moving·momentum + batch·(1 − momentum), in place, outside the graph. */
  private updateMovingStats(batchMean: Tensor, batchVar: Tensor): void {
    noGrad(() => {
      const m = this.momentum;
      for (const [moving, batch] of [[this.movingMean, batchMean], [this.movingVariance, batchVar]] as const) {
        const next = add(mul(moving, m), mul(reshape(batch, moving.shape), 1 - m));
        assignInPlace(moving, next, `${this.describe()} moving statistics`);
      }
    });
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      movingMeanInitializer: serializeInitializer(this.movingMeanInitializer),
      movingVarianceInitializer: serializeInitializer(this.movingVarianceInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}

registerLayer(BatchNormalization);
