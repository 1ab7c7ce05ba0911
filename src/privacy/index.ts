export {
  computeEpsilon, privacySpent, noiseMultiplierFor, epsilonFromRdp, rdpSampledGaussian, DEFAULT_ORDERS,
  type EpsilonOptions, type NoiseForOptions, type PrivacySpent,
} from './accountant.js';
