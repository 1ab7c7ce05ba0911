import { ShapeError, ValueError } from '../../../tensor/errors.js';
import { isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import { Tensor } from '../../../tensor/tensor.js';
import { add, cast, mul, sub } from '../../../ops/binary.js';
import { takeAlongAxis } from '../../../ops/indexing.js';
import { min } from '../../../ops/reduce.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';

/** Options of `DurationNormalization`. */
export interface DurationNormalizationOptions extends LayerOptions {
  /** Frames of the output: every clip's sounding span is resampled to this many. Required. */
  frames: number;
  /**
   * A frame belongs to the span only if its power (summed over the bands) is within `topDb` of
   * the clip's loudest frame: the low background noise of a recording that was not trimmed tight
   * is left out with the padding. Null: every frame above the clip's floor. Default 40.
   */
  topDb?: number | null;
  /**
   * True (default): the span is resampled to `frames`. False: it is only moved to the first frame,
   * its own frames kept (cut after `frames`), the rest at the clip's floor: onset alignment.
   */
  stretch?: boolean;
}

/**
 * The sounding frames `[first, last]` of each clip of a `[batch, bands, frames]` dB spectrogram:
 * a frame sounds when some band is above the clip's floor (the value digital silence takes after
 * `amplitudeToDb` with `topDb`, the rule of `UtteranceNormalization`) and, unless `topDb` is null,
 * its power summed over the bands is within `topDb` dB of the clip's loudest frame. A clip with no
 * sounding frame gives its whole length.
 */
export function soundingSpans(x: Float32Array | Float64Array, batch: number, bands: number, frames: number, topDb: number | null = null): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const level = new Float64Array(frames);
  for (let b = 0; b < batch; b++) {
    const base = b * bands * frames;
    let floor = Infinity;
    for (let i = 0; i < bands * frames; i++) floor = Math.min(floor, x[base + i]!);
    let loudest = -Infinity;
    for (let t = 0; t < frames; t++) {
      // the frame's power over all bands, in dB (the bands are in dB of power)
      let power = 0;
      for (let f = 0; f < bands; f++) power += 10 ** (x[base + f * frames + t]! / 10);
      level[t] = 10 * Math.log10(power);
      loudest = Math.max(loudest, level[t]!);
    }
    let first = -1; let last = -1;
    for (let t = 0; t < frames; t++) {
      let top = -Infinity;
      for (let f = 0; f < bands; f++) top = Math.max(top, x[base + f * frames + t]!);
      const loud = topDb === null || level[t]! >= loudest - topDb;
      if (top > floor + 1e-3 && loud) { if (first < 0) first = t; last = t; }
    }
    spans.push(first < 0 ? [0, frames - 1] : [first, last]);
  }
  return spans;
}

/**
 * Duration normalisation of spectrograms `[batch, bands, frames]` in dB: each clip's sounding
 * span (from its first to its last frame above the clip's floor — the padding after a short word
 * is at the floor — and within `topDb` of its loudest frame, which leaves out the quiet room noise
 * before and after a word in a recording that was not trimmed tight) is stretched or squeezed
 * along time, by linear interpolation between frames, to exactly `frames` output frames
 * `[batch, bands, frames]`. A slow speaker's word and a fast
 * one's then fill the same frames with the same sounds: the tempo of a voice no longer moves
 * where a pattern lies, while the spectrum in each frame — the formants, which resampling the
 * waveform would shift — is untouched. No weights; the same in training and inference;
 * differentiable with respect to the input (the spans are found, not learned).
 * Put it after `MelSpectrogram({ output: 'db' })` and before `UtteranceNormalization`.
 *
 * @example
 * new nb.layers.DurationNormalization({ frames: 32 }).apply(melDb)   // [B, 20, 63] → [B, 20, 32]
 */
export class DurationNormalization extends Layer {
  readonly frames: number;
  readonly topDb: number | null;
  readonly stretch: boolean;

  constructor(opts: DurationNormalizationOptions) {
    super(opts);
    const o = readOptions('DurationNormalization', opts);
    if (opts?.frames === undefined) throw new ValueError('DurationNormalization: frames (the output frames, e.g. { frames: 32 }) is required');
    this.frames = o.integer('frames', 1, { ge: 1 });
    this.topDb = opts.topDb === null ? null : o.number('topDb', 40, { gt: 0 });
    this.stretch = o.boolean('stretch', true);
  }

  call(inputs: Tensor): Tensor {
    if (inputs.ndim !== 3) throw new ShapeError(`${this.describe()}: expects spectrograms [batch, bands, frames], got shape ${fmt(inputs.shape)}`);
    if (!isFloat(inputs.dtype)) throw new ValueError(`${this.describe()}: expects float spectrograms in dB, got ${inputs.dtype}`);
    const [batch, bands, frames] = inputs.shape as [number, number, number];
    if (frames === 0) throw new ShapeError(`${this.describe()}: expects at least one frame, got shape ${fmt(inputs.shape)}`);
    const spans = soundingSpans(inputs.data() as Float32Array | Float64Array, batch, bands, frames, this.topDb);
    const out = this.frames;
    const lo = new Int32Array(batch * bands * out);
    const hi = new Int32Array(batch * bands * out);
    const w = new Float32Array(batch * out);
    if (!this.stretch) {
      // onset alignment: output frame j is input frame s + j while the span lasts, then the floor
      const keep = new Float32Array(batch * out);
      spans.forEach(([s, e], b) => {
        for (let j = 0; j < out && s + j <= e; j++) {
          keep[b * out + j] = 1;
          for (let f = 0; f < bands; f++) lo[(b * bands + f) * out + j] = s + j;
        }
      });
      const m = cast(new Tensor(keep, [batch, 1, out]), inputs.dtype);
      const floor = min(inputs, [1, 2], true);
      const a = takeAlongAxis(inputs, new Tensor(lo, [batch, bands, out]), 2);
      return add(floor, mul(sub(a, floor), m));
    }
    spans.forEach(([s, e], b) => {
      const length = e - s + 1;
      for (let j = 0; j < out; j++) {
        // the centre of output frame j on the span's own time axis (frame centres at integers)
        const p = Math.min(e, Math.max(s, s + ((j + 0.5) * length) / out - 0.5));
        const i0 = Math.floor(p);
        const i1 = Math.min(i0 + 1, e);
        w[b * out + j] = p - i0;
        for (let f = 0; f < bands; f++) { lo[(b * bands + f) * out + j] = i0; hi[(b * bands + f) * out + j] = i1; }
      }
    });
    const shape = [batch, bands, out];
    const weight = cast(new Tensor(w, [batch, 1, out]), inputs.dtype);
    const a = takeAlongAxis(inputs, new Tensor(lo, shape), 2);
    const b = takeAlongAxis(inputs, new Tensor(hi, shape), 2);
    return add(a, mul(sub(b, a), weight));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    return [inputShape[0]!, inputShape[1]!, this.frames];
  }

  override getConfig(): Config {
    return { ...super.getConfig(), frames: this.frames, topDb: this.topDb, stretch: this.stretch };
  }
}

registerLayer(DurationNormalization);
