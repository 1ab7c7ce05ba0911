export {
  computeEpsilon, privacySpent, noiseMultiplierFor, epsilonFromRdp, rdpSampledGaussian, DEFAULT_ORDERS,
  type EpsilonOptions, type NoiseForOptions, type PrivacySpent,
} from './accountant.js';
export { GradSampler, checkPrivateLayers } from './per-example.js';
export {
  makePrivate, PrivateEngine, PrivateOptimizer, resolvePrivacy,
  type PrivacyOptions, type ResolvedPrivacy, type MakePrivateOptions, type PrivateSetup, type PrivateStepInfo,
} from './dp-sgd.js';
export { membershipInference, type MembershipOptions, type MembershipResult, type AttackedModel } from './membership.js';
export { SecureRandom, SeededRandom, type RandomSource } from '../tensor/secure-random.js';
