import { ValueError } from '../../tensor/errors.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { depthwiseConv2d } from '../../ops/conv.js';
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

/** Options of `DepthwiseConv2D` (Keras defaults). */
export interface DepthwiseConv2DOptions extends LayerOptions, ConvWindowOptions {
  /** Filters per input channel (default 1): the output has `channels·depthMultiplier` channels. */
  depthMultiplier?: number;
  /** Applied to the output. Default none. */
  activation?: string | ActivationFn | null;
  /** Add a bias per output channel (default true). */
  useBias?: boolean;
  /** Default `'glorotUniform'`. */
  depthwiseInitializer?: InitSpec;
  /** Default `'zeros'`. */
  biasInitializer?: InitSpec;
  depthwiseRegularizer?: RegSpec;
  biasRegularizer?: RegSpec;
}

/**
 * Depthwise 2-D convolution layer: every input channel is convolved with its own
 * `depthMultiplier` filters (no mixing across channels). `kernel [kh, kw, C, depthMultiplier]`;
 * `[N, H, W, C] → [N, outH, outW, C·depthMultiplier]`.
 *
 * @example
 * new nn.layers.DepthwiseConv2D(3, { padding: 'same' }).apply(nb.randn([2, 16, 16, 8]))   // [2, 16, 16, 8]
 */
export class DepthwiseConv2D extends Layer {
  readonly window: ConvWindow;
  readonly depthMultiplier: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly depthwiseInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly depthwiseRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;

  constructor(kernelSize: number | readonly number[], opts: DepthwiseConv2DOptions = {}) {
    super(opts);
    this.window = parseWindow('DepthwiseConv2D', 2, kernelSize, opts);
    this.depthMultiplier = opts.depthMultiplier ?? 1;
    if (!Number.isInteger(this.depthMultiplier) || this.depthMultiplier < 1) {
      throw new ValueError(`DepthwiseConv2D: depthMultiplier must be a positive integer, got ${opts.depthMultiplier}`);
    }
    this.activation = getActivation(opts.activation);
    this.useBias = opts.useBias ?? true;
    this.depthwiseInitializer = getInitializer(opts.depthwiseInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(opts.biasInitializer ?? 'zeros');
    this.depthwiseRegularizer = getRegularizer(opts.depthwiseRegularizer);
    this.biasRegularizer = getRegularizer(opts.biasRegularizer);
  }

  override build(inputShape: number[]): void {
    const { channels } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    const shape = [...this.window.kernelSize, channels, this.depthMultiplier];
    this.addWeight('kernel', shape, this.depthwiseInitializer, { regularizer: this.depthwiseRegularizer });
    if (this.useBias) this.addWeight('bias', [channels * this.depthMultiplier], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /** The `[kh, kw, channels, depthMultiplier]` kernel (after build). */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  /** The `[channels·depthMultiplier]` bias (after build), or null with `useBias: false`. */
  get bias(): Tensor | null {
    return this.useBias ? this.getWeight('bias') : null;
  }

  call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    const w = this.window;
    const opts = { strides: w.strides, padding: w.padding, dilation: w.dilationRate, dataFormat: w.dataFormat, bias: this.bias };
    return this.activation(depthwiseConv2d(x, this.kernel, opts));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const w = this.window;
    const { spatial, channels } = inputDims(this.describe(), inputShape, 2, w.dataFormat);
    const win = slidingWindow(this.describe(), 'kernel', spatial, w.kernelSize, { strides: w.strides, padding: w.padding, dilation: w.dilationRate });
    return outputShape(inputShape[0]!, win.grid, channels * this.depthMultiplier, w.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      ...windowConfig(this.window),
      depthMultiplier: this.depthMultiplier,
      activation: serializeActivation(this.activation, this.describe()),
      useBias: this.useBias,
      depthwiseInitializer: serializeInitializer(this.depthwiseInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      depthwiseRegularizer: serializeRegularizer(this.depthwiseRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }

  static override fromConfig(config: Config): DepthwiseConv2D {
    const { kernelSize, ...opts } = config;
    return new DepthwiseConv2D(kernelSize as number[], opts as DepthwiseConv2DOptions);
  }
}

registerLayer(DepthwiseConv2D);
