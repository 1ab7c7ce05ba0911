import { isFloat } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cast } from '../../ops/binary.js';
import { conv2dTranspose, transposeWindow, type ConvTransposeOptions } from '../../ops/conv-transpose.js';
import { perDim } from '../../ops/window.js';
import type { Config } from '../config.js';
import { registerLayer } from '../layer-registry.js';
import { BaseConv, type ConvLayerOptions } from './conv.js';
import { inputDims, outputShape } from './conv-options.js';

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
export class Conv2DTranspose extends BaseConv {
  readonly outputPadding: number[] | null;

  constructor(filters: number, kernelSize: number | readonly number[], opts: Conv2DTransposeOptions = {}) {
    super('Conv2DTranspose', 2, filters, kernelSize, opts);
    const op = opts.outputPadding;
    this.outputPadding = op === undefined || op === null ? null : perDim('Conv2DTranspose', 'outputPadding', op, 2, 0, 0);
  }

  /** The transposed layout: `[kh, kw, filters/groups, inChannels]`. */
  protected override kernelShape(channels: number): number[] {
    return [...this.window.kernelSize, this.filters / this.groups, channels];
  }

  private opOptions(): ConvTransposeOptions {
    const w = this.window;
    return {
      strides: w.strides, padding: w.padding, dilation: w.dilationRate, groups: this.groups, dataFormat: w.dataFormat,
      ...(this.outputPadding ? { outputPadding: this.outputPadding } : {}),
    };
  }

  override call(inputs: Tensor): Tensor {
    const x = isFloat(inputs.dtype) ? inputs : cast(inputs, this.dtype);
    return this.activation(conv2dTranspose(x, this.kernel, { ...this.opOptions(), bias: this.bias }));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const { spatial } = inputDims(this.describe(), inputShape, 2, this.window.dataFormat);
    const win = transposeWindow(this.describe(), spatial, this.window.kernelSize, this.opOptions());
    return outputShape(inputShape[0]!, win.size, this.filters, this.window.dataFormat);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), outputPadding: this.outputPadding ? this.outputPadding.slice() : null };
  }

  static override fromConfig(config: Config): Conv2DTranspose {
    const { filters, kernelSize, ...opts } = config;
    return new Conv2DTranspose(filters as number, kernelSize as number[], opts as Conv2DTransposeOptions);
  }
}

registerLayer(Conv2DTranspose);
