/**
 * Mel filterbanks and the mel spectrogram, as torchaudio's `functional.melscale_fbanks` and
 * `transforms.MelSpectrogram`: triangular filters evenly spaced on the mel scale (HTK's formula
 * or Slaney's linear-then-log one), applied to a power spectrogram along its frequency axis.
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { warn } from '../tensor/warn.js';
import { reshape, transposeLast } from '../ops/movement.js';
import { checkKeys, choiceOption, intOption, numberOption } from './spectral-options.js';
import { asBatch, powerFrames, SPECTROGRAM_KEYS, stftConfig, type SpectrogramOptions } from './spectral.js';

/** The mel scale's formula. */
export type MelScale = 'htk' | 'slaney';

/** Options of `melFilterbank` (torchaudio's `melscale_fbanks` arguments in camelCase). */
export interface MelFilterbankOptions {
  /** Frequency bins of the spectrogram it applies to (⌊nFft/2⌋ + 1). Required. */
  nFreqs: number;
  /** Sample rate of the audio in Hz; the bins span 0…⌊sampleRate/2⌋. Required. */
  sampleRate: number;
  /** Lowest frequency in Hz. Default 0. */
  fMin?: number;
  /** Highest frequency in Hz. Default ⌊sampleRate/2⌋. */
  fMax?: number;
  /** Number of mel filters. Default 128. */
  nMels?: number;
  /** 'slaney' divides each triangle by its width in Hz (constant energy per band); null (default) leaves peaks at 1. */
  norm?: 'slaney' | null;
  /** 'htk' (default): 2595·log10(1 + f/700); 'slaney': linear below 1 kHz, logarithmic above. */
  melScale?: MelScale;
  /** The result's type. Default 'float32'. */
  dtype?: 'float32' | 'float64';
}

const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

/** Hz → mel. */
function hzToMel(f: number, scale: MelScale): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + f / 700);
  return f < MIN_LOG_HZ ? f / F_SP : MIN_LOG_MEL + Math.log(f / MIN_LOG_HZ) / LOG_STEP;
}

/** mel → Hz. */
function melToHz(m: number, scale: MelScale): number {
  if (scale === 'htk') return 700 * (10 ** (m / 2595) - 1);
  return m < MIN_LOG_MEL ? F_SP * m : MIN_LOG_HZ * Math.exp(LOG_STEP * (m - MIN_LOG_MEL));
}

/** `n` evenly spaced values from a to b inclusive. */
function linspace(a: number, b: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? a : a + ((b - a) * i) / (n - 1)));
}

/**
 * The mel filterbank matrix `[nFreqs, nMels]`: column m is a triangle rising from mel point m to
 * m+1 and falling to m+2 (nMels + 2 points evenly spaced in mel from fMin to fMax), evaluated at
 * the bin frequencies. `spec [..., nFreqs, frames]` becomes mels by `fbᵀ·spec`. Warns, as
 * torchaudio does, when a filter falls between bins and is all zeros.
 *
 * @example
 * nb.audio.melFilterbank({ nFreqs: 201, sampleRate: 16000, nMels: 40 })   // [201, 40]
 */
export function melFilterbank(opts: MelFilterbankOptions): Tensor {
  const who = 'melFilterbank';
  checkKeys(who, opts, ['nFreqs', 'sampleRate', 'fMin', 'fMax', 'nMels', 'norm', 'melScale', 'dtype']);
  const nFreqs = intOption(who, 'nFreqs', opts.nFreqs, NaN);
  const sampleRate = numberOption(who, 'sampleRate', opts.sampleRate, NaN);
  if (Number.isNaN(nFreqs) || Number.isNaN(sampleRate)) throw new ValueError(`${who}: nFreqs and sampleRate are required`);
  if (sampleRate <= 0) throw new ValueError(`${who}: sampleRate must be > 0 Hz, got ${sampleRate}`);
  const nyquist = Math.floor(sampleRate / 2);
  const fMin = numberOption(who, 'fMin', opts.fMin, 0);
  const fMax = numberOption(who, 'fMax', opts.fMax, nyquist);
  if (fMin < 0 || fMin >= fMax) throw new ValueError(`${who}: need 0 ≤ fMin < fMax, got fMin ${fMin} and fMax ${fMax}`);
  const nMels = intOption(who, 'nMels', opts.nMels, 128);
  const norm = choiceOption(who, 'norm', opts.norm, ['slaney', null] as const, null);
  const scale = choiceOption(who, 'melScale', opts.melScale, ['htk', 'slaney'] as const, 'htk');
  const freqs = linspace(0, nyquist, nFreqs);
  const points = linspace(hzToMel(fMin, scale), hzToMel(fMax, scale), nMels + 2).map((m) => melToHz(m, scale));
  const fb = new Float64Array(nFreqs * nMels);
  let emptyFilter = false;
  for (let m = 0; m < nMels; m++) {
    const [lo, mid, hi] = [points[m]!, points[m + 1]!, points[m + 2]!];
    const enorm = norm === 'slaney' ? 2 / (hi - lo) : 1;
    let peak = 0;
    for (let f = 0; f < nFreqs; f++) {
      const down = (freqs[f]! - lo) / (mid - lo);
      const up = (hi - freqs[f]!) / (hi - mid);
      const v = Math.max(0, Math.min(down, up)) * enorm;
      fb[f * nMels + m] = v;
      peak = Math.max(peak, v);
    }
    if (peak === 0) emptyFilter = true;
  }
  if (emptyFilter) {
    warn(`melFilterbank: at least one mel filter has all zero values: nMels (${nMels}) may be too high for nFreqs (${nFreqs})`);
  }
  return tensor(fb, { shape: [nFreqs, nMels], dtype: opts.dtype ?? 'float32' });
}

