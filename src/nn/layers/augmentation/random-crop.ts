import type { Generator } from '../../../tensor/random.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { slice } from '../../../ops/movement.js';
import { resize } from '../../../image/resize.js';
import type { DataFormat } from '../../../ops/window.js';
import type { Config } from '../../config.js';
import { checkInteger, checkSeed } from '../../config-check.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { asImageBatch, checkDataFormat, layerGenerator, spatialAxes, uniform } from './image-batch.js';

/** Options of `RandomCrop`. */
export interface RandomCropOptions extends LayerOptions {
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
  /** `'channelsLast'` (default: `[N, H, W, C]`) or `'channelsFirst'` (`[N, C, H, W]`). */
  dataFormat?: DataFormat;
}

/**
 * Crops images `[N, H, W, C]` to `[N, height, width, C]` (or `[N, C, H, W]` to `[N, C, height, width]`). In training the window is placed at
 * random (one place for the whole batch, as in Keras); in inference it is the centred window
 * (offsets rounded down). An input smaller than the window in either dimension is, in both
 * modes, cropped to the largest centred window of the target aspect ratio and resized to it
 * bilinearly (Keras' fallback). Gradients flow to the images.
 *
 * @example
 * const crop = new nn.layers.RandomCrop(28, 28);
 * crop.apply(nb.zeros([8, 32, 32, 3]), true)   // [8, 28, 28, 3], a random window
 * crop.apply(nb.zeros([8, 32, 32, 3]))         // [8, 28, 28, 3], the central window
 */
export class RandomCrop extends Layer {
  readonly height: number;
  readonly width: number;
  readonly seed: number | null;
  readonly dataFormat: DataFormat;
  private readonly generator: Generator | null;

  constructor(height: number, width: number, opts: RandomCropOptions = {}) {
    super(opts);
    this.height = checkInteger('RandomCrop', 'height', height, { ge: 1 });
    this.width = checkInteger('RandomCrop', 'width', width, { ge: 1 });
    this.seed = checkSeed('RandomCrop', 'seed', opts.seed);
    this.generator = layerGenerator('RandomCrop', this.seed);
    this.dataFormat = checkDataFormat('RandomCrop', opts.dataFormat);
  }

  call(inputs: Tensor, training = false): Tensor {
    const { images, restore } = asImageBatch(this.describe(), inputs, this.dtype, this.dataFormat);
    const [, h, w] = images.shape as [number, number, number, number];
    if (h < this.height || w < this.width) return restore(this.resizedCentre(images, h, w));
    const top = training ? Math.floor(uniform(this.generator, 0, h - this.height + 1)) : Math.floor((h - this.height) / 2);
    const left = training ? Math.floor(uniform(this.generator, 0, w - this.width + 1)) : Math.floor((w - this.width) / 2);
    if (top === 0 && left === 0 && h === this.height && w === this.width) return inputs;
    return restore(slice(images, [null, [top, top + this.height], [left, left + this.width]]));
  }

  /** The largest centred window with the target's aspect ratio, resized to the target. */
  private resizedCentre(images: Tensor, h: number, w: number): Tensor {
    const cropH = Math.max(1, Math.min(h, Math.floor((w * this.height) / this.width)));
    const cropW = Math.max(1, Math.min(w, Math.floor((h * this.width) / this.height)));
    const top = Math.floor((h - cropH) / 2);
    const left = Math.floor((w - cropW) / 2);
    return resize(slice(images, [null, [top, top + cropH], [left, left + cropW]]), [this.height, this.width]);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    const [hAxis, wAxis] = spatialAxes(this.describe(), inputShape, this.dataFormat);
    const out = inputShape.slice();
    out[hAxis] = this.height;
    out[wAxis] = this.width;
    return out;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), height: this.height, width: this.width, seed: this.seed, dataFormat: this.dataFormat };
  }

  static override fromConfig(config: Config): RandomCrop {
    const { height, width, ...opts } = config;
    return new RandomCrop(height as number, width as number, opts as RandomCropOptions);
  }
}

registerLayer(RandomCrop);
