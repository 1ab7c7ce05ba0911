import type { CrossEntropyTarget, FloatArray, FusedKernels } from '../fused-kernels.js';
import { FUSED_ACTIVATION_CODES } from '../fused-kernels.js';
import { jsFused } from '../js/fused.js';
import { route } from './route.js';

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

/** The fused Backend entries, all of which the addon provides. */
export const FUSED_KERNELS: readonly (keyof FusedKernels)[] = [
  'adamUpdate', 'sgdUpdate', 'softmax', 'softmaxBackward', 'crossEntropy', 'crossEntropyBackward',
  'biasActivation', 'biasActivationBackward', 'layerNorm', 'layerNormBackward',
];

/**
 * The fused kernels on the addon; calls over fewer than `minElements` elements stay in the JS
 * reference. Both compute in double and round once, so the choice changes results by rounding
 * at most.
 */
export function nativeFused(addon: NativeFusedAddon, minElements: number): FusedKernels {
  // one call per parameter: worth crossing into C for all but tiny ones (a bias of 64 already is)
  const minParam = Math.min(minElements, 64);
  const params = (p: FloatArray) => p.length;
  const block = (_: FloatArray, rows: number, cols: number) => rows * cols;
  const ce = (t: CrossEntropyTarget) => [t.labels, t.targets, t.smoothing, t.fromLogits] as const;
  const act = FUSED_ACTIVATION_CODES;
  return {
    adamUpdate: route(jsFused.adamUpdate, minParam, params, (p, g, m, v, vHat, h) => addon.adamUpdate(p, g, m, v, vHat, h.lrT, h.beta1, h.beta2, h.epsilon, h.decay)),
    sgdUpdate: route(jsFused.sgdUpdate, minParam, params, (p, g, velocity, h) => addon.sgdUpdate(p, g, velocity, h.lr, h.momentum, h.nesterov, h.weightDecay)),
    softmax: route(jsFused.softmax, minElements, block, addon.softmax),
    softmaxBackward: route(jsFused.softmaxBackward, minElements, (_y, _g, rows, cols) => rows * cols, addon.softmaxBackward),
    crossEntropy: route(jsFused.crossEntropy, minElements, block, (x, rows, cols, t, loss) => addon.crossEntropy(x, rows, cols, ...ce(t), loss)),
    crossEntropyBackward: route(jsFused.crossEntropyBackward, minElements, block, (x, rows, cols, t, g, dx) => addon.crossEntropyBackward(x, rows, cols, ...ce(t), g, dx)),
    biasActivation: route(jsFused.biasActivation, minElements, (_a, _y, _b, rows, cols) => rows * cols, (a, y, bias, rows, cols, out) => addon.biasActivation(act[a], y, bias, rows, cols, out)),
    biasActivationBackward: route(
      jsFused.biasActivationBackward, minElements, (_a, _y, _b, _o, _g, rows, cols) => rows * cols,
      (a, y, bias, out, g, rows, cols, dz, dbias) => addon.biasActivationBackward(act[a], y, bias, out, g, rows, cols, dz, dbias),
    ),
    layerNorm: route(jsFused.layerNorm, minElements, (_x, _g, _b, rows, cols) => rows * cols, addon.layerNorm),
    layerNormBackward: route(jsFused.layerNormBackward, minElements, (_x, _g, _d, rows, cols) => rows * cols, addon.layerNormBackward),
  };
}
