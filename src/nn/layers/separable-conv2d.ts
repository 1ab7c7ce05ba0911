import { ValueError } from '../../tensor/errors.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { conv2d, depthwiseConv2d } from '../../ops/conv.js';
import { slidingWindow } from '../../ops/window.js';
import { getActivation, serializeActivation, type ActivationFn } from '../activations.js';
import type { Config, SerializedObject } from '../config.js';
import { getInitializer, serializeInitializer, type Initializer } from '../initializers.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { getRegularizer, serializeRegularizer, type Regularizer } from '../regularizers.js';
import { inputDims, outputShape, parseWindow, windowConfig, type ConvWindow, type ConvWindowOptions } from './conv-options.js';

type InitSpec = Initializer | string | SerializedObject;
type RegSpec = Regularizer | string | SerializedObject | null;

/** Options of `SeparableConv2D` (Keras defaults). */
export interface SeparableConv2DOptions extends LayerOptions, ConvWindowOptions {
  /** Depthwise filters per input channel (default 1). */
  depthMultiplier?: number;
  /** Applied to the output. Default none. */
  activation?: string | ActivationFn | null;
  /** Add a bias per filter (default true). */
  useBias?: boolean;
  /** Default `'glorotUniform'`. */
  depthwiseInitializer?: InitSpec;
  /** Default `'glorotUniform'`. */
  pointwiseInitializer?: InitSpec;
  /** Default `'zeros'`. */
  biasInitializer?: InitSpec;
  depthwiseRegularizer?: RegSpec;
  pointwiseRegularizer?: RegSpec;
  biasRegularizer?: RegSpec;
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
export class SeparableConv2D extends Layer {
  readonly filters: number;
  readonly window: ConvWindow;
  readonly depthMultiplier: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly pointwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;

  constructor(filters: number, kernelSize: number | readonly number[], opts: SeparableConv2DOptions = {}) {
    super(opts);
    if (!Number.isInteger(filters) || filters <= 0) throw new ValueError(`SeparableConv2D: filters must be a positive integer, got ${filters}`);
    this.filters = filters;
    this.window = parseWindow('SeparableConv2D', 2, kernelSize, opts);
    this.depthMultiplier = opts.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) {
      throw new ValueError(`SeparableConv2D: depthMultiplier must be a positive integer, got ${opts.depthMultiplier}`);
    }
    this.activation = getActivation(opts.activation);
    this.useBias = opts.useBias ?? true;
    this.depthwiseInitializer = getInitializer(opts.depthwiseInitializer ?? 'glorotUniform');
    this.pointwiseInitializer = getInitializer(opts.pointwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(opts.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = getRegularizer(opts.depthwiseRegularizer);
    this.pointwiseRegularizer = getRegularizer(opts.pointwiseRegularizer);
    this.biasRegularizer = getRegularizer(opts.biasRegularizer);
  }

  override build(inputShape: number[]): void {
    const { channels } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    const dm = this.depthMultiplier;
    this.addWeight('depthwiseKernel', [...this.window.kernelSize, channels, dm], this.depthwiseInitializer, { regularizer: this.depthwiseRegularizer });
    this.addWeight('pointwiseKernel', [1, 1, channels * dm, this.filters], this.pointwiseInitializer, { regularizer: this.pointwiseRegularizer });
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    const w = this.window;
    const depthwise = depthwiseConv2d(x, this.getWeight('depthwiseKernel'), {
      strides: w.strides, padding: w.padding, dilation: w.dilationRate, dataFormat: w.dataFormat,
    });
    const bias = this.useBias ? this.getWeight('bias') : null;
    return this.activation(conv2d(depthwise, this.getWeight('pointwiseKernel'), { dataFormat: w.dataFormat, bias }));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const w = this.window;
    const { spatial } = inputDims(this.describe(), inputShape, 2, w.dataFormat);
    const win = slidingWindow(this.describe(), 'kernel', spatial, w.kernelSize, { strides: w.strides, padding: w.padding, dilation: w.dilationRate });
    return outputShape(inputShape[0]!, win.grid, this.filters, w.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this.window),
      depthMultiplier: this.depthMultiplier,
      activation: serializeActivation(this.activation, this.describe()),
      useBias: this.useBias,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      pointwiseInitializer: serializeInitializer(this.pointwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      pointwiseRegularizer: serializeRegularizer(this.pointwiseRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }

  static override fromConfig(config: Config): SeparableConv2D {
    const { filters, kernelSize, ...opts } = config;
    return new SeparableConv2D(filters as number, kernelSize as number[], opts as SeparableConv2DOptions);
  }
}

registerLayer(SeparableConv2D);
