import type { Generator } from '../../../tensor/random.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { sampleImages } from '../../../image/sample.js';
import type { DataFormat } from '../../../ops/window.js';
import type { Config } from '../../config.js';
import { checkOneOf, checkSeed } from '../../config-check.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { asImageBatch, checkDataFormat, layerGenerator, uniform } from './image-batch.js';

/** Which flips `RandomFlip` may apply (Keras' names). */
export type FlipMode = 'horizontal' | 'vertical' | 'horizontal_and_vertical';

const MODES: readonly FlipMode[] = ['horizontal', 'vertical', 'horizontal_and_vertical'];

/** Options of `RandomFlip`. */
export interface RandomFlipOptions extends LayerOptions {
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
  /** `'channelsLast'` (default: `[N, H, W, C]`) or `'channelsFirst'` (`[N, C, H, W]`). */
  dataFormat?: DataFormat;
}

/**
 * In training, flips each image of an `[N, H, W, C]` batch (or `[N, C, H, W]`) left–right (`'horizontal'`),
 * top–bottom (`'vertical'`) or both (default `'horizontal_and_vertical'`), each flip with
 * probability ½ independently per image. The identity in inference. Exact (pixels are moved,
 * not interpolated); gradients flow to the images.
 *
 * @example
 * new nn.layers.RandomFlip('horizontal', { seed: 1 }).apply(images, true)
 */
export class RandomFlip extends Layer {
  readonly mode: FlipMode;
  readonly seed: number | null;
  readonly dataFormat: DataFormat;
  private readonly generator: Generator | null;

  constructor(mode: FlipMode = 'horizontal_and_vertical', opts: RandomFlipOptions = {}) {
    super(opts);
    this.mode = checkOneOf('RandomFlip', 'mode', mode, MODES);
    this.seed = checkSeed('RandomFlip', 'seed', opts.seed);
    this.generator = layerGenerator('RandomFlip', this.seed);
    this.dataFormat = checkDataFormat('RandomFlip', opts.dataFormat);
  }

  call(inputs: Tensor, training = false): Tensor {
    if (!training) return inputs;
    const { images, restore } = asImageBatch(this.describe(), inputs, this.dtype, this.dataFormat);
    const [n, h, w] = images.shape as [number, number, number, number];
    const flipRows: boolean[] = [];
    const flipCols: boolean[] = [];
    for (let i = 0; i < n; i++) {
      flipCols.push(this.mode !== 'vertical' && uniform(this.generator, 0, 1) < 0.5);
      flipRows.push(this.mode !== 'horizontal' && uniform(this.generator, 0, 1) < 0.5);
    }
    const flipped = sampleImages(images, h, w, (b, y, x, at) => {
      at[0] = flipRows[b] ? h - 1 - y : y;
      at[1] = flipCols[b] ? w - 1 - x : x;
    }, { interpolation: 'nearest', fillMode: 'nearest', fillValue: 0 });
    return restore(flipped);
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), mode: this.mode, seed: this.seed, dataFormat: this.dataFormat };
  }

  static override fromConfig(config: Config): RandomFlip {
    const { mode, ...opts } = config;
    return new RandomFlip(mode as FlipMode, opts as RandomFlipOptions);
  }
}

registerLayer(RandomFlip);
