/**
 * Synthetic "speech" for the speech classifier's tests: tones of a class's pitch (with a second
 * harmonic), each clip at a random level, start and length, with a little white noise, so a
 * model must look at the spectrum, not the level. Written as FSDD-named WAVs for the CLI tests.
 */
import { join } from 'node:path';
import * as nb from '../../src/index.js';

/**
 * The classes and their pitches in Hz. The second harmonic of the highest pitch (up to 2 × 1.1 ×
 * 1800 = 3,960 Hz) stays below 8 kHz's Nyquist frequency: above it, clips written at 8 kHz would
 * hold its alias, which a clip resampled from 16 kHz does not, and a model could learn the alias.
 */
export const TONES: Record<string, number> = { low: 300, mid: 900, high: 1800 };

/** `n` clips per class of `samples` at `sampleRate`: `{ waveforms [n·classes, samples], labels }`. */
export function toneClips(n: number, seed: number, sampleRate = 8000, samples = 2000): { waveforms: nb.Tensor; labels: nb.Tensor; names: string[] } {
  const g = new nb.Generator(seed);
  const names = Object.keys(TONES);
  const out = new Float32Array(names.length * n * samples);
  const labels = new Int32Array(names.length * n);
  names.forEach((name, c) => {
    for (let i = 0; i < n; i++) {
      const row = c * n + i;
      labels[row] = c;
      const f = TONES[name]! * (0.9 + 0.2 * g.uniform());
      const level = 0.05 + 0.4 * g.uniform();
      const start = Math.floor(g.uniform() * samples * 0.3);
      const len = Math.floor(samples * (0.4 + 0.3 * g.uniform()));
      for (let t = 0; t < samples; t++) {
        const on = t >= start && t < start + len ? 1 : 0;
        const w = 2 * Math.PI * f * t / sampleRate;
        out[row * samples + t] = on * level * (Math.sin(w) + 0.3 * Math.sin(2 * w)) + 0.005 * g.normal();
      }
    }
  });
  return { waveforms: new nb.Tensor(out, [names.length * n, samples]), labels: new nb.Tensor(labels, [names.length * n]), names };
}

/** Writes `n` clips per class as `{label}_{speaker}_{i}.wav` in `dir`, the speakers taking turns; returns the paths. */
export function writeToneFolder(dir: string, n: number, seed: number, speakers: readonly string[], sampleRate = 8000, samples = 2000): string[] {
  const { waveforms, labels, names } = toneClips(n, seed, sampleRate, samples);
  const paths: string[] = [];
  const lab = labels.data();
  for (let row = 0; row < lab.length; row++) {
    const path = join(dir, `${names[lab[row]!]}_${speakers[row % speakers.length]}_${row}.wav`);
    nb.audio.writeWav(path, waveforms.slice([[row, row + 1]]), sampleRate);
    paths.push(path);
  }
  return paths;
}
