/**
 * The short-time Fourier transform and the spectrogram, with torchaudio's semantics and defaults
 * (`torchaudio.functional.spectrogram` over `torch.stft`): frames `hopLength` apart, each
 * windowed and transformed with an FFT of `nFft` points (any length). Built from nabla ops
 * (a gather that pads and frames in one pass, a product, `rfft`), so it has gradients.
 */
import { ShapeError, ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { fmt } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { tensor, zerosLike } from '../tensor/creation.js';
import { cast, gt, mul, pow, where } from '../ops/binary.js';
import { sqrt } from '../ops/unary.js';
import { sum } from '../ops/reduce.js';
import { pad as padOp, permute, reshape, stack, transposeLast } from '../ops/movement.js';
import { gather } from '../ops/indexing.js';
import { matmul } from '../ops/matmul.js';
import { fft, rfft } from '../ops/fft.js';
import { apply } from '../ops/dispatch.js';
import { isGradEnabled } from '../tensor/grad-mode.js';
import { boolOption, checkKeys, choiceOption, intOption, numberOption } from './spectral-options.js';

/** How `center` pads the signal's ends (torch.stft's `pad_mode`). */
export type PadMode = 'reflect' | 'constant' | 'replicate' | 'circular';
/** The built-in windows, periodic as `torch.hann_window` / `torch.hamming_window`. */
export type WindowName = 'hann' | 'hamming';

/** Options of `spectrogram` (torchaudio's names in camelCase, and its defaults). */
export interface SpectrogramOptions {
  /** FFT size: each frame gives `⌊nFft/2⌋ + 1` bins (onesided). Any length ≥ 1. Default 400. */
  nFft?: number;
  /** Window length, ≤ nFft; the window is centred in the frame, zeros around. Default nFft. */
  winLength?: number;
  /** Samples between frame starts. Default ⌊winLength / 2⌋. */
  hopLength?: number;
  /** Zeros added to both ends of the signal first. Default 0. */
  pad?: number;
  /** 'hann' (default) or 'hamming', periodic; or a 1-D tensor of winLength values. */
  window?: WindowName | Tensor;
  /** Exponent of the magnitude (2: power, 1: magnitude); null gives the complex STFT `[..., freq, frames, 2]`. Default 2. */
  power?: number | null;
  /** true or 'window': divide by √(Σ window²); 'frame_length': by √nFft. Default false. */
  normalized?: boolean | 'window' | 'frame_length';
  /** Pad ⌊nFft/2⌋ samples at both ends so frame t is centred at t·hopLength. Default true. */
  center?: boolean;
  /** How center pads. Default 'reflect'. */
  padMode?: PadMode;
  /** Only the non-negative frequencies (⌊nFft/2⌋ + 1 bins) when true (default), all nFft when false. */
  onesided?: boolean;
}

/** The options after defaults and checks. */
export interface StftConfig {
  nFft: number;
  winLength: number;
  hopLength: number;
  pad: number;
  window: WindowName | Tensor;
  power: number | null;
  normalized: false | 'window' | 'frame_length';
  center: boolean;
  padMode: PadMode;
  onesided: boolean;
}

export const SPECTROGRAM_KEYS = ['nFft', 'winLength', 'hopLength', 'pad', 'window', 'power', 'normalized', 'center', 'padMode', 'onesided'] as const;

/** Reads and checks the spectrogram options (`who` names the caller in errors). */
export function stftConfig(who: string, opts: SpectrogramOptions): StftConfig {
  const nFft = intOption(who, 'nFft', opts.nFft, 400);
  const winLength = intOption(who, 'winLength', opts.winLength, nFft);
  if (winLength > nFft) throw new ValueError(`${who}: nFft (${nFft}) must be at least winLength (${winLength}); raise nFft or shorten the window`);
  const hopLength = intOption(who, 'hopLength', opts.hopLength, Math.max(1, Math.floor(winLength / 2)));
  const power = opts.power === null ? null : numberOption(who, 'power', opts.power, 2);
  if (power !== null && power <= 0) throw new ValueError(`${who}: power must be > 0 (2: power, 1: magnitude) or null for the complex STFT, got ${power}`);
  const window = opts.window ?? 'hann';
  if (window instanceof Tensor) {
    if (window.ndim !== 1 || window.shape[0] !== winLength) {
      throw new ShapeError(`${who}: window must be a 1-D tensor of winLength (${winLength}) values, got shape ${fmt(window.shape)}`);
    }
    if (!isFloat(window.dtype)) throw new ValueError(`${who}: window must be a float tensor, got ${window.dtype}`);
  } else {
    choiceOption(who, 'window', window, ['hann', 'hamming'] as const, 'hann');
  }
  const norm = opts.normalized;
  if (norm !== undefined && typeof norm !== 'boolean' && norm !== 'window' && norm !== 'frame_length') {
    throw new ValueError(`${who}: normalized must be true, false, 'window' or 'frame_length', got ${JSON.stringify(norm)}`);
  }
  return {
    nFft, winLength, hopLength, window, power,
    pad: intOption(who, 'pad', opts.pad, 0, 0),
    normalized: norm === true ? 'window' : norm === undefined ? false : norm,
    center: boolOption(who, 'center', opts.center, true),
    padMode: choiceOption(who, 'padMode', opts.padMode, ['reflect', 'constant', 'replicate', 'circular'] as const, 'reflect'),
    onesided: boolOption(who, 'onesided', opts.onesided, true),
  };
}

/** The periodic window of `length` values (of a window of length+1 points, the last dropped), in double. */
function windowValues(name: WindowName, length: number): Float64Array {
  const a = name === 'hann' ? 0.5 : 0.54;
  const w = new Float64Array(length);
  for (let i = 0; i < length; i++) w[i] = a - (1 - a) * Math.cos((2 * Math.PI * i) / length);
  return w;
}

/** The window as a `[winLength]` tensor of x's type. */
function windowTensor(cfg: StftConfig, dtype: 'float32' | 'float64'): Tensor {
  if (cfg.window instanceof Tensor) return cast(cfg.window, dtype);
  return tensor(windowValues(cfg.window, cfg.winLength), { dtype });
}

/** Where frame t's sample k comes from in a signal of `length` samples, padded `half` each side by `mode`. */
function frameIndices(length: number, frames: number, cfg: StftConfig, half: number): Int32Array {
  const { nFft, hopLength, padMode } = cfg;
  const idx = new Int32Array(frames * nFft);
  for (let t = 0; t < frames; t++) {
    for (let k = 0; k < nFft; k++) {
      let i = t * hopLength + k - half;
      if (i < 0 || i >= length) {
        if (padMode === 'reflect') i = i < 0 ? -i : 2 * (length - 1) - i;
        else if (padMode === 'replicate') i = i < 0 ? 0 : length - 1;
        else i = ((i % length) + length) % length; // circular ('constant' was padded before)
      }
      idx[t * nFft + k] = i;
    }
  }
  return idx;
}

/** How frames are cut: the signal after explicit zero padding, where each frame's samples come from, the window. */
interface Framing {
  /** `[batch, length]`: x with `pad` zeros (and `center`'s when padMode is 'constant') around it. */
  signal: Tensor;
  /** `[frames, nFft]` positions in signal (reflect/replicate/circular padding folded in). */
  positions: Int32Array;
  frames: number;
  /** `[nFft]`: the window centred in the frame, zeros around it (torch.stft's layout). */
  window: Tensor;
}

/**
 * Padding (the `pad` zeros, then `center`'s) and framing of a signal `[batch, samples]`, as one
 * gather of precomputed positions.
 */
function framing(who: string, x: Tensor, cfg: StftConfig): Framing {
  const { nFft, winLength, hopLength } = cfg;
  let signal = x;
  if (cfg.pad > 0) signal = padOp(signal, [[0, 0], [cfg.pad, cfg.pad]]);
  let half = cfg.center ? Math.floor(nFft / 2) : 0;
  let length = signal.shape[1]!;
  if (half > 0 && cfg.padMode === 'constant') {
    signal = padOp(signal, [[0, 0], [half, half]]);
    length += 2 * half;
    half = 0;
  }
  if (half > 0 && cfg.padMode === 'reflect' && half >= length) {
    throw new ValueError(`${who}: reflect padding of ${half} samples (nFft/2) needs a signal longer than that, got ${length} samples; use padMode 'constant' or a smaller nFft`);
  }
  if (half > length && cfg.padMode === 'circular') {
    throw new ValueError(`${who}: circular padding of ${half} samples (nFft/2) needs at least that many samples, got ${length}; use padMode 'constant' or a smaller nFft`);
  }
  const padded = length + 2 * half;
  if (padded < nFft) {
    throw new ValueError(`${who}: the signal has ${padded} samples after padding, fewer than nFft (${nFft}); one frame needs nFft samples`);
  }
  const frames = 1 + Math.floor((padded - nFft) / hopLength);
  const positions = frameIndices(length, frames, cfg, half);
  const left = Math.floor((nFft - winLength) / 2);
  const window = padOp(windowTensor(cfg, x.dtype as 'float32' | 'float64'), [[left, nFft - winLength - left]]);
  return { signal, positions, frames, window };
}

/** The factor `normalized` asks for: 1, 1/√nFft or 1/√(Σ window²). */
function normalization(cfg: StftConfig): number {
  if (cfg.normalized === 'frame_length') return 1 / Math.sqrt(cfg.nFft);
  if (cfg.normalized !== 'window') return 1;
  const w = cfg.window instanceof Tensor ? Array.from(cast(cfg.window, 'float64').data() as Float64Array) : Array.from(windowValues(cfg.window, cfg.winLength));
  return 1 / Math.sqrt(w.reduce((s, v) => s + v * v, 0));
}

/**
 * The complex STFT `[batch, frames, bins, 2]` of a `[batch, samples]` signal, normalised as
 * asked: the windowed frames are a gather (whose gradient adds each frame's share back to the
 * samples it read) times the window, then `rfft` (or `fft` of all bins).
 */
function stft(who: string, x: Tensor, cfg: StftConfig): Tensor {
  const f = framing(who, x, cfg);
  const frames = mul(gather(f.signal, new Tensor(f.positions, [f.frames, cfg.nFft]), 1), f.window);
  const spec = cfg.onesided ? rfft(frames) : fft(stack([frames, zerosLike(frames)], -1));
  const scale = normalization(cfg);
  return scale === 1 ? spec : mul(spec, scale);
}

/** `|z|^power` of complex `[..., 2]` values; |z| has gradient 0 at z = 0 (as torch's abs), not NaN. */
function magnitude(spec: Tensor, power: number): Tensor {
  const squares = sum(mul(spec, spec), -1);
  if (power === 2) return squares;
  const nonzero = gt(squares, 0);
  const mag = where(nonzero, sqrt(where(nonzero, squares, 1)), 0);
  return power === 1 ? mag : pow(mag, power);
}

/** Checks the waveform and flattens its batch dims: `[..., samples]` → `[batch, samples]`. */
export function asBatch(who: string, x: Tensor): { batch: Tensor; lead: number[] } {
  if (!(x instanceof Tensor)) throw new ValueError(`${who}: x must be a Tensor of samples [..., time]`);
  if (!isFloat(x.dtype)) throw new ValueError(`${who}: x must be a float32 or float64 waveform, got ${x.dtype}; cast it first`);
  if (x.ndim < 1) throw new ShapeError(`${who}: x must have a time axis (last), got a scalar`);
  const lead = x.shape.slice(0, -1);
  const samples = x.shape[x.ndim - 1]!;
  if (samples === 0) throw new ValueError(`${who}: x has no samples (shape ${fmt(x.shape)}); a spectrogram needs at least nFft samples`);
  return { batch: reshape(x, [-1, samples]), lead };
}

/**
 * The spectrogram frames-first, `[batch, frames, bins]` (power applied), for the features that
 * multiply along the bins next (mel, then the DCT) before the one transpose at the end; with
 * `projection [bins, cols]` (a mel filterbank) the powers times it, `[batch, frames, cols]`.
 */
export function powerFrames(who: string, batch: Tensor, cfg: StftConfig, projection?: Tensor): Tensor {
  if (cfg.power === null) throw new ValueError(`${who}: power must be a number here (2: power, 1: magnitude), got null`);
  const windowGrad = cfg.window instanceof Tensor && cfg.window.requiresGrad;
  if (cfg.onesided && !(isGradEnabled() && (batch.requiresGrad || windowGrad || projection?.requiresGrad))) {
    // nothing to differentiate: framing, window, FFT, power (and projection) in one kernel, no intermediates
    const f = framing(who, batch, cfg);
    const params = { idx: f.positions, frames: f.frames, n: cfg.nFft, power: cfg.power, scale: normalization(cfg) };
    return apply('stftPower', projection ? [f.signal, f.window, projection] : [f.signal, f.window], params);
  }
  const power = magnitude(stft(who, batch, cfg), cfg.power);
  return projection ? matmul(power, projection) : power;
}

/**
 * The spectrogram of `x [..., time]` (any batch dims in front), torchaudio's
 * `transforms.Spectrogram`: `[..., ⌊nFft/2⌋ + 1, frames]` of `|STFT|^power`, or with
 * `power: null` the complex STFT `[..., bins, frames, 2]` as `(re, im)` pairs. Frames:
 * `1 + ⌊(time + 2·pad + (center ? 2·⌊nFft/2⌋ : 0) − nFft) / hopLength⌋`.
 *
 * @example
 * const spec = nb.audio.spectrogram(waveform, { nFft: 512, hopLength: 128 });   // [1, 257, frames]
 */
export function spectrogram(x: Tensor, opts: SpectrogramOptions = {}): Tensor {
  const who = 'spectrogram';
  checkKeys(who, opts, SPECTROGRAM_KEYS);
  const cfg = stftConfig(who, opts);
  const { batch, lead } = asBatch(who, x);
  if (cfg.power === null) {
    const spec = stft(who, batch, cfg);
    return reshape(permute(spec, [0, 2, 1, 3]), [...lead, spec.shape[2]!, spec.shape[1]!, 2]);
  }
  const frames = cfg.onesided ? powerFrames(who, batch, cfg) : magnitude(stft(who, batch, cfg), cfg.power);
  return reshape(transposeLast(frames), [...lead, frames.shape[2]!, frames.shape[1]!]);
}
