import type { AdamHyper, FloatArray, SgdHyper } from '../fused-kernels.js';

const same = (v: number): number => v;

/**
 * See `FusedKernels.adamUpdate`. A float32 parameter is updated in float arithmetic (each
 * operation rounded to float32, as the C kernel's float loop does: native/optim.inc), a float64
 * one in double; the order of operations is the C kernel's, so both agree bit for bit.
 */
export function adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vHat: FloatArray | null, h: AdamHyper): void {
  const r = p instanceof Float32Array ? Math.fround : same;
  const b1 = r(h.beta1);
  const b2 = r(h.beta2);
  const c1 = r(1 - b1);
  const c2 = r(1 - b2);
  const lr = r(h.lrT);
  const eps = r(h.epsilon);
  const k = r(h.decay);
  const n = p.length;
  if (k !== 0) {
    for (let i = 0; i < n; i++) p[i] = p[i]! - r(p[i]! * k);
  }
  const step = (i: number, vi: number): void => {
    p[i] = p[i]! - r(r(lr * m[i]!) / r(r(Math.sqrt(vi)) + eps));
  };
  for (let i = 0; i < n; i++) {
    const gi = g[i]!;
    m[i] = r(b1 * m[i]!) + r(c1 * gi);
    v[i] = r(b2 * v[i]!) + r(r(c2 * gi) * gi);
    if (vHat) {
      if (v[i]! > vHat[i]!) vHat[i] = v[i]!;
      step(i, vHat[i]!);
    } else {
      step(i, v[i]!);
    }
  }
}

/** See `FusedKernels.sgdUpdate`: double arithmetic, each stored value rounded once (as the C kernel). */
export function sgdUpdate(p: FloatArray, g: FloatArray, velocity: FloatArray | null, h: SgdHyper): void {
  const { lr, momentum: mu, nesterov, weightDecay: wd } = h;
  const n = p.length;
  if (!velocity) {
    for (let i = 0; i < n; i++) p[i] = p[i]! - lr * (g[i]! + wd * p[i]!);
    return;
  }
  for (let i = 0; i < n; i++) {
    const gi = g[i]! + wd * p[i]!;
    velocity[i] = mu * velocity[i]! - lr * gi;
    p[i] = p[i]! + (nesterov ? mu * velocity[i]! - lr * gi : velocity[i]!);
  }
}
