import { ShapeError, ValueError } from '../../tensor/errors.js';
import type { Tensor } from '../../tensor/tensor.js';
import { fmt, normalizeAxis } from '../../tensor/shape.js';
import { add, mul, sub } from '../../ops/binary.js';
import { mean, variance } from '../../ops/reduce.js';
import { reshape } from '../../ops/movement.js';
import { rsqrt } from '../../ops/unary.js';
import type { Config } from '../config.js';
import { optionError } from '../config-check.js';
import { readOptions } from '../config-options.js';
import { registerLayer } from '../layer-registry.js';
import { AffineNormalization, type AffineNormalizationOptions } from './affine-normalization.js';
import { checkFeatureDims } from './normalization-axes.js';

/** Options of `GroupNormalization` (Keras 3 defaults). */
export interface GroupNormalizationOptions extends AffineNormalizationOptions {
  /** Number of channel groups (default 32); must divide the channel count; −1 means one group per channel. */
  groups?: number;
  /** The channel axis (default −1, channels last; 1 for channels first). Cannot be the batch axis. */
  axis?: number;
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
export class GroupNormalization extends AffineNormalization {
  readonly groups: number;
  readonly axis: number;
  private channels = 0;

  constructor(opts: GroupNormalizationOptions = {}) {
    super(opts, 'GroupNormalization');
    const o = readOptions('GroupNormalization', opts);
    const groups = o.raw('groups') ?? 32;
    if (typeof groups !== 'number' || !Number.isInteger(groups) || !(groups >= 1 || groups === -1)) {
      throw optionError('GroupNormalization', 'groups', 'a positive integer (or -1 for one group per channel)', groups);
    }
    this.groups = groups;
    this.axis = o.integer('axis', -1);
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
    this.addAffineWeights([channels]);
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
    return this.applyAffine(reshape(mul(sub(xg, mu), inv), shape.slice()), [axis]);
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
    };
  }
}

registerLayer(GroupNormalization);
