import type { FftKernels } from '../fft-kernels.js';
import type { FloatArray } from '../typed-array.js';
import { fftPlan } from './fft-plan.js';

/**
 * Complex DFTs of the rows of a contiguous `[batch, n, 2]` block (see `FftKernels.fft`). The
 * inverse is the forward transform of the conjugate, conjugated: `IDFT(x) = conj(DFT(conj x))`.
 */
export function fft(x: FloatArray, offset: number, batch: number, n: number, inverse: boolean, scale: number, out: FloatArray): void {
  if (n === 0 || batch === 0) return;
  const plan = fftPlan(n);
  const srcRe = new Float64Array(n);
  const srcIm = new Float64Array(n);
  const dstRe = new Float64Array(n);
  const dstIm = new Float64Array(n);
  const sign = inverse ? -1 : 1;
  for (let b = 0; b < batch; b++) {
    const row = 2 * n * b;
    for (let j = 0; j < n; j++) {
      srcRe[j] = x[offset + row + 2 * j]!;
      srcIm[j] = sign * x[offset + row + 2 * j + 1]!;
    }
    plan.forward(srcRe, srcIm, dstRe, dstIm);
    for (let k = 0; k < n; k++) {
      out[row + 2 * k] = scale * dstRe[k]!;
      out[row + 2 * k + 1] = sign * scale * dstIm[k]!;
    }
  }
}

/** `e^{−2πik/n}` for k ≤ n/2, the twiddles that finish an even-length real transform. */
const halfTwiddles = new Map<number, { re: Float64Array; im: Float64Array }>();

function twiddlesOf(n: number): { re: Float64Array; im: Float64Array } {
  let t = halfTwiddles.get(n);
  if (!t) {
    if (halfTwiddles.size >= 32) halfTwiddles.clear();
    const h = n / 2;
    t = { re: new Float64Array(h + 1), im: new Float64Array(h + 1) };
    for (let k = 0; k <= h; k++) {
      t.re[k] = Math.cos((2 * Math.PI * k) / n);
      t.im[k] = -Math.sin((2 * Math.PI * k) / n);
    }
    halfTwiddles.set(n, t);
  }
  return t;
}

/**
 * Real-input DFTs (see `FftKernels.rfft`). An even length packs the row as n/2 complex numbers
 * `z[j] = x[2j] + i·x[2j+1]` and runs one half-length transform Z: the spectra of the even and
 * odd samples are `E[k] = (Z[k] + conj Z[h−k])/2` and `O[k] = (Z[k] − conj Z[h−k])/2i`, and
 * `X[k] = E[k] + e^{−2πik/n}·O[k]`. An odd length runs the complex transform with zero imaginary parts.
 */
export function rfft(x: FloatArray, offset: number, batch: number, n: number, out: FloatArray): void {
  if (n === 0 || batch === 0) return;
  const bins = Math.floor(n / 2) + 1;
  if (n % 2 === 1) {
    const plan = fftPlan(n);
    const srcRe = new Float64Array(n);
    const srcIm = new Float64Array(n);
    const dstRe = new Float64Array(n);
    const dstIm = new Float64Array(n);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < n; j++) srcRe[j] = x[offset + n * b + j]!;
      plan.forward(srcRe, srcIm, dstRe, dstIm);
      const row = 2 * bins * b;
      for (let k = 0; k < bins; k++) {
        out[row + 2 * k] = dstRe[k]!;
        out[row + 2 * k + 1] = dstIm[k]!;
      }
    }
    return;
  }
  const h = n / 2;
  const plan = fftPlan(h);
  const tw = twiddlesOf(n);
  const zRe = new Float64Array(h);
  const zIm = new Float64Array(h);
  const fRe = new Float64Array(h);
  const fIm = new Float64Array(h);
  for (let b = 0; b < batch; b++) {
    const src = offset + n * b;
    for (let j = 0; j < h; j++) {
      zRe[j] = x[src + 2 * j]!;
      zIm[j] = x[src + 2 * j + 1]!;
    }
    plan.forward(zRe, zIm, fRe, fIm);
    const row = 2 * bins * b;
    for (let k = 0; k <= h; k++) {
      const a = k === h ? 0 : k;
      const c = k === 0 ? 0 : h - k;
      const er = (fRe[a]! + fRe[c]!) / 2;
      const ei = (fIm[a]! - fIm[c]!) / 2;
      // O = (Z[k] − conj Z[h−k]) / 2i = (dIm, −dRe) / 2
      const or = (fIm[a]! + fIm[c]!) / 2;
      const oi = -(fRe[a]! - fRe[c]!) / 2;
      out[row + 2 * k] = er + tw.re[k]! * or - tw.im[k]! * oi;
      out[row + 2 * k + 1] = ei + tw.re[k]! * oi + tw.im[k]! * or;
    }
  }
}

/** The power spectrogram (see `FftKernels.stftPower`): frames gathered a block at a time, then `rfft`. */
export function stftPower(x: FloatArray, offset: number, batch: number, length: number, frames: number, n: number,
  idx: Int32Array, window: FloatArray, power: number, scale: number, proj: FloatArray | null, cols: number, out: FloatArray): void {
  if (n === 0 || batch === 0 || frames === 0) return;
  const bins = Math.floor(n / 2) + 1;
  const framed = new Float64Array(frames * n);
  const spec = new Float64Array(frames * bins * 2);
  const p = new Float64Array(bins);
  for (let b = 0; b < batch; b++) {
    const src = offset + b * length;
    for (let i = 0; i < frames * n; i++) framed[i] = x[src + idx[i]!]! * window[i % n]!;
    rfft(framed, 0, frames, n, spec);
    for (let t = 0; t < frames; t++) {
      const r = b * frames + t;
      for (let k = 0; k < bins; k++) {
        const re = scale * spec[2 * (t * bins + k)]!;
        const im = scale * spec[2 * (t * bins + k) + 1]!;
        const sq = re * re + im * im;
        p[k] = power === 2 ? sq : power === 1 ? Math.sqrt(sq) : Math.sqrt(sq) ** power;
      }
      if (proj === null) {
        for (let k = 0; k < bins; k++) out[r * bins + k] = p[k]!;
        continue;
      }
      for (let m = 0; m < cols; m++) {
        let s = 0;
        for (let k = 0; k < bins; k++) s += p[k]! * proj[k * cols + m]!;
        out[r * cols + m] = s;
      }
    }
  }
}

/** Decibels (see `FftKernels.decibels`): `scale·ln(max(x, amin)) − sub` in double, rounded once. */
export function decibels(x: FloatArray, offset: number, n: number, scale: number, amin: number, sub: number, out: FloatArray): void {
  for (let i = 0; i < n; i++) {
    const v = x[offset + i]!;
    out[i] = scale * Math.log(v < amin ? amin : v) - sub;
  }
}

/** The FFT entries of the JS backend. */
export const jsFft: FftKernels = { fft, rfft, stftPower, decibels };
