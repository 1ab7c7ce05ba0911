import type { Initializer } from '../initializer.js';
import type { Regularizer } from '../regularizers.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { depthwiseConv2d } from '../../ops/conv.js';
import type { Config } from '../config.js';
import { readOptions } from '../config-options.js';
import type { LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { convOutputShape, inputDims, parseWindow, windowConfig, type ConvWindow, type ConvWindowOptions } from './conv-options.js';
import { WeightedLayer, type ActivationBiasOptions, type DepthwiseKernelOptions } from './weighted-layer.js';

/** Options of `DepthwiseConv2D` (Keras defaults; the bias is one per output channel). */
export interface DepthwiseConv2DOptions extends LayerOptions, ConvWindowOptions, ActivationBiasOptions, DepthwiseKernelOptions {
  /** Filters per input channel (default 1): the output has `channels·depthMultiplier` channels. */
  depthMultiplier?: number;
}

/**
 * Depthwise 2-D convolution layer: every input channel is convolved with its own
 * `depthMultiplier` filters (no mixing across channels). `kernel [kh, kw, C, depthMultiplier]`;
 * `[N, H, W, C] → [N, outH, outW, C·depthMultiplier]`.
 *
 * @example
 * new nn.layers.DepthwiseConv2D(3, { padding: 'same' }).apply(nb.randn([2, 16, 16, 8]))   // [2, 16, 16, 8]
 */
export class DepthwiseConv2D extends WeightedLayer<'depthwise'> {
  /** Keras' name for `initializers.depthwise`. */
  get depthwiseInitializer(): Initializer {
    return this.initializers.depthwise;
  }

  /** Keras' name for `regularizers.depthwise`. */
  get depthwiseRegularizer(): Regularizer | null {
    return this.regularizers.depthwise;
  }

  readonly window: ConvWindow;
  readonly depthMultiplier: number;

  constructor(kernelSize: number | readonly number[], opts: DepthwiseConv2DOptions = {}) {
    super(opts, { depthwise: 'glorotUniform' });
    this.window = parseWindow('DepthwiseConv2D', 2, kernelSize, opts);
    this.depthMultiplier = readOptions('DepthwiseConv2D', opts).integer('depthMultiplier', 1, { ge: 1 });
  }

  override build(inputShape: number[]): void {
    const { channels } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    const shape = [...this.window.kernelSize, channels, this.depthMultiplier];
    this.addWeightOf('depthwise', 'kernel', shape);
    this.addBias(channels * this.depthMultiplier);
  }

  /** The `[kh, kw, channels, depthMultiplier]` kernel (after build). */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    const w = this.window;
    const opts = { strides: w.strides, padding: w.padding, dilation: w.dilationRate, dataFormat: w.dataFormat, bias: this.bias };
    return this.activation(depthwiseConv2d(x, this.kernel, opts));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return convOutputShape(this.describe(), inputShape, 2, this.window, (channels) => channels * this.depthMultiplier);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      ...windowConfig(this.window),
      depthMultiplier: this.depthMultiplier,
      ...this.weightConfig(),
    };
  }

  static override fromConfig(config: Config): DepthwiseConv2D {
    const { kernelSize, ...opts } = config;
    return new DepthwiseConv2D(kernelSize as number[], opts as DepthwiseConv2DOptions);
  }
}

registerLayer(DepthwiseConv2D);
