/**
 * Band-limited resampling with torchaudio's algorithm (torchaudio.functional.resample, 0.13):
 * after dividing both rates by their gcd, output phase `j` of every block of `newFreq` samples is
 * one windowed-sinc FIR filter over the input, and the `newFreq` filters slide over the input
 * together in steps of `origFreq` — one strided convolution. Built from ops (pad, conv1d,
 * reshape, slice), so the result has a gradient with respect to the waveform.
 */
import { conv1d } from '../ops/conv.js';
import { pad, reshape, slice } from '../ops/movement.js';
import { DTypeError, ValueError } from '../tensor/errors.js';
import { isFloat } from '../tensor/dtype.js';
import { Tensor } from '../tensor/tensor.js';

/** The window of the sinc filters: Hann (torchaudio's default) or Kaiser. */
export type ResamplingMethod = 'sinc_interp_hann' | 'sinc_interp_kaiser' | 'sinc_interpolation' | 'kaiser_window';

/** Options of `resample`, torchaudio's in camelCase. */
export interface ResampleOptions {
  /** Zero crossings of the sinc kept on each side (default 6): sharper filter, more work. */
  lowpassFilterWidth?: number;
  /** The cut-off as a fraction of the lower rate's Nyquist frequency (default 0.99). */
  rolloff?: number;
  /**
   * `'sinc_interp_hann'` (default) or `'sinc_interp_kaiser'`; torchaudio 0.13's names
   * `'sinc_interpolation'` and `'kaiser_window'` are the same two.
   */
  resamplingMethod?: ResamplingMethod;
  /** The Kaiser window's shape (default 14.769656459379492, torchaudio's). */
  beta?: number;
}

const KAISER_BETA = 14.769656459379492;
/** The most filter taps built (128 MB of float64): common rate pairs need thousands, 16001 → 16000 needs 2.6e8. */
const MAX_TAPS = 2 ** 24;

/**
 * Resamples `waveform` (`[..., time]`, float) from `origFreq` to `newFreq` samples per second:
 * `ceil(time · newFreq / origFreq)` output samples along the last axis, every leading axis
 * kept. Equal to torchaudio.functional.resample with the same options (the filters are computed
 * in float64 and cast to the waveform's dtype). Rates must be whole numbers (as torchaudio
 * requires: to resample 44100 → 5512.5, pass 8 → 1); equal rates return `waveform` itself.
 * Rate pairs whose reduced ratio needs more than 2²⁴ filter taps (16001 → 16000, or a damaged
 * file's 2³¹ Hz) are refused with a ValueError rather than built.
 *
 * @example
 * const y = nb.audio.resample(waveform, 8000, 16000);              // [1, 2384] → [1, 4768]
 * nb.audio.resample(x, 44100, 16000, { lowpassFilterWidth: 16, rolloff: 0.95 });
 */
export function resample(waveform: Tensor, origFreq: number, newFreq: number, opts: ResampleOptions = {}): Tensor {
  const who = 'resample';
  if (!(waveform instanceof Tensor)) throw new ValueError(`${who}: waveform must be a tensor [..., time], got ${String(waveform)}`);
  if (!isFloat(waveform.dtype)) throw new DTypeError(`${who}: waveform must be a float tensor, got ${waveform.dtype}; cast it with nb.cast(x, 'float32')`);
  if (waveform.ndim === 0) throw new ValueError(`${who}: waveform must have a time axis ([..., time]), got a scalar`);
  for (const [name, v] of [['origFreq', origFreq], ['newFreq', newFreq]] as const) {
    if (!Number.isInteger(v) || v <= 0) {
      throw new ValueError(`${who}: ${name} must be a positive whole number of samples per second, got ${JSON.stringify(v)}; for a fractional ratio pass two whole numbers in that ratio (44100 → 5512.5 is 8 → 1)`);
    }
  }
  if (origFreq === newFreq) return waveform;
  const k = sincKernels(origFreq, newFreq, opts, who);
  const shape = waveform.shape;
  const time = shape[shape.length - 1]!;
  const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const x = pad(reshape(waveform, [rows, time]), [[0, 0], [k.width, k.width + k.orig]]);
  const kernel = new Tensor(waveform.dtype === 'float64' ? k.taps : Float32Array.from(k.taps), [k.taps.length / k.next, 1, k.next]);
  // [rows, blocks, newFreq]: block b's phase j is output sample b·newFreq + j
  const y = conv1d(reshape(x, [rows, time + 2 * k.width + k.orig, 1]), kernel, { strides: k.orig });
  const target = Math.ceil((k.next * time) / k.orig);
  const flat = reshape(y, [rows, y.shape[1]! * k.next]);
  return reshape(slice(flat, [null, [0, target]]), [...shape.slice(0, -1), target]);
}

