import type { Initializer } from '../initializer.js';
import type { Regularizer } from '../regularizers.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { conv2d, depthwiseConv2d } from '../../ops/conv.js';
import type { Config } from '../config.js';
import { checkInteger } from '../config-check.js';
import { readOptions } from '../config-options.js';
import type { LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { convOutputShape, inputDims, parseWindow, windowConfig, type ConvWindow, type ConvWindowOptions } from './conv-options.js';
import { WeightedLayer, type ActivationBiasOptions, type DepthwiseKernelOptions, type PointwiseKernelOptions } from './weighted-layer.js';

/** Options of `SeparableConv2D` (Keras defaults; the bias is one per filter). */
export interface SeparableConv2DOptions extends LayerOptions, ConvWindowOptions, ActivationBiasOptions, DepthwiseKernelOptions, PointwiseKernelOptions {
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
}

/**
 * Depthwise-separable 2-D convolution: a depthwise convolution (strides, padding and dilation
 * apply here) then a 1×1 convolution that mixes the channels into `filters`. Weights
 * `depthwiseKernel [kh, kw, C, depthMultiplier]`, `pointwiseKernel [1, 1, C·depthMultiplier,
 * filters]`, `bias [filters]`: far fewer than `Conv2D`'s for the same receptive field.
 *
 * @example
 * new nn.layers.SeparableConv2D(32, 3, { padding: 'same' }).apply(nb.randn([2, 16, 16, 8]))   // [2, 16, 16, 32]
 */
export class SeparableConv2D extends WeightedLayer<'depthwise' | 'pointwise'> {
  /** Keras' name for `initializers.depthwise`. */
  get depthwiseInitializer(): Initializer {
    return this.initializers.depthwise;
  }

  /** Keras' name for `regularizers.depthwise`. */
  get depthwiseRegularizer(): Regularizer | null {
    return this.regularizers.depthwise;
  }

  /** Keras' name for `initializers.pointwise`. */
  get pointwiseInitializer(): Initializer {
    return this.initializers.pointwise;
  }

  /** Keras' name for `regularizers.pointwise`. */
  get pointwiseRegularizer(): Regularizer | null {
    return this.regularizers.pointwise;
  }

  readonly filters: number;
  readonly window: ConvWindow;
  readonly depthMultiplier: number;

  constructor(filters: number, kernelSize: number | readonly number[], opts: SeparableConv2DOptions = {}) {
    super(opts, { depthwise: 'glorotUniform', pointwise: 'glorotUniform' });
    this.filters = checkInteger('SeparableConv2D', 'filters', filters, { ge: 1 });
    this.window = parseWindow('SeparableConv2D', 2, kernelSize, opts);
    this.depthMultiplier = readOptions('SeparableConv2D', opts).integer('depthMultiplier', 1, { ge: 1 });
  }

  override build(inputShape: number[]): void {
    const { channels } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    const dm = this.depthMultiplier;
    this.addWeightOf('depthwise', 'depthwiseKernel', [...this.window.kernelSize, channels, dm]);
    this.addWeightOf('pointwise', 'pointwiseKernel', [1, 1, channels * dm, this.filters]);
    this.addBias(this.filters);
  }

  call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    const w = this.window;
    const depthwise = depthwiseConv2d(x, this.getWeight('depthwiseKernel'), {
      strides: w.strides, padding: w.padding, dilation: w.dilationRate, dataFormat: w.dataFormat,
    });
    return this.activation(conv2d(depthwise, this.getWeight('pointwiseKernel'), { dataFormat: w.dataFormat, bias: this.bias }));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return convOutputShape(this.describe(), inputShape, 2, this.window, () => this.filters);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this.window),
      depthMultiplier: this.depthMultiplier,
      ...this.weightConfig(),
    };
  }

  static override fromConfig(config: Config): SeparableConv2D {
    const { filters, kernelSize, ...opts } = config;
    return new SeparableConv2D(filters as number, kernelSize as number[], opts as SeparableConv2DOptions);
  }
}

registerLayer(SeparableConv2D);
