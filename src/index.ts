/**
 * nabla: a deep-learning framework written from scratch in TypeScript.
 *
 * @example
 * import * as nb from 'nabla';
 * const x = nb.tensor([[1, 2], [3, 4]], { requiresGrad: true });
 * x.matmul(x).sum().backward();
 * console.log(x.grad);
 */
import './autograd/tensor-methods.js';

export { Tensor, type NestedArray } from './tensor/tensor.js';
export { type DType, type TypedArray, promoteTypes } from './tensor/dtype.js';
export { ShapeError, DTypeError, ValueError } from './tensor/errors.js';
export { broadcastShapes } from './tensor/shape.js';
export { Generator, manualSeed } from './tensor/random.js';
export {
  tensor, zeros, ones, full, zerosLike, onesLike, fullLike, arange, linspace, eye,
  rand, randn, randint, bernoulli, type CreationOptions, type RandomOptions,
} from './tensor/creation.js';

export { noGrad, enableGrad, isGradEnabled } from './tensor/grad-mode.js';
export { memory, setBufferPoolLimit, type MemoryStats } from './tensor/buffer-pool.js';
export { backward, type BackwardOptions } from './autograd/backward.js';
export { grad, valueAndGrad, gradients, type GradOptions } from './autograd/functional.js';

export { neg, exp, log, sqrt, rsqrt, abs, sign, sin, cos, tanh, sigmoid, erf, relu, log1p, expm1 } from './ops/unary.js';
export { add, sub, mul, div, pow, maximum, minimum, eq, ne, lt, le, gt, ge, where, cast, clamp } from './ops/binary.js';
export { sum, mean, max, min, prod, variance, argmax, argmin, logSumExp, type Axis } from './ops/reduce.js';
export {
  reshape, view, flatten, squeeze, unsqueeze, permute, transpose, expand, slice, contiguous, clone,
  concat, stack, split, pad, type SliceEntry,
} from './ops/movement.js';
export { gather, indexSelect, takeAlongAxis, oneHot } from './ops/indexing.js';
export { matmul } from './ops/matmul.js';
export { leakyRelu, elu, gelu, softplus, silu, softmax, logSoftmax } from './ops/activations.js';
export { crossEntropy, biasActivation, layerNorm, type CrossEntropyOptions } from './ops/nn.js';
export { conv1d, conv2d, depthwiseConv2d, type ConvOptions, type DepthwiseConvOptions, type KernelLayout } from './ops/conv.js';
export { conv1dTranspose, conv2dTranspose, type ConvTransposeOptions } from './ops/conv-transpose.js';
export {
  maxPool1d, maxPool2d, avgPool1d, avgPool2d, globalAvgPool1d, globalAvgPool2d, globalMaxPool1d, globalMaxPool2d,
  type PoolOptions, type AvgPoolOptions, type GlobalPoolOptions,
} from './ops/pool.js';
export { upsampleNearest2d } from './ops/upsample.js';
export { scaledDotProductAttention, type AttentionOptions } from './ops/attention.js';
export { tril, triu, cumsum, cumprod, topk, embedding, type CumsumOptions, type TopkOptions } from './ops/sequence.js';
export { multinomial, categorical, type SamplingOptions } from './ops/sampling.js';
export { fft, ifft, rfft } from './ops/fft.js';
export { checkpoint } from './autograd/checkpoint.js';
export { customGrad, type CustomGradResult } from './autograd/custom-grad.js';
export type { TensorLike } from './ops/scalar.js';

export * as losses from './nn/loss-api.js';
export * as testing from './testing/index.js';
export { backend, setBackend, jsBackend, type Backend } from './backend/index.js';

export { Layer, registerLayer, layerFromConfig, getMask, setMask, type LayerOptions } from './nn/index.js';
export { layers, activations, initializers, regularizers } from './nn/index.js';
export * as optim from './optim/index.js';
export * as data from './data/index.js';
export { datasets, DataLoader, TensorDataset, type Dataset } from './data/index.js';
export * as io from './io/index.js';
export * as image from './image/index.js';
export * as audio from './audio/index.js';
export * as privacy from './privacy/index.js';
export * as plot from './plot/index.js';
export * as models from './models/index.js';
export * as text from './text/index.js';
export * as lora from './nn/lora/index.js';
export { saveCheckpoint, loadCheckpoint } from './model/checkpoint.js';
export { Model, type CompileOptions, type FitOptions, type GradientHook, type GradientResult } from './model/model.js';
export { Sequential, type SequentialOptions } from './model/sequential.js';
export { Input } from './nn/layers/input-layer.js';
export { loadModel, type LoadModelOptions } from './model/save.js';
export * as metrics from './model/metrics.js';
export * as callbacks from './model/callbacks/index.js';
export { History } from './model/callbacks/history.js';
export { info, VERSION, type Info } from './info.js';
