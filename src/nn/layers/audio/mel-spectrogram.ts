import { ShapeError } from '../../../tensor/errors.js';
import { isFloat } from '../../../tensor/dtype.js';
import { fmt } from '../../../tensor/shape.js';
import type { Tensor } from '../../../tensor/tensor.js';
import { add, cast } from '../../../ops/binary.js';
import { log } from '../../../ops/unary.js';
import { reshape } from '../../../ops/movement.js';
import { melSpectrogram } from '../../../audio/mel.js';
import { amplitudeToDb } from '../../../audio/db.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';
import { Layer, type LayerOptions } from '../../layer.js';
import { registerLayer } from '../../layer-registry.js';
import { melConfig, readMelOptions, type CheckedMelOptions, type MelLayerOptions } from './feature-options.js';

/** What `MelSpectrogram` outputs: the mel powers (torchaudio's), their decibels, or their natural log. */
export type MelOutput = 'power' | 'db' | 'log';

/** Options of `MelSpectrogram`: `nb.audio.melSpectrogram`'s, and the scale of the output. */
export interface MelSpectrogramLayerOptions extends LayerOptions, MelLayerOptions {
  /**
   * 'power' (default): the mel spectrogram as `nb.audio.melSpectrogram` gives it; 'db':
   * `amplitudeToDb` of it, each example floored at `topDb` below its own maximum; 'log':
   * `ln(mel + logOffset)`.
   */
  output?: MelOutput;
  /** With output 'db': the floor below each example's maximum in dB, or null for none. Default 80. */
  topDb?: number | null;
  /** With output 'log': added before the log so silence stays finite. Default 1e-6. */
  logOffset?: number;
}

/** Waveforms `[..., samples]` as a float batch `[n, 1, samples]`, and the leading dims to restore. */
export function asWaveforms(who: string, x: Tensor, dtype: 'float32' | 'float64'): { batch: Tensor; lead: number[] } {
  if (x.ndim < 1) throw new ShapeError(`${who}: expects waveforms [batch, samples], got a scalar`);
  const lead = x.shape.slice(0, -1);
  const samples = x.shape[x.ndim - 1]!;
  if (samples === 0) throw new ShapeError(`${who}: the waveforms are empty (shape ${fmt(x.shape)}); give clips of at least one frame`);
  const floats = isFloat(x.dtype) ? x : cast(x, dtype);
  return { batch: reshape(floats, [-1, 1, samples]), lead };
}

/**
 * The mel spectrogram of waveforms as a layer (Keras 3's `MelSpectrogram`, torchaudio's
 * transform): `[batch, samples]` → `[batch, nMels, frames]`, with the options of
 * `nb.audio.melSpectrogram` (its defaults: sampleRate 16000, nFft 400, hop ⌊winLength/2⌋,
 * 128 HTK mels, power 2). `output: 'db'` gives log-mel features in decibels, each example
 * floored at `topDb` below its own maximum (not the batch's, as torchaudio's AmplitudeToDB on a
 * 3-D batch would); `'log'` the natural log. Differentiable, no weights.
 *
 * @example
 * new nn.layers.MelSpectrogram({ sampleRate: 8000, nFft: 256, hopLength: 128, nMels: 40, output: 'db' })
 */
export class MelSpectrogram extends Layer {
  readonly options: CheckedMelOptions;
  readonly output: MelOutput;
  readonly topDb: number | null;
  readonly logOffset: number;

  constructor(opts: MelSpectrogramLayerOptions = {}) {
    super(opts);
    const { output, topDb, logOffset, ...rest } = opts;
    const mel = Object.fromEntries(Object.entries(rest).filter(([k]) => !LAYER_KEYS.has(k))) as MelLayerOptions;
    this.options = readMelOptions('MelSpectrogram', mel);
    const o = readOptions('MelSpectrogram', { output, topDb, logOffset });
    this.output = o.oneOf('output', ['power', 'db', 'log'] as const, 'power');
    this.topDb = topDb === null ? null : o.number('topDb', 80, { ge: 0 });
    this.logOffset = o.number('logOffset', 1e-6, { gt: 0 });
  }

  call(inputs: Tensor): Tensor {
    const { batch, lead } = asWaveforms(this.describe(), inputs, this.dtype);
    const mel = melSpectrogram(batch, this.options);   // [n, 1, nMels, frames]
    const scaled = this.output === 'db' ? amplitudeToDb(mel, { stype: 'power', topDb: this.topDb })
      : this.output === 'log' ? log(add(mel, this.logOffset)) : mel;
    return reshape(scaled, [...lead, mel.shape[2]!, mel.shape[3]!]);
  }

  override getConfig(): Config {
    return { ...super.getConfig(), ...melConfig(this.options), output: this.output, topDb: this.topDb, logOffset: this.logOffset };
  }
}

/** Options every layer takes, kept out of the mel options. */
export const LAYER_KEYS = new Set(['name', 'trainable', 'dtype', 'inputShape']);

registerLayer(MelSpectrogram);
