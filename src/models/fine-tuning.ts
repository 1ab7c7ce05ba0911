/**
 * Tools that reshape a model for fine-tuning (`nb.models`): a new head in place of the old one,
 * and freezing everything but a few layers.
 *
 * @example
 * nb.models.replaceHead(model, new nb.layers.Dense(5), { freezeBody: true });
 * nb.models.freezeAllExcept(model, [model.getLayer('head'), model.getLayer('blocks.11')]);
 */
export { replaceHead, Identity, type ReplaceHeadOptions, type ReplaceHeadResult } from './replace-head.js';
export { freezeAllExcept } from '../nn/freeze.js';
