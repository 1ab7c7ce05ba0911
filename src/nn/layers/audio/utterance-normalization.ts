import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { add, cast, div, gt, maximum, mul, sub } from '../../../ops/binary.js';
import { rsqrt } from '../../../ops/unary.js';
import { max, min, sum } from '../../../ops/reduce.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';

/** Options of `UtteranceNormalization`. */
export interface UtteranceNormalizationOptions extends LayerOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
}

/**
 * Per-utterance feature normalisation (cepstral mean and variance normalisation) over the frames
 * that hold sound: for spectrograms `[batch, bands, frames]` in dB, each band of each clip is
 * brought to mean 0 and variance 1 over its sounding frames, and the padding frames become 0. A
 * padding frame is one at the clip's floor in every band — what digital silence (the zeros a short
 * clip is padded with) becomes after `amplitudeToDb` with `topDb` — so the statistics no longer
 * depend on how much padding a clip has: a fast speaker's short word and a slow speaker's long one
 * are normalised alike (over all frames, the padding would pull the mean down and the variance up
 * in proportion to it). A clip that is silent throughout gives zeros. No weights; the same in
 * training and inference.
 *
 * @example
 * new nn.layers.UtteranceNormalization().apply(nb.layers.MelSpectrogram({ sampleRate: 8000, output: 'db' }).apply(waves))
 */
export class UtteranceNormalization extends Layer {
  readonly epsilon: number;

  constructor(opts: UtteranceNormalizationOptions = {}) {
    super(opts);
    const o = readOptions('UtteranceNormalization', opts);
    this.epsilon = o.number('epsilon', 1e-5, { gt: 0 });
  }

  call(inputs: Tensor): Tensor {
    if (inputs.ndim !== 3) throw new ShapeError(`${this.describe()}: expects spectrograms [batch, bands, frames], got shape ${fmt(inputs.shape)}`);
    if (!isFloat(inputs.dtype)) throw new ValueError(`${this.describe()}: expects float spectrograms, got ${inputs.dtype}`);
    // a frame sounds when some band is above the clip's floor
    const floor = min(inputs, [1, 2], true);
    const sounding = cast(gt(max(inputs, 1, true), add(floor, 1e-3)), inputs.dtype);   // [B, 1, T]
    const count = maximum(sum(sounding, 2, true), 1);
    const mu = div(sum(mul(inputs, sounding), 2, true), count);
    const centred = mul(sub(inputs, mu), sounding);
    const variance = div(sum(mul(centred, centred), 2, true), count);
    return mul(centred, rsqrt(add(variance, this.epsilon)));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

registerLayer(UtteranceNormalization);