interface SincKernels {
  /** `[taps, 1, newFreq]` (Keras kernel layout), row-major. */
  taps: Float64Array;
  /** Zeros padded before the input (and `width + orig` after). */
  width: number;
  /** The rates divided by their gcd. */
  orig: number;
  next: number;
}

/** torchaudio's `_get_sinc_resample_kernel`, in float64. */
function sincKernels(origFreq: number, newFreq: number, opts: ResampleOptions, who: string): SincKernels {
  const lpw = opts.lowpassFilterWidth ?? 6;
  const rolloff = opts.rolloff ?? 0.99;
  const method = opts.resamplingMethod ?? 'sinc_interp_hann';
  if (typeof lpw !== 'number' || !Number.isFinite(lpw) || lpw <= 0) throw new ValueError(`${who}: lowpassFilterWidth must be a positive number, got ${JSON.stringify(lpw)}`);
  if (typeof rolloff !== 'number' || !Number.isFinite(rolloff) || rolloff <= 0) throw new ValueError(`${who}: rolloff must be a positive number (a fraction of the Nyquist frequency, default 0.99), got ${JSON.stringify(rolloff)}`);
  const methods: ResamplingMethod[] = ['sinc_interp_hann', 'sinc_interp_kaiser', 'sinc_interpolation', 'kaiser_window'];
  if (!methods.includes(method)) throw new ValueError(`${who}: resamplingMethod must be one of ${methods.map((m) => `'${m}'`).join(', ')}, got ${JSON.stringify(method)}`);
  const kaiser = method === 'sinc_interp_kaiser' || method === 'kaiser_window';
  const beta = opts.beta ?? KAISER_BETA;
  if (typeof beta !== 'number' || !Number.isFinite(beta)) throw new ValueError(`${who}: beta must be a finite number, got ${JSON.stringify(beta)}`);
  const g = gcd(origFreq, newFreq);
  const orig = origFreq / g;
  const next = newFreq / g;
  const base = Math.min(orig, next) * rolloff;
  const width = Math.ceil((lpw * orig) / base);
  const n = 2 * width + orig;
  const scale = base / orig;
  if (n * next > MAX_TAPS) {
    // torchaudio builds any filter asked for; rates from a damaged WAV header (2³¹ Hz, a prime)
    // would take gigabytes or more than a typed array holds, so they are refused by name instead
    throw new ValueError(`${who}: from ${origFreq} to ${newFreq} Hz the rates reduce to ${orig}:${next}, so the filters need ${(n * next).toPrecision(3)} taps (${(n * next * 8 / 1e9).toFixed(1)} GB of float64; at most ${MAX_TAPS} are built); check the sample rate (a damaged file header?), or resample between rates with a larger common divisor (44100 → 16000 reduces to 441:160)`);
  }
  const i0Beta = kaiser ? besselI0(beta) : 1;
  const taps = new Float64Array(n * next);
  for (let j = 0; j < next; j++) {
    for (let i = 0; i < n; i++) {
      let t = (-j / next + (i - width) / orig) * base;
      t = Math.min(lpw, Math.max(-lpw, t));
      const r = t / lpw;
      const window = kaiser ? besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta : Math.cos((t * Math.PI) / lpw / 2) ** 2;
      const a = t * Math.PI;
      taps[i * next + j] = (a === 0 ? 1 : Math.sin(a) / a) * window * scale;
    }
  }
  return { taps, width, orig, next };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** The modified Bessel function of the first kind, order 0 (its power series, to float64 precision). */
function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; term > sum * 1e-17; k++) {
    term *= q / (k * k);
    sum += term;
  }
  return sum;
}
