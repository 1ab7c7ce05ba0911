/**
 * Discrete Fourier transforms of any length (mixed radix, Bluestein for large primes; O(n log n)).
 *
 * Complex values are real tensors with a trailing axis of 2 holding `(re, im)`, PyTorch's
 * `view_as_real` layout: a complex `[..., n]` signal is a float `[..., n, 2]` tensor. So complex
 * spectra flow through every real op (slicing, products, sums of squares for the power) and
 * their gradients are the ordinary real ones: the gradient of a loss with respect to `(re, im)`.
 */
import { assertFloat } from '../tensor/dtype.js';
import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { apply } from './dispatch.js';
import { pad, slice } from './movement.js';
import { assertTensor } from './scalar.js';

/** Checks a complex `[..., n, 2]` input with n ≥ 1. */
function checkComplex(op: string, x: Tensor): void {
  assertTensor(op, x);
  assertFloat(op, x.dtype);
  if (x.ndim < 2 || x.shape[x.ndim - 1] !== 2) {
    throw new ShapeError(`${op}: x must be complex as a trailing axis of 2 (re, im), shape [..., n, 2], got ${fmt(x.shape)}; a real signal goes to rfft, or stack it with zeros on a new last axis`);
  }
  if (x.shape[x.ndim - 2] === 0) throw new ValueError(`${op}: the transform axis (second to last) is empty in ${fmt(x.shape)}; it needs n ≥ 1 points`);
}

/** The `fft` primitive with its sign and scale, for the ops and the VJPs. */
export function dft(x: Tensor, inverse: boolean, scale: number): Tensor {
  return apply('fft', [x], { inverse, scale });
}

/**
 * The complex DFT along the second-to-last axis: `X[k] = Σⱼ x[j]·e^{−2πi·jk/n}` for x
 * `[..., n, 2]` (complex as `(re, im)` pairs, see the module note); any n ≥ 1. The result has
 * x's shape and type. Differentiable (the gradient is the transform of the other sign).
 *
 * @example
 * nb.fft(nb.tensor([[1, 0], [0, 0], [0, 0], [0, 0]]))   // an impulse: every bin (1, 0)
 */
export function fft(x: Tensor): Tensor {
  checkComplex('fft', x);
  return dft(x, false, 1);
}

/**
 * The inverse complex DFT, `x[j] = (1/n)·Σₖ X[k]·e^{+2πi·jk/n}`, of `[..., n, 2]`: `ifft(fft(x))`
 * is x (up to rounding).
 *
 * @example
 * nb.ifft(nb.fft(x))   // x again
 */
export function ifft(x: Tensor): Tensor {
  checkComplex('ifft', x);
  return dft(x, true, 1 / x.shape[x.ndim - 2]!);
}

/**
 * The DFT of a real signal along the last axis: x `[..., n]` → its first `⌊n/2⌋ + 1` bins
 * `[..., ⌊n/2⌋ + 1, 2]` as `(re, im)` pairs (the others are their complex conjugates), as
 * `torch.fft.rfft`. Any n ≥ 1; an even n costs one complex transform of n/2.
 *
 * @example
 * nb.rfft(nb.tensor([1, 1, 1, 1]))   // [[4, 0], [0, 0], [0, 0]]
 */
export function rfft(x: Tensor): Tensor {
  assertTensor('rfft', x);
  assertFloat('rfft', x.dtype);
  if (x.ndim < 1) throw new ShapeError(`rfft: x must have at least 1 dimension (the signal axis, last), got shape ${fmt(x.shape)}`);
  if (x.shape[x.ndim - 1] === 0) throw new ValueError(`rfft: the signal axis (last) is empty in ${fmt(x.shape)}; it needs n ≥ 1 samples`);
  return apply('rfft', [x], {});
}

/** rfft's VJP: the bins' gradient `[..., ⌊n/2⌋ + 1, 2]` padded with zero bins to n, transformed with the + sign, real part. */
export function rfftAdjoint(g: Tensor, n: number): Tensor {
  const bins = g.shape[g.ndim - 2]!;
  const pads: [number, number][] = g.shape.map((): [number, number] => [0, 0]);
  pads[g.ndim - 2] = [0, n - bins];
  const full = dft(pad(g, pads), true, 1);
  return slice(full, [...g.shape.slice(0, -1).map(() => null), 0]);
}
