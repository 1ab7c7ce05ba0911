import { ShapeError, ValueError } from '../../tensor/errors.js';
import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { conv2dTranspose, transposeWindow, type ConvTransposeOptions } from '../../ops/conv-transpose.js';
import { perDim } from '../../ops/window.js';
import { getActivation, serializeActivation, type ActivationFn } from '../activations.js';
import type { Config } from '../config.js';
import { getInitializer, serializeInitializer, type Initializer } from '../initializers.js';
import { Layer } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { getRegularizer, serializeRegularizer, type Regularizer } from '../regularizers.js';
import type { ConvLayerOptions } from './conv.js';
import { inputDims, outputShape, parseWindow, windowConfig, type ConvWindow } from './conv-options.js';

/** Options of `Conv2DTranspose`: those of `Conv2D` plus `outputPadding`. */
export interface Conv2DTransposeOptions extends ConvLayerOptions {
  /** Extra rows/columns after the output, smaller than the stride (default: Keras' sizes, see `conv2dTranspose`). */
  outputPadding?: number | readonly number[] | null;
}

/**
 * Transposed 2-D convolution layer (upsampling; the adjoint of `Conv2D`):
 * `[N, H, W, C] → [N, outH, outW, filters]` with `kernel [kh, kw, filters/groups, C]` (Keras
 * layout). With `'same'` padding the output is `H·stride` by `W·stride`.
 *
 * @example
 * new nn.layers.Conv2DTranspose(8, 3, { strides: 2, padding: 'same' }).apply(nb.randn([1, 7, 7, 16]))   // [1, 14, 14, 8]
 */
export class Conv2DTranspose extends Layer {
  readonly filters: number;
  readonly window: ConvWindow;
  readonly outputPadding: number[] | null;
  readonly groups: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;

  constructor(filters: number, kernelSize: number | readonly number[], opts: Conv2DTransposeOptions = {}) {
    super(opts);
    if (!Number.isInteger(filters) || filters <= 0) throw new ValueError(`Conv2DTranspose: filters must be a positive integer, got ${filters}`);
    this.filters = filters;
    this.window = parseWindow('Conv2DTranspose', 2, kernelSize, opts);
    const op = opts.outputPadding;
    this.outputPadding = op === undefined || op === null ? null : perDim('Conv2DTranspose', 'outputPadding', op, 2, 0, 0);
    this.groups = opts.groups ?? 1;
    if (!Number.isInteger(this.groups) || this.groups < 1 || filters % this.groups !== 0) {
      throw new ValueError(`Conv2DTranspose: groups must be a positive integer dividing filters (${filters}), got ${opts.groups}`);
    }
    this.activation = getActivation(opts.activation);
    this.useBias = opts.useBias ?? true;
    this.kernelInitializer = getInitializer(opts.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = getInitializer(opts.biasInitializer ?? 'zeros');
    this.kernelRegularizer = getRegularizer(opts.kernelRegularizer);
    this.biasRegularizer = getRegularizer(opts.biasRegularizer);
  }

  override build(inputShape: number[]): void {
    const { channels } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    if (channels % this.groups !== 0) throw new ShapeError(`${this.describe()}: groups (${this.groups}) must divide the ${channels} input channels`);
    const shape = [...this.window.kernelSize, this.filters / this.groups, channels];
    this.addWeight('kernel', shape, this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (this.useBias) this.addWeight('bias', [this.filters], this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /** The `[kh, kw, filters/groups, inChannels]` kernel (after build). */
  get kernel(): Tensor {
    return this.getWeight('kernel');
  }

  /** The `[filters]` bias (after build), or null with `useBias: false`. */
  get bias(): Tensor | null {
    return this.useBias ? this.getWeight('bias') : null;
  }

  private opOptions(): ConvTransposeOptions {
    const w = this.window;
    return {
      strides: w.strides, padding: w.padding, dilation: w.dilationRate, groups: this.groups, dataFormat: w.dataFormat,
      ...(this.outputPadding ? { outputPadding: this.outputPadding } : {}),
    };
  }

  call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    return this.activation(conv2dTranspose(x, this.kernel, { ...this.opOptions(), bias: this.bias }));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const { spatial } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    const win = transposeWindow(this.describe(), spatial, this.window.kernelSize, this.opOptions());
    return outputShape(inputShape[0]!, win.size, this.filters, this.window.dataFormat);
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...windowConfig(this.window),
      outputPadding: this.outputPadding ? this.outputPadding.slice() : null,
      groups: this.groups,
      activation: serializeActivation(this.activation, this.describe()),
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
    };
  }

  static override fromConfig(config: Config): Conv2DTranspose {
    const { filters, kernelSize, ...opts } = config;
    return new Conv2DTranspose(filters as number, kernelSize as number[], opts as Conv2DTransposeOptions);
  }
}

registerLayer(Conv2DTranspose);
