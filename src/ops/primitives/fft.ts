import { backend } from '../../backend/index.js';
import type { FloatArray } from '../../backend/typed-array.js';
import type { Tensor } from '../../tensor/tensor.js';
import { isGradEnabled } from '../../tensor/grad-mode.js';
import { dft, rfftAdjoint } from '../fft.js';
import { contiguousCopy, denseData, uninitialized } from './alloc.js';
import type { PrimTable } from './types.js';

export const fftPrims: PrimTable<'fft' | 'rfft' | 'stftPower' | 'decibels'> = {
  fft: {
    forward: ([x], { inverse, scale }) => {
      const xc = contiguousCopy(x!);
      const n = xc.shape[xc.ndim - 2]!;
      const out = uninitialized(xc.dtype, xc.shape);
      const batch = n === 0 ? 0 : xc.size / (2 * n);
      backend().fft(xc.storage as FloatArray, xc.offset, batch, n, inverse, scale, out.storage as FloatArray);
      return out;
    },
    // y = s·F·x with F symmetric ⇒ x̄ = s·Fᴴ·ȳ = s·conj(F)·ȳ: the transform of the other sign, same scale
    vjp: (g, _, __, { inverse, scale }) => [dft(g, !inverse, scale)],
  },
  rfft: {
    forward: ([x]) => {
      const xc = contiguousCopy(x!);
      const n = xc.shape[xc.ndim - 1]!;
      const bins = Math.floor(n / 2) + 1;
      const out = uninitialized(xc.dtype, [...xc.shape.slice(0, -1), bins, 2]);
      const batch = n === 0 ? 0 : xc.size / n;
      backend().rfft(xc.storage as FloatArray, xc.offset, batch, n, out.storage as FloatArray);
      return out;
    },
    // yₖ = Σⱼ xⱼ·e^{−2πi·jk/n} (k ≤ n/2) ⇒ x̄ⱼ = Re Σₖ ȳₖ·e^{+2πi·jk/n}: an inverse-sign DFT of ȳ padded to n
    vjp: (g, [x]) => [rfftAdjoint(g, x!.shape[x!.ndim - 1]!)],
  },
  stftPower: {
    forward: ([x, w, proj], { idx, frames, n, power, scale }) => {
      if (isGradEnabled() && (x!.requiresGrad || w!.requiresGrad || proj?.requiresGrad)) {
        throw new Error('stftPower has no gradient: compute the spectrogram from its differentiable ops when an input requires one');
      }
      const xc = contiguousCopy(x!);
      const [batch, length] = xc.shape as [number, number];
      const cols = proj ? proj.shape[1]! : 0;
      const out = uninitialized(xc.dtype, [batch, frames, proj ? cols : Math.floor(n / 2) + 1]);
      const p = proj ? denseData(proj) as FloatArray : null;
      backend().stftPower(xc.storage as FloatArray, xc.offset, batch, length, frames, n, idx, denseData(w!) as FloatArray, power, scale, p, cols, out.storage as FloatArray);
      return out;
    },
    vjp: 'none',
  },
  decibels: {
    forward: ([x], { scale, amin, sub }) => {
      if (isGradEnabled() && x!.requiresGrad) {
        throw new Error('decibels has no gradient: compute amplitudeToDb from its differentiable ops when the input requires one');
      }
      const xc = contiguousCopy(x!);
      const out = uninitialized(xc.dtype, xc.shape);
      backend().decibels(xc.storage as FloatArray, xc.offset, xc.size, scale, amin, sub, out.storage as FloatArray);
      return out;
    },
    vjp: 'none',
  },
};
