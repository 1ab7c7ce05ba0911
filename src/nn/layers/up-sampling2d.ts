import type { Tensor } from '../../tensor/tensor.js';
import { permute } from '../../ops/movement.js';
import { upsampleNearest2d } from '../../ops/upsample.js';
import { resize } from '../../image/resize.js';
import { perDim, type DataFormat } from '../../ops/window.js';
import type { Config } from '../config.js';
import { readOptions } from '../config-options.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';
import { inputDims, outputShape, readDataFormat } from './conv-options.js';

/** Options of `UpSampling2D`. */
export interface UpSampling2DOptions extends LayerOptions {
  /** Default `'channelsLast'`. */
  dataFormat?: DataFormat;
  /**
   * `'nearest'` (default): every pixel becomes a `size` block; `'bilinear'`: as Keras, that is
   * `tf.image.resize` with half-pixel centres (output pixel `j` reads the input at
   * `(j + ½)/s − ½`, clamped to the image, weighing its two nearest pixels per axis).
   */
  interpolation?: UpSamplingInterpolation;
}

/** How `UpSampling2D` fills the new pixels. */
export type UpSamplingInterpolation = 'nearest' | 'bilinear';

/**
 * Upsamples images by whole factors: `[N, H, W, C] → [N, H·sh, W·sw, C]` (or channels first).
 * `'nearest'` repeats every row `size[0]` times and every column `size[1]` times; `'bilinear'`
 * interpolates between pixel centres (Keras semantics). Differentiable in both modes.
 *
 * @example
 * new nn.layers.UpSampling2D(2).apply(nb.randn([1, 7, 7, 16]))                              // [1, 14, 14, 16]
 * new nn.layers.UpSampling2D(2, { interpolation: 'bilinear' }).apply(nb.randn([1, 7, 7, 16]))
 */
export class UpSampling2D extends Layer {
  readonly size: [number, number];
  readonly dataFormat: DataFormat;
  readonly interpolation: UpSamplingInterpolation;

  constructor(size: number | readonly number[] = 2, opts: UpSampling2DOptions = {}) {
    super(opts);
    this.size = perDim('UpSampling2D', 'size', size, 2, 2) as [number, number];
    this.dataFormat = readDataFormat('UpSampling2D', opts.dataFormat);
    this.interpolation = readOptions('UpSampling2D', opts).oneOf('interpolation', ['nearest', 'bilinear'], 'nearest');
  }

  call(inputs: Tensor): Tensor {
    const { spatial } = inputDims(this.describe(), inputs.shape, 2, this.dataFormat);
    if (this.interpolation === 'nearest') return upsampleNearest2d(inputs, this.size, { dataFormat: this.dataFormat });
    const first = this.dataFormat === 'channelsFirst';
    const size = [spatial[0]! * this.size[0], spatial[1]! * this.size[1]];
    const out = resize(first ? permute(inputs, [0, 2, 3, 1]) : inputs, size, { method: 'bilinear' });
    return first ? permute(out, [0, 3, 1, 2]) : out;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const { spatial, channels } = inputDims(this.describe(), inputShape, 2, this.dataFormat);
    return outputShape(inputShape[0]!, [spatial[0]! * this.size[0], spatial[1]! * this.size[1]], channels, this.dataFormat);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), size: this.size.slice(), dataFormat: this.dataFormat, interpolation: this.interpolation };
  }

  static override fromConfig(config: Config): UpSampling2D {
    const { size, ...opts } = config;
    return new UpSampling2D(size as number[], opts as UpSampling2DOptions);
  }
}

registerLayer(UpSampling2D);
