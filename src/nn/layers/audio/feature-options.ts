/**
 * The options the audio feature layers share with `nb.audio.melSpectrogram` / `mfcc`, read
 * through the layers' typed checks (config-options.ts) so that a model.json with a string where a
 * number goes is refused when the layer is made, not when it first runs. Only options given are
 * kept, so a layer's config holds what the user chose and the functions keep their own defaults.
 */
import { ValueError } from '../../../tensor/errors.js';
import type { MelScale, MelSpectrogramOptions } from '../../../audio/mel.js';
import type { PadMode } from '../../../audio/spectral.js';
import type { Config } from '../../config.js';
import { readOptions } from '../../config-options.js';

/** The mel spectrogram's options a layer takes: torchaudio's, in camelCase; a window by name only (a config is JSON). */
export interface MelLayerOptions {
  sampleRate?: number;
  nFft?: number;
  winLength?: number | null;
  hopLength?: number | null;
  pad?: number;
  window?: 'hann' | 'hamming';
  power?: number;
  normalized?: boolean;
  center?: boolean;
  padMode?: PadMode;
  fMin?: number;
  fMax?: number | null;
  nMels?: number;
  melScale?: MelScale;
}

/** The mel options after the checks: sampleRate and nMels always, the rest only when given. */
export type CheckedMelOptions = MelSpectrogramOptions & { sampleRate: number; nMels: number };

/** Reads the mel options of `who` (nMels defaults to `defaultMels`, sampleRate to 16000). */
export function readMelOptions(who: string, opts: MelLayerOptions, defaultMels = 128): CheckedMelOptions {
  const o = readOptions(who, opts);
  const out: CheckedMelOptions = {
    sampleRate: o.number('sampleRate', 16000, { gt: 0 }),
    nMels: o.integer('nMels', defaultMels, { ge: 1 }),
  };
  const given = (k: keyof MelLayerOptions) => opts[k] !== undefined && opts[k] !== null;
  if (given('nFft')) out.nFft = o.integer('nFft', 400, { ge: 1 });
  if (given('winLength')) out.winLength = o.integer('winLength', 400, { ge: 1 });
  if (given('hopLength')) out.hopLength = o.integer('hopLength', 200, { ge: 1 });
  if (given('pad')) out.pad = o.integer('pad', 0, { ge: 0 });
  if (given('window')) out.window = o.oneOf('window', ['hann', 'hamming'] as const, 'hann');
  if (given('power')) out.power = o.number('power', 2, { gt: 0 });
  if (given('normalized')) out.normalized = o.boolean('normalized', false);
  if (given('center')) out.center = o.boolean('center', true);
  if (given('padMode')) out.padMode = o.oneOf('padMode', ['reflect', 'constant', 'replicate', 'circular'] as const, 'reflect');
  if (given('fMin')) out.fMin = o.number('fMin', 0, { ge: 0 });
  if (given('fMax')) out.fMax = o.number('fMax', out.sampleRate / 2, { gt: 0 });
  if (given('melScale')) out.melScale = o.oneOf('melScale', ['htk', 'slaney'] as const, 'htk');
  const nFft = out.nFft ?? 400;
  if ((out.winLength ?? nFft) > nFft) throw new ValueError(`${who}: nFft (${nFft}) must be at least winLength (${out.winLength}); raise nFft or shorten the window`);
  if ((out.fMin ?? 0) >= (out.fMax ?? Math.floor(out.sampleRate / 2))) {
    throw new ValueError(`${who}: need fMin < fMax ≤ sampleRate/2, got fMin ${out.fMin ?? 0} and fMax ${out.fMax ?? Math.floor(out.sampleRate / 2)}`);
  }
  return out;
}

/** The mel options as a config (JSON: every value is a number, string or boolean). */
export function melConfig(opts: CheckedMelOptions): Config {
  return { ...opts } as Config;
}
