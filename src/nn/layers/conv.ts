import type { Initializer } from '../initializer.js';
import type { Regularizer } from '../regularizers.js';
import { ShapeError } from '../../tensor/errors.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { conv1d, conv2d, type ConvOptions } from '../../ops/conv.js';
import { fusedActivationOf } from '../activations.js';
import type { Config } from '../config.js';
import { checkInteger, optionError } from '../config-check.js';
import type { LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { convOutputShape, inputDims, parseWindow, windowConfig, type ConvWindow, type ConvWindowOptions } from './conv-options.js';
import { WeightedLayer, type ActivationBiasOptions, type KernelOptions } from './weighted-layer.js';

/** Options of `Conv1D` and `Conv2D` (Keras defaults; the bias is one per filter). */
export interface ConvLayerOptions extends LayerOptions, ConvWindowOptions, ActivationBiasOptions, KernelOptions {
  /** Split channels into this many independent groups (default 1); must divide `filters` and the input channels. */
  groups?: number;
}

/**
 * What every kernel + bias convolution layer shares (options, validation, weights, config);
 * `Conv1D`/`Conv2D` fix the rank, `Conv2DTranspose` changes the kernel layout and the op.
 */
export abstract class BaseConv extends WeightedLayer<'kernel'> {
  /** Keras' name for `initializers.kernel`. */
  get kernelInitializer(): Initializer {
    return this.initializers.kernel;
  }

  /** Keras' name for `regularizers.kernel`. */
  get kernelRegularizer(): Regularizer | null {
    return this.regularizers.kernel;
  }

  readonly filters: number;
  readonly window: ConvWindow;
  readonly groups: number;

  constructor(cls: string, readonly rank: 1 | 2, filters: number, kernelSize: number | readonly number[], opts: ConvLayerOptions) {
    super(opts, { kernel: 'glorotUniform' });
    this.filters = checkInteger(cls, 'filters', filters, { ge: 1 });
    this.window = parseWindow(cls, rank, kernelSize, opts);
    const groups = opts.groups ?? 1;
    if (typeof groups !== 'number' || !Number.isInteger(groups) || groups < 1 || filters % groups !== 0) {
      throw optionError(cls, 'groups', `a positive integer dividing filters (${filters})`, groups);
    }
    this.groups = groups;
  }

  override build(inputShape: number[]): void {
    const { channels } = inputDims(this.describe(), inputShape, this.rank, this.window.dataFormat);
    if (channels % this.groups !== 0) throw new ShapeError(`${this.describe()}: groups (${this.groups}) must divide the ${channels} input channels`);
    this.addWeightOf('kernel', 'kernel', this.kernelShape(channels));
    this.addBias(this.filters);
  }

  /** Keras' layout: `[...kernelSize, inChannels/groups, filters]`. */
  protected kernelShape(channels: number): number[] {
    return [...this.window.kernelSize, channels / this.groups, this.filters];
  }

  /** The kernel (after build), in the layout of `kernelShape`. */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    const w = this.window;
    // relu/sigmoid/tanh/gelu/linear run with the bias in one pass each way
    const fused = fusedActivationOf(this.activation);
    const opts: ConvOptions = {
      strides: w.strides, padding: w.padding, dilation: w.dilationRate, groups: this.groups, dataFormat: w.dataFormat, bias: this.bias,
      activation: this.bias ? fused : null,
    };
    const y = this.rank === 1 ? conv1d(x, this.kernel, opts) : conv2d(x, this.kernel, opts);
    return opts.activation ? y : this.activation(y);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return convOutputShape(this.describe(), inputShape, this.rank, this.window, () => this.filters);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this.window),
      groups: this.groups,
      ...this.weightConfig(),
    };
  }
}

/**
 * 2-D convolution layer: `activation(conv2d(x, kernel) + bias)` with `kernel [kh, kw,
 * inChannels/groups, filters]` (Keras layout). `[N, H, W, C] → [N, outH, outW, filters]`.
 *
 * @example
 * const conv = new nn.layers.Conv2D(32, 3, { padding: 'same', activation: 'relu' });
 * conv.apply(nb.randn([8, 28, 28, 1]))   // [8, 28, 28, 32]
 */
export class Conv2D extends BaseConv {
  constructor(filters: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super('Conv2D', 2, filters, kernelSize, opts);
  }

  static override fromConfig(config: Config): Conv2D {
    const { filters, kernelSize, ...opts } = config;
    return new Conv2D(filters as number, kernelSize as number[], opts as ConvLayerOptions);
  }
}

/**
 * 1-D convolution layer over sequences: `[N, L, C] → [N, outL, filters]` with `kernel [k,
 * inChannels/groups, filters]`. Padding may be `'causal'`.
 *
 * @example
 * new nn.layers.Conv1D(16, 5, { padding: 'causal' }).apply(nb.randn([4, 100, 8]))   // [4, 100, 16]
 */
export class Conv1D extends BaseConv {
  constructor(filters: number, kernelSize: number | readonly number[], opts: ConvLayerOptions = {}) {
    super('Conv1D', 1, filters, kernelSize, opts);
  }

  static override fromConfig(config: Config): Conv1D {
    const { filters, kernelSize, ...opts } = config;
    return new Conv1D(filters as number, kernelSize as number[], opts as ConvLayerOptions);
  }
}

registerLayer(Conv1D);
registerLayer(Conv2D);
