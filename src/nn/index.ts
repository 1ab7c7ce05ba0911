/**
 * nabla's layer system (`nn`): the `Layer` base class (PyTorch's Module, Keras' Layer), the
 * built-in layers (also as the `layers` namespace), activations, initializers and regularizers
 * by name, and the layer registry for rebuilding models from JSON configs.
 *
 * @example
 * import { layers, Layer } from './nn/index.js';
 * const dense = new layers.Dense(10, { activation: 'relu' });
 */
export { Layer, resetLayerNames, type LayerOptions, type AddWeightOptions } from './layer.js';
export { registerLayer, layerFromConfig, serializeLayer, registeredLayerNames, type LayerClass } from './layer-registry.js';
export { functionalCall } from './functional-call.js';
export { getMask, setMask, registerMaskPassthrough } from './mask.js';
export { assignInPlace } from './assign.js';
export { formatSummary, layerSummary, type SummaryRow, type SummaryTotals } from './summary.js';
export type { LoadStateDictResult } from './state-dict.js';
export { isSerializedObject, type Config, type SerializedObject } from './config.js';
export * from './layers/index.js';
export * as layers from './layers/index.js';
export * as activations from './activations.js';
export * as initializers from './initializers.js';
export * as regularizers from './regularizers.js';
export { getActivation, registerActivation, type ActivationFn } from './activations.js';
export { getInitializer, registerInitializer, Initializer } from './initializers.js';
export { getRegularizer, registerRegularizer, Regularizer } from './regularizers.js';
