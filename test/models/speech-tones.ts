// Made-up "spoken digits" for fast CTC tests: each class is a tone of its own pitch, clips of
// 0.12–0.2 s with a fade in and out, as audioFolder would return them.
import type { AudioData } from '../../src/data/datasets/audio-folder.js';
import { Generator } from '../../src/tensor/random.js';
import { Tensor } from '../../src/tensor/tensor.js';

/** The pitch of class k, in Hz. */
export const TONE_HZ = [300, 700, 1200];

/** `perClass` tone clips of each class at `rate` Hz (random length, phase and level), zero-padded. */
export function toneClips(perClass: number, seed: number, rate = 4000): AudioData {
  const g = new Generator(seed);
  const n = perClass * TONE_HZ.length;
  const width = Math.round(0.2 * rate);
  const data = new Float32Array(n * width);
  const lengths = new Int32Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % TONE_HZ.length;
    const len = Math.round((0.12 + 0.08 * g.uniform()) * rate);
    const phase = 2 * Math.PI * g.uniform();
    const level = 0.2 + 0.6 * g.uniform();
    for (let t = 0; t < len; t++) {
      const fade = Math.min(1, t / 40, (len - t) / 40);
      data[i * width + t] = level * fade * Math.sin(phase + (2 * Math.PI * TONE_HZ[k]! * t) / rate);
    }
    lengths[i] = len;
    labels[i] = k;
  }
  return {
    waveforms: new Tensor(data, [n, width]),
    lengths: new Tensor(lengths, [n]),
    labels: new Tensor(labels, [n]),
    classNames: TONE_HZ.map((_, k) => String(k)),
    files: Array.from({ length: n }, (_, i) => `${i % TONE_HZ.length}_tone_${i}.wav`),
    speakers: Array.from({ length: n }, () => 'tone'),
    sampleRate: rate,
  };
}
