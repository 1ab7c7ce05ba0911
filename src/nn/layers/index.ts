/** The built-in layers, one family per file. */
export { Dense, type DenseOptions } from './dense.js';
export { Activation } from './activation.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten } from './flatten.js';
export { Reshape } from './reshape.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { LayerNormalization, type LayerNormalizationOptions } from './layer-normalization.js';
export { BatchNormalization, type BatchNormalizationOptions } from './batch-normalization.js';
