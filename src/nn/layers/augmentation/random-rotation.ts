import type { Generator } from '../../../tensor/random.js';
import type { Affine } from '../../../image/sample.js';
import type { Config } from '../../config.js';
import { registerLayer } from '../../layer-registry.js';
import { AffineAugmentation, type AffineAugmentationOptions } from './affine-augmentation.js';
import { factorRange, uniform, type Factor, type FactorRange } from './image-batch.js';

/**
 * In training, rotates each image of an `[N, H, W, C]` batch about its centre by a random angle
 * `u·2π`, with `u` uniform in `factor`'s range (`0.1` means up to ±36°); positive angles turn
 * counter-clockwise. Corners brought in from outside follow `fillMode` (default `'reflect'`);
 * pixels are interpolated (default bilinear). The identity in inference.
 *
 * @example
 * new nn.layers.RandomRotation(0.1, { fillMode: 'constant' })
 * new nn.layers.RandomRotation([0.25, 0.25], { interpolation: 'nearest' })   // always 90°
 */
export class RandomRotation extends AffineAugmentation {
  readonly factor: Factor;
  private readonly range: FactorRange;

  constructor(factor: Factor, opts: AffineAugmentationOptions = {}) {
    super('RandomRotation', opts);
    this.range = factorRange('RandomRotation', 'factor', factor);
    this.factor = typeof factor === 'number' ? factor : [factor[0], factor[1]];
  }

  protected randomTransform(height: number, width: number, generator: Generator | null): Affine {
    const angle = uniform(generator, ...this.range) * 2 * Math.PI;
    const cos = Math.cos(angle), sin = Math.sin(angle);
    const cy = (height - 1) / 2, cx = (width - 1) / 2;
    // output pixel (y, x) shows the input at the point the rotation by `angle` about the centre sends there
    return {
      rowX: sin, rowY: cos, row0: cy - sin * cx - cos * cy,
      colX: cos, colY: -sin, col0: cx - cos * cx + sin * cy,
    };
  }

  override getConfig(): Config {
    return { ...super.getConfig(), factor: this.factor };
  }

  static override fromConfig(config: Config): RandomRotation {
    const { factor, ...opts } = config;
    return new RandomRotation(factor as Factor, opts as AffineAugmentationOptions);
  }
}

registerLayer(RandomRotation);
