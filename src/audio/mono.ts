import { denseData } from '../ops/primitives/alloc.js';
import { Tensor } from '../tensor/tensor.js';
import { resample } from './resample.js';
import { readWav } from './wav.js';

/**
 * The WAV clip at `path` as one channel at `sampleRate`: its channels averaged, then resampled
 * (torchaudio's filters) when the file's rate differs. `fileRate` is the rate the file had, so a
 * caller can say that it resampled.
 *
 * @example
 * const { samples, fileRate } = nb.audio.readMono('0_george_0.wav', 16000);
 */
export function readMono(path: string, sampleRate: number): { samples: Float32Array; fileRate: number } {
  const { waveform, sampleRate: fileRate } = readWav(path);
  const [channels, frames] = waveform.shape as [number, number];
  const data = denseData(waveform) as Float32Array;
  let mono = data;
  if (channels > 1) {
    mono = new Float32Array(frames);
    for (let i = 0; i < frames; i++) {
      let s = 0;
      for (let c = 0; c < channels; c++) s += data[c * frames + i]!;
      mono[i] = s / channels;
    }
  }
  if (fileRate === sampleRate) return { samples: mono, fileRate };
  return { samples: denseData(resample(new Tensor(mono, [frames]), fileRate, sampleRate)) as Float32Array, fileRate };
}
