/** The built-in layers, one family per file. */
export { Dense, type DenseOptions } from './dense.js';
export { Activation } from './activation.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Flatten } from './flatten.js';
export { Reshape } from './reshape.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { LayerNormalization, type LayerNormalizationOptions } from './layer-normalization.js';
export { BatchNormalization, type BatchNormalizationOptions } from './batch-normalization.js';
export { Conv1D, Conv2D, type ConvLayerOptions } from './conv.js';
export { Conv2DTranspose, type Conv2DTransposeOptions } from './conv2d-transpose.js';
export { DepthwiseConv2D, type DepthwiseConv2DOptions } from './depthwise-conv2d.js';
export { SeparableConv2D, type SeparableConv2DOptions } from './separable-conv2d.js';
export { MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, type PoolingOptions } from './pooling.js';
export { GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, type GlobalPoolingOptions } from './global-pooling.js';
export { ZeroPadding2D, type ZeroPadding2DOptions, type ZeroPadding2DSpec } from './zero-padding2d.js';
export { UpSampling2D, type UpSampling2DOptions } from './up-sampling2d.js';
