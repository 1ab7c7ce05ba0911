/**
 * Mel-frequency cepstral coefficients, torchaudio's `transforms.MFCC`: the mel spectrogram in
 * decibels (or its log), then a DCT-II along the mels.
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { tensor } from '../tensor/creation.js';
import { add } from '../ops/binary.js';
import { log } from '../ops/unary.js';
import { matmul } from '../ops/matmul.js';
import { reshape, transposeLast } from '../ops/movement.js';
import { amplitudeToDb } from './db.js';
import { MEL_KEYS, melFrames, type MelSpectrogramOptions } from './mel.js';
import { checkKeys, choiceOption, intOption, boolOption } from './spectral-options.js';

/** Options of `mfcc`: its own, and the mel spectrogram's flat beside them. */
export interface MfccOptions extends Omit<MelSpectrogramOptions, 'norm'> {
  /** Coefficients kept, ≤ nMels. Default 40. */
  nMfcc?: number;
  /** Only 2 (DCT-II), as torchaudio. */
  dctType?: number;
  /** The DCT's norm, as torchaudio's MFCC `norm`: 'ortho' (default), the orthonormal DCT; null, the unscaled one (×2). */
  norm?: 'ortho' | null;
  /** The mel filterbank's norm ('slaney' or null, default null): melSpectrogram's `norm`, renamed here since `norm` is the DCT's. */
  melNorm?: 'slaney' | null;
  /** log(mel + 1e-6) instead of decibels clamped to 80 dB below the maximum. Default false. */
  logMels?: boolean;
}

/**
 * The DCT-II matrix `[nMels, nMfcc]`, torchaudio's `create_dct`: column k is
 * `cos(π/nMels·(n + ½)·k)`, scaled by √(2/nMels) (and column 0 by a further 1/√2) for 'ortho',
 * by 2 for null.
 *
 * @example
 * nb.audio.dctMatrix(13, 40)   // [40, 13]
 */
export function dctMatrix(nMfcc: number, nMels: number, norm: 'ortho' | null = 'ortho', dtype: 'float32' | 'float64' = 'float32'): Tensor {
  const m = new Float64Array(nMels * nMfcc);
  for (let n = 0; n < nMels; n++) {
    for (let k = 0; k < nMfcc; k++) {
      let v = Math.cos((Math.PI / nMels) * (n + 0.5) * k);
      if (norm === null) v *= 2;
      else v *= (k === 0 ? Math.SQRT1_2 : 1) * Math.sqrt(2 / nMels);
      m[n * nMfcc + k] = v;
    }
  }
  return tensor(m, { shape: [nMels, nMfcc], dtype });
}

/**
 * MFCCs of `x [..., time]`: `[..., nMfcc, frames]`. torchaudio's `transforms.MFCC` with the
 * `melkwargs` flat in the options (sampleRate 16000, nFft 400, 128 mels by default); the mels go
 * through `amplitudeToDb(·, { topDb: 80 })` (its max taken as torchaudio does, see there) unless
 * `logMels`. `norm` is the DCT's (torchaudio's MFCC argument); the filterbank's is `melNorm`. Differentiable.
 *
 * @example
 * nb.audio.mfcc(waveform, { sampleRate: 8000, nMfcc: 13, nMels: 40 })   // [1, 13, frames]
 */
export function mfcc(x: Tensor, opts: MfccOptions = {}): Tensor {
  const who = 'mfcc';
  checkKeys(who, opts, [...MEL_KEYS.filter((k) => k !== 'norm'), 'norm', 'melNorm', 'nMfcc', 'dctType', 'logMels']);
  const nMfcc = intOption(who, 'nMfcc', opts.nMfcc, 40);
  const nMels = intOption(who, 'nMels', opts.nMels, 128);
  if (nMfcc > nMels) throw new ValueError(`${who}: nMfcc (${nMfcc}) cannot exceed nMels (${nMels}); ask for fewer coefficients or more mels`);
  if (opts.dctType !== undefined && opts.dctType !== 2) throw new ValueError(`${who}: dctType ${String(opts.dctType)} is not supported; only 2 (DCT-II)`);
  const dctNorm = choiceOption(who, 'norm', opts.norm, ['ortho', null] as const, 'ortho');
  const logMels = boolOption(who, 'logMels', opts.logMels, false);
  // the mel options read only their own keys, so the MFCC ones may ride along
  const melOpts: MelSpectrogramOptions = { ...opts, norm: opts.melNorm ?? null };
  const { frames, lead } = melFrames(who, x, melOpts);
  const mels = reshape(transposeLast(frames), [...lead, frames.shape[2]!, frames.shape[1]!]);
  const logged = logMels ? log(add(mels, 1e-6)) : amplitudeToDb(mels, { stype: 'power', topDb: 80 });
  const coeffs = matmul(transposeLast(logged), dctMatrix(nMfcc, nMels, dctNorm, x.dtype as 'float32' | 'float64'));
  return transposeLast(coeffs);
}
