import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import type { Generator } from '../../../tensor/random.js';
import { Tensor } from '../../../tensor/tensor.js';
import { add, cast, mul } from '../../../ops/binary.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { layerGenerator, uniform } from '../augmentation/image-batch.js';

/** Options of `SpecAugment` (Park et al. 2019's parameters; defaults are the paper's LibriSpeech basic policy, LB). */
export interface SpecAugmentOptions extends LayerOptions {
  /** F: a frequency mask is f ~ U{0…F} bands wide. Default 27. */
  freqMaskParam?: number;
  /** T: a time mask is t ~ U{0…T} frames wide (and at most `timeMaskMaxRatio` of the frames). Default 100. */
  timeMaskParam?: number;
  /** m_F: frequency masks per example. Default 1. */
  freqMasks?: number;
  /** m_T: time masks per example. Default 1. */
  timeMasks?: number;
  /** p: upper bound of a time mask's width as a fraction of the frames. Default 1. */
  timeMaskMaxRatio?: number;
  /** What masked cells become. Default 0 (the mean of normalised features). */
  maskValue?: number;
  /** Seed of this layer's own generator; default: draw from the global one (`nb.manualSeed`). */
  seed?: number | null;
}

/**
 * SpecAugment's masking (Park et al. 2019, without time warping): in training, each example of
 * a `[batch, freq, frames]` spectrogram (or `[batch, freq, frames, channels]`) gets `freqMasks`
 * bands `[f0, f0 + f)` with f ~ U{0…F}, f0 ~ U{0…freq − f}, and `timeMasks` frame ranges
 * `[t0, t0 + t)` with t ~ U{0…min(T, ⌊p·frames⌋)}, set to `maskValue`. Masks are drawn per example
 * from the layer's generator (seeded: the same masks on every run; saved with fit's checkpoints).
 * The identity in inference. Put it after per-utterance normalisation so 0 is the mean.
 *
 * @example
 * new nn.layers.SpecAugment({ freqMaskParam: 8, timeMaskParam: 15, freqMasks: 2, timeMasks: 2, seed: 0 })
 */
export class SpecAugment extends Layer {
  readonly freqMaskParam: number;
  readonly timeMaskParam: number;
  readonly freqMasks: number;
  readonly timeMasks: number;
  readonly timeMaskMaxRatio: number;
  readonly maskValue: number;
  readonly seed: number | null;
  private readonly generator: Generator | null;

  constructor(opts: SpecAugmentOptions = {}) {
    super(opts);
    const o = readOptions('SpecAugment', opts);
    this.freqMaskParam = o.integer('freqMaskParam', 27, { ge: 0 });
    this.timeMaskParam = o.integer('timeMaskParam', 100, { ge: 0 });
    this.freqMasks = o.integer('freqMasks', 1, { ge: 0 });
    this.timeMasks = o.integer('timeMasks', 1, { ge: 0 });
    this.timeMaskMaxRatio = o.number('timeMaskMaxRatio', 1, { gt: 0, le: 1 });
    this.maskValue = o.number('maskValue', 0);
    this.seed = o.seed('seed');
    this.generator = layerGenerator('SpecAugment', this.seed);
  }

  call(inputs: Tensor, training = false): Tensor {
    if (!training) return inputs;
    if (inputs.ndim !== 3 && inputs.ndim !== 4) throw new ShapeError(`${this.describe()}: expects spectrograms [batch, freq, frames] or [batch, freq, frames, channels], got shape ${fmt(inputs.shape)}`);
    if (!isFloat(inputs.dtype)) throw new ValueError(`${this.describe()}: expects float spectrograms, got ${inputs.dtype}`);
    const [n, freq, frames] = inputs.shape as [number, number, number];
    const keep = this.drawKeep(n, freq, frames);
    const shape = inputs.ndim === 4 ? [n, freq, frames, 1] : [n, freq, frames];
    const mask = cast(new Tensor(keep, shape), inputs.dtype);
    const x = mul(inputs, mask);
    if (this.maskValue === 0) return x;
    // masked cells: 0·x + maskValue·(1 − keep)
    return add(x, mul(add(mul(mask, -1), 1), this.maskValue));
  }

  /** 1 where a cell is kept, 0 where a mask covers it, `[n, freq, frames]`. */
  private drawKeep(n: number, freq: number, frames: number): Float32Array {
    const keep = new Float32Array(n * freq * frames).fill(1);
    const widest = Math.min(this.timeMaskParam, Math.floor(this.timeMaskMaxRatio * frames));
    const draw = (hi: number) => Math.floor(uniform(this.generator, 0, hi + 1));
    for (let i = 0; i < n; i++) {
      const base = i * freq * frames;
      for (let m = 0; m < this.freqMasks; m++) {
        const f = Math.min(draw(this.freqMaskParam), freq);
        const f0 = draw(freq - f);
        keep.fill(0, base + f0 * frames, base + (f0 + f) * frames);
      }
      for (let m = 0; m < this.timeMasks; m++) {
        const t = Math.min(draw(widest), frames);
        const t0 = draw(frames - t);
        for (let b = 0; b < freq; b++) keep.fill(0, base + b * frames + t0, base + b * frames + t0 + t);
      }
    }
    return keep;
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return inputShape.slice();
  }

  override getConfig(): Config {
    return {
      ...super.getConfig(), freqMaskParam: this.freqMaskParam, timeMaskParam: this.timeMaskParam, freqMasks: this.freqMasks,
      timeMasks: this.timeMasks, timeMaskMaxRatio: this.timeMaskMaxRatio, maskValue: this.maskValue, seed: this.seed,
    };
  }
}

registerLayer(SpecAugment);
