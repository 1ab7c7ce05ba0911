import type { FftKernels } from '../fft-kernels.js';
import { jsFft } from '../js/fft.js';
import type { FloatArray } from '../typed-array.js';

/** The addon's FFT functions (native/fft.c): float32 rows, lengths whose prime factors are small. */
export interface NativeFftAddon {
  /** Whether the C kernels take length n (no prime factor above their largest radix). */
  fftSupported(n: number): boolean;
  fft(x: Float32Array, offset: number, batch: number, n: number, inverse: boolean, scale: number, out: Float32Array): void;
  rfft(x: Float32Array, offset: number, batch: number, n: number, out: Float32Array): void;
  stftPower(x: Float32Array, offset: number, batch: number, length: number, frames: number, n: number,
    idx: Int32Array, window: Float32Array, power: number, scale: number, proj: Float32Array | null, cols: number, out: Float32Array): void;
  decibels(x: Float32Array, offset: number, n: number, scale: number, amin: number, sub: number, out: Float32Array): void;
}

/**
 * The FFT kernels in C for float32 (many rows at once in SIMD lanes, float sums); float64 stays on
 * the JS kernels, which compute in double, and so do lengths with a large prime factor (Bluestein).
 * Small calls go to C too (no size threshold): a row's result then depends only on its length and
 * type, never on how many rows share the call (a batch equals its rows one by one, bit for bit).
 */
export function nativeFft(addon: NativeFftAddon): FftKernels {
  const supported = new Map<number, boolean>();
  const takes = (x: FloatArray, out: FloatArray, n: number): boolean => {
    if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return false;
    let s = supported.get(n);
    if (s === undefined) {
      s = addon.fftSupported(n);
      supported.set(n, s);
    }
    return s;
  };
  return {
    fft: (x, offset, batch, n, inverse, scale, out) => {
      if (!takes(x, out, n)) return jsFft.fft(x, offset, batch, n, inverse, scale, out);
      addon.fft(x as Float32Array, offset, batch, n, inverse, scale, out as Float32Array);
    },
    rfft: (x, offset, batch, n, out) => {
      if (!takes(x, out, n)) return jsFft.rfft(x, offset, batch, n, out);
      addon.rfft(x as Float32Array, offset, batch, n, out as Float32Array);
    },
    stftPower: (x, offset, batch, length, frames, n, idx, window, power, scale, proj, cols, out) => {
      if (!takes(x, out, n) || !(window instanceof Float32Array) || !(proj === null || proj instanceof Float32Array)) {
        return jsFft.stftPower(x, offset, batch, length, frames, n, idx, window, power, scale, proj, cols, out);
      }
      addon.stftPower(x as Float32Array, offset, batch, length, frames, n, idx, window, power, scale, proj, cols, out as Float32Array);
    },
    decibels: (x, offset, n, scale, amin, sub, out) => {
      if (!(x instanceof Float32Array) || !(out instanceof Float32Array)) return jsFft.decibels(x, offset, n, scale, amin, sub, out);
      addon.decibels(x, offset, n, scale, amin, sub, out);
    },
  };
}
