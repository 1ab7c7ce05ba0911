import type { CrossEntropyTarget, FloatArray, FusedKernels } from '../fused-kernels.js';
import { FUSED_ACTIVATION_CODES } from '../fused-kernels.js';
import { jsFused } from '../js/fused.js';

/** The addon's fused functions (native/addon_fused.c): flat arguments, arrays used in place. */
export interface NativeFusedAddon {
  adamUpdate(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, vHat: FloatArray | null, lrT: number, beta1: number, beta2: number, epsilon: number, decay: number): void;
  sgdUpdate(p: FloatArray, g: FloatArray, velocity: FloatArray | null, lr: number, momentum: number, nesterov: boolean, weightDecay: number): void;
  softmax(x: FloatArray, rows: number, cols: number, log: boolean, out: FloatArray): void;
  softmaxBackward(y: FloatArray, g: FloatArray, rows: number, cols: number, log: boolean, dx: FloatArray): void;
  crossEntropy(x: FloatArray, rows: number, cols: number, labels: Int32Array | null, targets: FloatArray | null, smoothing: number, fromLogits: boolean, loss: FloatArray): void;
  crossEntropyBackward(
    x: FloatArray, rows: number, cols: number, labels: Int32Array | null, targets: FloatArray | null, smoothing: number, fromLogits: boolean,
    g: FloatArray, dx: FloatArray,
  ): void;
  biasActivation(act: number, y: FloatArray, bias: FloatArray | null, rows: number, cols: number, out: FloatArray): void;
  biasActivationBackward(act: number, y: FloatArray, bias: FloatArray | null, out: FloatArray, g: FloatArray, rows: number, cols: number, dz: FloatArray, dbias: FloatArray | null): void;
  layerNorm(x: FloatArray, gamma: FloatArray | null, beta: FloatArray | null, rows: number, cols: number, eps: number, out: FloatArray): void;
  layerNormBackward(
    x: FloatArray, gamma: FloatArray | null, g: FloatArray, rows: number, cols: number, eps: number,
    dx: FloatArray | null, dgamma: FloatArray | null, dbeta: FloatArray | null,
  ): void;
}

const NAMES: readonly (keyof NativeFusedAddon)[] = [
  'adamUpdate', 'sgdUpdate', 'softmax', 'softmaxBackward', 'crossEntropy', 'crossEntropyBackward',
  'biasActivation', 'biasActivationBackward', 'layerNorm', 'layerNormBackward',
];

/** Whether the loaded addon has the fused functions (an older build may not). */
export function hasFused(addon: object): addon is NativeFusedAddon {
  const a = addon as Partial<Record<keyof NativeFusedAddon, unknown>>;
  return NAMES.every((n) => typeof a[n] === 'function');
}

/** The fused Backend entries the addon provides. */
export const FUSED_KERNELS: readonly (keyof FusedKernels)[] = NAMES;

/**
 * The fused kernels on the addon; calls over fewer than `minElements` elements stay in the JS
 * reference (crossing into C costs about a microsecond). Both compute in double and round once,
 * so the choice changes results by rounding at most.
 */
export function nativeFused(addon: NativeFusedAddon, minElements: number): FusedKernels {
  const small = (n: number) => n < minElements;
  // one call per parameter: worth crossing into C for all but tiny ones (a bias of 64 already is)
  const smallParam = (n: number) => n < Math.min(minElements, 64);
  const ce = (t: CrossEntropyTarget) => [t.labels, t.targets, t.smoothing, t.fromLogits] as const;
  return {
    adamUpdate(p, g, m, v, vHat, h) {
      if (smallParam(p.length)) return jsFused.adamUpdate(p, g, m, v, vHat, h);
      addon.adamUpdate(p, g, m, v, vHat, h.lrT, h.beta1, h.beta2, h.epsilon, h.decay);
    },
    sgdUpdate(p, g, velocity, h) {
      if (smallParam(p.length)) return jsFused.sgdUpdate(p, g, velocity, h);
      addon.sgdUpdate(p, g, velocity, h.lr, h.momentum, h.nesterov, h.weightDecay);
    },
    softmax(x, rows, cols, log, out) {
      if (small(rows * cols)) return jsFused.softmax(x, rows, cols, log, out);
      addon.softmax(x, rows, cols, log, out);
    },
    softmaxBackward(y, g, rows, cols, log, dx) {
      if (small(rows * cols)) return jsFused.softmaxBackward(y, g, rows, cols, log, dx);
      addon.softmaxBackward(y, g, rows, cols, log, dx);
    },
    crossEntropy(x, rows, cols, t, loss) {
      if (small(rows * cols)) return jsFused.crossEntropy(x, rows, cols, t, loss);
      addon.crossEntropy(x, rows, cols, ...ce(t), loss);
    },
    crossEntropyBackward(x, rows, cols, t, g, dx) {
      if (small(rows * cols)) return jsFused.crossEntropyBackward(x, rows, cols, t, g, dx);
      addon.crossEntropyBackward(x, rows, cols, ...ce(t), g, dx);
    },
    biasActivation(act, y, bias, rows, cols, out) {
      if (small(rows * cols)) return jsFused.biasActivation(act, y, bias, rows, cols, out);
      addon.biasActivation(FUSED_ACTIVATION_CODES[act], y, bias, rows, cols, out);
    },
    biasActivationBackward(act, y, bias, out, g, rows, cols, dz, dbias) {
      if (small(rows * cols)) return jsFused.biasActivationBackward(act, y, bias, out, g, rows, cols, dz, dbias);
      addon.biasActivationBackward(FUSED_ACTIVATION_CODES[act], y, bias, out, g, rows, cols, dz, dbias);
    },
    layerNorm(x, gamma, beta, rows, cols, eps, out) {
      if (small(rows * cols)) return jsFused.layerNorm(x, gamma, beta, rows, cols, eps, out);
      addon.layerNorm(x, gamma, beta, rows, cols, eps, out);
    },
    layerNormBackward(x, gamma, g, rows, cols, eps, dx, dgamma, dbeta) {
      if (small(rows * cols)) return jsFused.layerNormBackward(x, gamma, g, rows, cols, eps, dx, dgamma, dbeta);
      addon.layerNormBackward(x, gamma, g, rows, cols, eps, dx, dgamma, dbeta);
    },
  };
}
