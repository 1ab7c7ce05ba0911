/**
 * The kernels of the discrete Fourier transform primitives (`fft`, `rfft`) and of the spectral
 * features built on them without gradients (`stftPower`, `decibels`). Complex values are
 * stored interleaved, `(re, im)` pairs: a row of `n` complex numbers is `2n` numbers, which is
 * how the ops see them too (a trailing axis of 2).
 */
import type { FloatArray } from './typed-array.js';

/** The kernels of `Backend` for the Fourier transforms. */
export interface FftKernels {
  /**
   * `batch` complex DFTs of length `n`: row `b` of the contiguous `[batch, n, 2]` block at
   * `offset` becomes `out[b, k] = scale·Σⱼ x[b, j]·e^{∓2πi·jk/n}` (− forward, + when `inverse`).
   * `out` is contiguous `[batch, n, 2]` of x's type. Any `n ≥ 1`, in O(n log n).
   */
  fft(x: FloatArray, offset: number, batch: number, n: number, inverse: boolean, scale: number, out: FloatArray): void;
  /**
   * `batch` forward DFTs of real rows: the contiguous `[batch, n]` block at `offset` gives the
   * first `⌊n/2⌋ + 1` bins of each row's spectrum (the others are their conjugates), written to
   * `out`, contiguous `[batch, ⌊n/2⌋ + 1, 2]` of x's type.
   */
  rfft(x: FloatArray, offset: number, batch: number, n: number, out: FloatArray): void;
  /**
   * The power spectrogram in one pass, for features computed without gradients: frame `t` of
   * signal `b` of the contiguous `[batch, length]` block at `offset` is `x[b, idx[t·n + s]]·window[s]`
   * for `s < n` (`idx` holds the padded framing, every entry in `[0, length)`), and
   * `P[b, t, k] = |scale·X[k]|^power` for its real DFT `X`, `k ≤ ⌊n/2⌋`; `out` is P, contiguous
   * `[batch, frames, ⌊n/2⌋ + 1]` of x's type, or with `proj` (`[⌊n/2⌋ + 1, cols]`, e.g. a mel
   * filterbank) P·proj, `[batch, frames, cols]`. Equals `rfft` of the framed, windowed rows, the
   * power and the product, without the intermediates.
   */
  stftPower(x: FloatArray, offset: number, batch: number, length: number, frames: number, n: number,
    idx: Int32Array, window: FloatArray, power: number, scale: number, proj: FloatArray | null, cols: number, out: FloatArray): void;
  /**
   * Decibels in one pass, for features computed without gradients: `out[i] = scale·ln(max(x[i], amin)) − sub`
   * over the contiguous `n` values at `offset`, computed in double and rounded once (NaN stays
   * NaN). `out` is contiguous, of x's type.
   */
  decibels(x: FloatArray, offset: number, n: number, scale: number, amin: number, sub: number, out: FloatArray): void;
}
