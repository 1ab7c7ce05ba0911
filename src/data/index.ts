/**
 * Feeding data to training: datasets, batching, and the ready-made datasets.
 *
 * @example
 * const { train } = await nb.datasets.fashionMnist();
 * for (const [xb, yb] of new nb.data.DataLoader([train.x, train.y], { batchSize: 64, shuffle: true })) {}
 */
export { type Dataset, TensorDataset } from './dataset.js';
export { DataLoader, type DataLoaderOptions } from './data-loader.js';
export { sequenceLengths } from './bucketing.js';
export { defaultCollate, type Collated } from './collate.js';
export { randomPermutation } from './permutation.js';
export * as datasets from './datasets/index.js';
export * as text from './text/index.js';
export { CharTokenizer, ByteLevelBPE } from './text/index.js';
