import { ShapeError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt, normalizeAxis } from '../../tensor/shape.js';
import { add, mul, sub } from '../../ops/binary.js';
import { mean, variance } from '../../ops/reduce.js';
import { reshape } from '../../ops/movement.js';
import { rsqrt } from '../../ops/unary.js';
import type { Config, SerializedObject } from '../config.js';
import { getInitializer, serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { getRegularizer, serializeRegularizer, type Regularizer } from '../regularizers.js';
import { broadcastParamShape, checkFeatureDims } from './normalization-axes.js';

/** Options of `GroupNormalization` (Keras 3 defaults). */
export interface GroupNormalizationOptions extends LayerOptions {
  /** Number of channel groups (default 32); must divide the channel count; −1 means one group per channel. */
  groups?: number;
  /** The channel axis (default −1, channels last; 1 for channels first). Cannot be the batch axis. */
  axis?: number;
  /** Added to the variance (default 1e-3, as Keras; PyTorch uses 1e-5). */
  epsilon?: number;
  /** Learn a per-channel offset `beta` (default true). */
  center?: boolean;
  /** Learn a per-channel scale `gamma` (default true). */
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
 * Group normalization (Wu & He 2018): the channels are split into `groups` consecutive groups, and
 * each sample is normalized per group with the mean and (biased) variance over all its positions
 * and the group's channels, `y = (x − μ)/√(σ² + ε)·gamma + beta` with per-channel gamma and beta.
 * Independent of the batch size and the same in training and inference. `groups: 1` is layer
 * normalization over all non-batch axes; `groups` = channels is instance normalization.
 *
 * @example
 * new nn.layers.GroupNormalization({ groups: 8 }).apply(nb.randn([4, 32, 32, 64]))  // 8 groups of 8 channels
 */
export class GroupNormalization extends Layer {
  readonly groups: number;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: Initializer;
  readonly gammaInitializer: Initializer;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  private channels = 0;

  constructor(opts: GroupNormalizationOptions = {}) {
    super(opts);
    this.groups = opts.groups ?? 32;
    if (!(Number.isInteger(this.groups) && (this.groups >= 1 || this.groups === -1))) {
      throw new ValueError(`GroupNormalization: groups must be a positive integer (or -1 for one group per channel), got ${this.groups}`);
    }
    this.axis = opts.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new ValueError(`GroupNormalization: axis must be an integer, got ${this.axis}`);
    this.epsilon = opts.epsilon ?? 1e-3;
    if (!(this.epsilon > 0)) throw new ValueError(`GroupNormalization: epsilon must be positive, got ${this.epsilon}`);
    this.center = opts.center ?? true;
    this.scale = opts.scale ?? true;
    this.betaInitializer = getInitializer(opts.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(opts.gammaInitializer ?? 'ones');
    this.betaRegularizer = getRegularizer(opts.betaRegularizer);
    this.gammaRegularizer = getRegularizer(opts.gammaRegularizer);
  }

  /** The channel axis for inputs of rank `ndim`, checked to exist and not to be the batch axis. */
  private channelAxis(shape: readonly number[]): number {
    if (shape.length < 2) throw new ShapeError(`${this.describe()}: needs inputs [batch, ..., channels] with at least 2 dims, got shape ${fmt(shape)}`);
    const axis = normalizeAxis(this.describe(), this.axis, shape.length);
    if (axis === 0) throw new ValueError(`${this.describe()}: axis ${this.axis} is the batch axis; give the channel axis (-1 for channels last, 1 for channels first)`);
    return axis;
  }

  /** The number of groups for `channels` channels (resolving −1), checked to divide them. */
  private groupCount(channels: number): number {
    const groups = this.groups === -1 ? channels : this.groups;
    if (channels % groups !== 0 || groups > channels) {
      throw new ValueError(`${this.describe()}: ${channels} channels cannot be split into ${groups} groups; choose groups dividing ${channels}`);
    }
    return groups;
  }

  override build(inputShape: number[]): void {
    const channels = inputShape[this.channelAxis(inputShape)]!;
    this.groupCount(channels);
    this.channels = channels;
    if (this.scale) this.addWeight('gamma', [channels], this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.addWeight('beta', [channels], this.betaInitializer, { regularizer: this.betaRegularizer });
  }

  /** The learned per-channel scale (after build), or null with `scale: false`. */
  get gamma(): Tensor | null {
    return this.scale ? this.getWeight('gamma') : null;
  }

  /** The learned per-channel offset (after build), or null with `center: false`. */
  get beta(): Tensor | null {
    return this.center ? this.getWeight('beta') : null;
  }

  call(inputs: Tensor): Tensor {
    const shape = inputs.shape;
    const axis = this.channelAxis(shape);
    checkFeatureDims(this.describe(), shape, [axis], [this.channels]);
    const groups = this.groupCount(this.channels);
    // split the channel axis in place into [groups, channels/groups]; the statistics then reduce
    // every axis but the batch and the group axis
    const grouped = [...shape.slice(0, axis), groups, this.channels / groups, ...shape.slice(axis + 1)];
    const reduceAxes = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== axis);
    const xg = reshape(inputs, grouped);
    const mu = mean(xg, reduceAxes, true);
    const inv = rsqrt(add(variance(xg, reduceAxes, true), this.epsilon));
    let y = reshape(mul(sub(xg, mu), inv), shape.slice());
    const paramShape = broadcastParamShape(shape, [axis]);
    const gamma = this.gamma;
    const beta = this.beta;
    if (gamma) y = mul(y, reshape(gamma, paramShape));
    if (beta) y = add(y, reshape(beta, paramShape));
    return y;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    this.groupCount(inputShape[this.channelAxis(inputShape)]!);
    return inputShape.slice();
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
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

registerLayer(GroupNormalization);
