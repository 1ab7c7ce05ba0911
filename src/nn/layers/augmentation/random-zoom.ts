import type { Generator } from '../../../tensor/random.js';
import type { Affine } from '../../../image/sample.js';
import type { Config } from '../../config.js';
import { registerLayer } from '../../layer-registry.js';
import { AffineAugmentation, type AffineAugmentationOptions } from './affine-augmentation.js';
import { factorRange, uniform, type Factor, type FactorRange } from './image-batch.js';

/**
 * In training, zooms each image of an `[N, H, W, C]` batch about its centre: the output shows
 * the input scaled by `1 / (1 + u)` vertically, with `u` uniform in `heightFactor`'s range, so a
 * positive `u` zooms out and a negative one zooms in (Keras' convention). `widthFactor` does the
 * same horizontally; when null (default) each image keeps its aspect ratio (one draw for both).
 * Pixels brought in from outside follow `fillMode` (default `'reflect'`). The identity in
 * inference.
 *
 * @example
 * new nn.layers.RandomZoom(0.2)                 // zoom in or out by up to 20%
 * new nn.layers.RandomZoom([-0.3, -0.1])        // always zoom in, by 10–30%
 */
export class RandomZoom extends AffineAugmentation {
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly heightRange: FactorRange;
  private readonly widthRange: FactorRange | null;

  constructor(heightFactor: Factor, widthFactor: Factor | null = null, opts: AffineAugmentationOptions = {}) {
    super('RandomZoom', opts);
    this.heightRange = factorRange('RandomZoom', 'heightFactor', heightFactor, -1, 1);
    this.widthRange = widthFactor === null ? null : factorRange('RandomZoom', 'widthFactor', widthFactor, -1, 1);
    this.heightFactor = typeof heightFactor === 'number' ? heightFactor : [heightFactor[0], heightFactor[1]];
    this.widthFactor = widthFactor === null || typeof widthFactor === 'number' ? widthFactor : [widthFactor[0], widthFactor[1]];
  }

  protected randomTransform(height: number, width: number, generator: Generator | null): Affine {
    const zy = 1 + uniform(generator, ...this.heightRange);
    const zx = this.widthRange === null ? zy : 1 + uniform(generator, ...this.widthRange);
    const cy = (height - 1) / 2, cx = (width - 1) / 2;
    // output pixel (y, x) shows the input at centre + zoom·(offset from centre)
    return { rowX: 0, rowY: zy, row0: cy * (1 - zy), colX: zx, colY: 0, col0: cx * (1 - zx) };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor };
  }

  static override fromConfig(config: Config): RandomZoom {
    const { heightFactor, widthFactor, ...opts } = config;
    return new RandomZoom(heightFactor as Factor, (widthFactor ?? null) as Factor | null, opts as AffineAugmentationOptions);
  }
}

registerLayer(RandomZoom);