/** Options of `melSpectrogram`: the spectrogram's and the filterbank's, flat (torchaudio's `MelSpectrogram`). */
export interface MelSpectrogramOptions extends Omit<SpectrogramOptions, 'power' | 'onesided'> {
  /** Sample rate in Hz. Default 16000. */
  sampleRate?: number;
  /** Exponent of the magnitude before the filters. Default 2 (power). */
  power?: number;
  fMin?: number;
  /** Default ⌊sampleRate/2⌋. */
  fMax?: number;
  /** Default 128. */
  nMels?: number;
  norm?: 'slaney' | null;
  melScale?: MelScale;
}

export const MEL_KEYS = [...SPECTROGRAM_KEYS.filter((k) => k !== 'onesided'), 'sampleRate', 'fMin', 'fMax', 'nMels', 'norm', 'melScale'] as const;

/** The mel spectrogram frames-first, `[batch, frames, nMels]`, and the batch dims it came with. */
export function melFrames(who: string, x: Tensor, opts: MelSpectrogramOptions): { frames: Tensor; lead: number[] } {
  const cfg = stftConfig(who, { ...opts, onesided: true });
  const { batch, lead } = asBatch(who, x);
  const sampleRate = numberOption(who, 'sampleRate', opts.sampleRate, 16000);
  if (sampleRate <= 0) throw new ValueError(`${who}: sampleRate must be > 0 Hz, got ${sampleRate}`);
  const fbOpts: MelFilterbankOptions = {
    nFreqs: Math.floor(cfg.nFft / 2) + 1, sampleRate, fMin: opts.fMin ?? 0, fMax: opts.fMax ?? Math.floor(sampleRate / 2),
    nMels: opts.nMels ?? 128, norm: opts.norm ?? null, melScale: opts.melScale ?? 'htk', dtype: x.dtype as 'float32' | 'float64',
  };
  return { frames: powerFrames(who, batch, cfg, cachedFilterbank(fbOpts)), lead };
}

/** The filterbanks melFrames used last, by their options: a feature extractor asks for the same one at every call. */
const filterbanks = new Map<string, Tensor>();

function cachedFilterbank(opts: MelFilterbankOptions): Tensor {
  const key = JSON.stringify(opts);
  let fb = filterbanks.get(key);
  if (fb === undefined) {
    fb = melFilterbank(opts);
    if (filterbanks.size >= 8) filterbanks.delete(filterbanks.keys().next().value!);
    filterbanks.set(key, fb);
  }
  return fb;
}

/**
 * The mel spectrogram of `x [..., time]`: `[..., nMels, frames]`, torchaudio's
 * `transforms.MelSpectrogram` (its options and defaults: sampleRate 16000, nFft 400, hop
 * ⌊winLength/2⌋, 128 HTK mels without norm, power 2). Differentiable.
 *
 * @example
 * const mel = nb.audio.melSpectrogram(waveform, { sampleRate: 8000, nMels: 64 });   // [1, 64, frames]
 */
export function melSpectrogram(x: Tensor, opts: MelSpectrogramOptions = {}): Tensor {
  const who = 'melSpectrogram';
  checkKeys(who, opts, MEL_KEYS);
  const { frames, lead } = melFrames(who, x, opts);
  return reshape(transposeLast(frames), [...lead, frames.shape[2]!, frames.shape[1]!]);
}
