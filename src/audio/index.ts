/**
 * Audio (`nb.audio`): WAV files as tensors (`[channels, samples]` in [-1, 1), torchaudio.load's
 * convention), band-limited resampling with torchaudio's filters, and differentiable spectral
 * features with torchaudio's semantics (spectrogram, melSpectrogram, amplitudeToDb, mfcc).
 *
 * @example
 * const { waveform, sampleRate } = nb.audio.readWav('0_george_0.wav');
 * const x = nb.audio.resample(waveform, sampleRate, 16000);
 * nb.audio.writeWav('out.wav', x, 16000);
 */
export { readWav, writeWav, decodeWav, encodeWav, type Audio, type WriteWavOptions, type WavSampleFormat } from './wav.js';
export { resample, type ResampleOptions, type ResamplingMethod } from './resample.js';
export { readMono } from './mono.js';
export { synthesizeWords, ESPEAK_ENGLISH_VOICES, ESPEAK_VARIANTS, type SynthesizeOptions, type SyntheticClip } from './synthesize.js';
export {
  spectrogram, type SpectrogramOptions, type PadMode, type WindowName,
} from './spectral.js';
export { melFilterbank, melSpectrogram, type MelFilterbankOptions, type MelSpectrogramOptions, type MelScale } from './mel.js';
export { amplitudeToDb, type AmplitudeToDbOptions } from './db.js';
export { mfcc, dctMatrix, type MfccOptions } from './mfcc.js';
