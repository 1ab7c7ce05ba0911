import type { Tensor } from '../../../tensor/tensor.js';
import { reshape } from '../../../ops/movement.js';
import { mfcc, type MfccOptions } from '../../../audio/mfcc.js';
import { ValueError } from '../../../tensor/errors.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { melConfig, readMelOptions, type CheckedMelOptions, type MelLayerOptions } from './feature-options.js';
import { asWaveforms, LAYER_KEYS } from './mel-spectrogram.js';

/** Options of `MFCC`: `nb.audio.mfcc`'s (the mel options flat beside them). */
export interface MFCCLayerOptions extends LayerOptions, MelLayerOptions {
  /** Coefficients kept, ≤ nMels. Default 40. */
  nMfcc?: number;
  /** The DCT's norm: 'ortho' (default) or null. */
  norm?: 'ortho' | null;
  /** The mel filterbank's norm: 'slaney' or null (default). */
  melNorm?: 'slaney' | null;
  /** ln(mel + 1e-6) instead of decibels floored 80 dB below the maximum. Default false. */
  logMels?: boolean;
}

const OWN_KEYS = new Set(['nMfcc', 'norm', 'melNorm', 'logMels']);

/**
 * MFCCs of waveforms as a layer (torchaudio's `transforms.MFCC`): `[batch, samples]` →
 * `[batch, nMfcc, frames]`, computed per example by `nb.audio.mfcc` (so the 80 dB floor is each
 * clip's own, as torchaudio gives for one clip at a time). Differentiable, no weights.
 *
 * @example
 * new nn.layers.MFCC({ sampleRate: 8000, nMfcc: 13, nMels: 40, nFft: 256 })
 */
export class MFCC extends Layer {
  readonly options: CheckedMelOptions;
  readonly nMfcc: number;
  readonly norm: 'ortho' | null;
  readonly melNorm: 'slaney' | null;
  readonly logMels: boolean;

  constructor(opts: MFCCLayerOptions = {}) {
    super(opts);
    const mel = Object.fromEntries(Object.entries(opts).filter(([k]) => !LAYER_KEYS.has(k) && !OWN_KEYS.has(k))) as MelLayerOptions;
    this.options = readMelOptions('MFCC', mel);
    const o = readOptions('MFCC', opts);
    this.nMfcc = o.integer('nMfcc', 40, { ge: 1 });
    if (this.nMfcc > this.options.nMels) throw new ValueError(`MFCC: nMfcc (${this.nMfcc}) cannot exceed nMels (${this.options.nMels}); ask for fewer coefficients or more mels`);
    this.norm = o.oneOf('norm', ['ortho', null] as const, 'ortho');
    this.melNorm = o.oneOf('melNorm', ['slaney', null] as const, null);
    this.logMels = o.boolean('logMels', false);
  }

  call(inputs: Tensor): Tensor {
    const { batch, lead } = asWaveforms(this.describe(), inputs, this.dtype);
    const opts: MfccOptions = { ...this.options, nMfcc: this.nMfcc, norm: this.norm, melNorm: this.melNorm, logMels: this.logMels };
    const out = mfcc(batch, opts);   // [n, 1, nMfcc, frames]
    return reshape(out, [...lead, out.shape[2]!, out.shape[3]!]);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...melConfig(this.options), nMfcc: this.nMfcc, norm: this.norm, melNorm: this.melNorm, logMels: this.logMels };
  }
}

registerLayer(MFCC);
