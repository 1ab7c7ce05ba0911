import type { Generator } from '../../../tensor/random.js';
import type { Affine } from '../../../image/sample.js';
import type { Config } from '../../config.js';
import { registerLayer } from '../../layer-registry.js';
import { AffineAugmentation, type AffineAugmentationOptions } from './affine-augmentation.js';
import { factorRange, uniform, type Factor, type FactorRange } from './image-batch.js';

/**
 * In training, shifts each image of an `[N, H, W, C]` batch by a random fraction of its size:
 * down by `u·H` with `u` uniform in `heightFactor`'s range (negative: up), right by `v·W` with
 * `v` in `widthFactor`'s range (negative: left). Uncovered pixels follow `fillMode` (default
 * `'reflect'`); fractional shifts interpolate (default bilinear). The identity in inference.
 *
 * @example
 * new nn.layers.RandomTranslation(0.1, 0.1, { fillMode: 'constant' })   // up to ±10% each way
 */
export class RandomTranslation extends AffineAugmentation {
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly heightRange: FactorRange;
  private readonly widthRange: FactorRange;

  constructor(heightFactor: Factor, widthFactor: Factor, opts: AffineAugmentationOptions = {}) {
    super('RandomTranslation', opts);
    this.heightRange = factorRange('RandomTranslation', 'heightFactor', heightFactor, -1, 1);
    this.widthRange = factorRange('RandomTranslation', 'widthFactor', widthFactor, -1, 1);
    this.heightFactor = typeof heightFactor === 'number' ? heightFactor : [heightFactor[0], heightFactor[1]];
    this.widthFactor = typeof widthFactor === 'number' ? widthFactor : [widthFactor[0], widthFactor[1]];
  }

  protected randomTransform(height: number, width: number, generator: Generator | null): Affine {
    const dy = uniform(generator, ...this.heightRange) * height;
    const dx = uniform(generator, ...this.widthRange) * width;
    // output pixel (y, x) shows the input at (y − dy, x − dx)
    return { rowX: 0, rowY: 1, row0: -dy, colX: 1, colY: 0, col0: -dx };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }

  static override fromConfig(config: Config): RandomTranslation {
    const { heightFactor, widthFactor, ...opts } = config;
    return new RandomTranslation(heightFactor as Factor, widthFactor as Factor, opts as AffineAugmentationOptions);
  }
}

registerLayer(RandomTranslation);
