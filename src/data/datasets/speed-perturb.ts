import { resample } from '../../audio/resample.js';
import { denseData } from '../../ops/primitives/alloc.js';
import { ValueError } from '../../tensor/errors.js';
import { Tensor } from '../../tensor/tensor.js';
import type { AudioData } from './audio-folder.js';

/** Whether `f` is a speed {@link speedPerturb} takes: a multiple of 0.01 in [0.5, 2]. */
export function isSpeedFactor(f: unknown): f is number {
  return typeof f === 'number' && f >= 0.5 && f <= 2 && Math.abs(Math.round(f * 100) - f * 100) <= 1e-6;
}

/**
 * Speed perturbation (Ko et al., "Audio augmentation for speech recognition", Interspeech 2015,
 * the recipe of Kaldi's `speed-perturb`): every clip once at each of `factors`, played `factor`
 * times as fast — resampled from `sampleRate · factor` to `sampleRate` (`nb.audio.resample`), so
 * that tempo, pitch and formants all move together, as with a speaker of a longer or shorter vocal
 * tract speaking slower or faster. 0.9 is slower and lower, 1.1 faster and higher; 1 is the clip
 * itself. The clips keep the data's width (a slowed clip is cut there, a sped one padded with
 * zeros) and their labels and speakers; `files` say the speed (`a.wav@0.9`). Factors are
 * multiples of 0.01 in [0.5, 2].
 *
 * @example
 * const train = nb.datasets.speedPerturb(fsddTrain, [0.9, 1, 1.1]);   // three times the clips
 */
export function speedPerturb(data: AudioData, factors: readonly number[]): AudioData {
  const who = 'speedPerturb';
  if (!Array.isArray(factors) || factors.length === 0) throw new ValueError(`${who}: factors must be a non-empty array of speeds such as [0.9, 1, 1.1], got ${JSON.stringify(factors)}`);
  const percents = factors.map((f, i) => {
    if (!isSpeedFactor(f)) throw new ValueError(`${who}: factors[${i}] must be a multiple of 0.01 in [0.5, 2] (0.9 is 10 % slower), got ${JSON.stringify(f)}`);
    return Math.round(f * 100);
  });
  const n = data.files.length;
  const width = data.waveforms.shape[1]!;
  const lengths = denseData(data.lengths);
  const labels = denseData(data.labels);
  const out = new Float32Array(factors.length * n * width);
  const outLengths = new Int32Array(factors.length * n);
  percents.forEach((p, k) => {
    // the whole batch at once: the zeros after each clip resample to zeros
    const y = p === 100 ? data.waveforms : resample(data.waveforms, p, 100);
    const yw = y.shape[1]!;
    const values = denseData(y);
    for (let i = 0; i < n; i++) {
      const row = k * n + i;
      // the clip's own resampled length (its filter's tail in the padding stays zero)
      const keep = Math.min(width, yw, Math.ceil((lengths[i]! * 100) / p));
      out.set(values.subarray(i * yw, i * yw + keep), row * width);
      outLengths[row] = keep;
    }
  });
  return {
    waveforms: new Tensor(out, [factors.length * n, width]),
    lengths: new Tensor(outLengths, [factors.length * n]),
    labels: new Tensor(Int32Array.from({ length: factors.length * n }, (_, r) => labels[r % n]!), [factors.length * n]),
    classNames: [...data.classNames],
    files: factors.flatMap((f) => data.files.map((file) => (f === 1 ? file : `${file}@${f}`))),
    speakers: factors.flatMap(() => data.speakers),
    sampleRate: data.sampleRate,
  };
}
