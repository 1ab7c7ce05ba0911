/**
 * The losses as `nb.losses`: the functions (`sparseCategoricalCrossentropy(y, p, { fromLogits })`),
 * the Keras-style loss objects (`new SparseCategoricalCrossentropy({ fromLogits: true })`) and
 * losses by name.
 *
 * @example
 * const loss = new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * nb.losses.sparseCategoricalCrossentropy(labels, logits, { fromLogits: true }); // the same value
 */
export * from './losses.js';
export * from './loss-objects.js';
export { ctc, CTC, type CtcOptions, type CtcLossOptions, type CtcLengths } from './losses-ctc.js';
export { getLoss, lossFromConfig, registerLoss, type LossFn, type LossSpec, type SavedLoss } from './loss-registry.js';
