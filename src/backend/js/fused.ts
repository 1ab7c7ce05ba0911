import type { FusedKernels } from '../fused-kernels.js';
import { adamUpdate, sgdUpdate } from './fused-optim.js';
import {
  biasActivation, biasActivationBackward, crossEntropy, crossEntropyBackward, layerNorm, layerNormBackward,
  softmax, softmaxBackward,
} from './fused-rows.js';

/** The reference fused kernels (plain loops, double math, one rounding per stored value). */
export const jsFused: FusedKernels = {
  adamUpdate,
  sgdUpdate,
  softmax,
  softmaxBackward,
  crossEntropy,
  crossEntropyBackward,
  biasActivation,
  biasActivationBackward,
  layerNorm,
  layerNormBackward,
};
