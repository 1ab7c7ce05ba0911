import type { Tensor } from '../../../tensor/tensor.js';
import type { Generator } from '../../../tensor/random.js';
import { affineTransform, checkFillMode, checkInterpolation, type Affine, type FillMode, type Interpolation } from '../../../image/sample.js';
import type { DataFormat } from '../../../ops/window.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { asImageBatch, checkDataFormat, layerGenerator } from './image-batch.js';

/** Options shared by `RandomTranslation`, `RandomRotation` and `RandomZoom` (Keras defaults). */
export interface AffineAugmentationOptions extends LayerOptions {
  /** How points outside the image are filled: `'reflect'` (default), `'constant'`, `'nearest'` or `'wrap'`. */
  fillMode?: FillMode;
  /** `'bilinear'` (default) or `'nearest'`. */
  interpolation?: Interpolation;
  /** The value outside the image with `fillMode: 'constant'` (default 0). */
  fillValue?: number;
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
  /** `'channelsLast'` (default: `[N, H, W, C]`) or `'channelsFirst'` (`[N, C, H, W]`). */
  dataFormat?: DataFormat;
}

/**
 * The geometric augmentations: in training, each image of an `[N, H, W, C]` batch (or
 * `[N, C, H, W]` with `dataFormat: 'channelsFirst'`) is resampled
 * through its own random affine map (output pixel → source point, pixel centres at integers);
 * in inference the layer is the identity. Gradients flow to the images (not to the random
 * parameters), so the layer may sit anywhere in a model, though it belongs at the input.
 */
export abstract class AffineAugmentation extends Layer {
  readonly fillMode: FillMode;
  readonly interpolation: Interpolation;
  readonly fillValue: number;
  readonly seed: number | null;
  readonly dataFormat: DataFormat;
  private readonly generator: Generator | null;

  constructor(cls: string, opts: AffineAugmentationOptions) {
    super(opts);
    this.fillMode = checkFillMode(cls, opts.fillMode ?? 'reflect');
    this.interpolation = checkInterpolation(cls, opts.interpolation ?? 'bilinear');
    const o = readOptions(cls, opts);
    this.fillValue = o.number('fillValue', 0);
    this.seed = o.seed('seed');
    this.generator = layerGenerator(cls, this.seed);
    this.dataFormat = checkDataFormat(cls, opts.dataFormat);
  }

  /** The map of one image of `height × width`, drawing its random parameters from `generator`. */
  protected abstract randomTransform(height: number, width: number, generator: Generator | null): Affine;

  call(inputs: Tensor, training = false): Tensor {
    if (!training) return inputs;
    const { images, restore } = asImageBatch(this.describe(), inputs, this.dtype, this.dataFormat);
    const [n, h, w] = images.shape as [number, number, number, number];
    const transforms: Affine[] = [];
    for (let i = 0; i < n; i++) transforms.push(this.randomTransform(h, w, this.generator));
    return restore(affineTransform(images, transforms, { interpolation: this.interpolation, fillMode: this.fillMode, fillValue: this.fillValue }));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue, seed: this.seed, dataFormat: this.dataFormat };
  }
}
