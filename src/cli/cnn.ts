/**
 * The models `nabla train --model …` builds for 28×28 grayscale classification (MNIST digits,
 * Fashion-MNIST), and the small CNN of the image issue, shared with examples/fashion-cnn.ts.
 */
import { Sequential } from '../model/sequential.js';
import { Activation } from '../nn/layers/activation.js';
import { BatchNormalization } from '../nn/layers/batch-normalization.js';
import { Conv2D } from '../nn/layers/conv.js';
import { Dense } from '../nn/layers/dense.js';
import { Dropout } from '../nn/layers/dropout.js';
import { Flatten } from '../nn/layers/flatten.js';
import { MaxPooling2D } from '../nn/layers/pooling.js';
import { Reshape } from '../nn/layers/reshape.js';
import { ValueError } from '../tensor/errors.js';

/** The model names `--model` takes. */
export const MODELS = ['mlp', 'cnn', 'dp-cnn'] as const;

/** A model name of `--model`. */
export type ModelName = (typeof MODELS)[number];

/**
 * The small CNN for `[N, 784]` rows of 28×28 grayscale pixels: two blocks of 3×3 convolution
 * ('same'), batch normalisation, ReLU and 2×2 max pooling (32 then 64 filters: 28 → 14 → 7),
 * dropout, a 128-unit ReLU layer, dropout, and a 10-way softmax: 421,738 trainable weights.
 *
 * @example
 * const model = smallCnn();   // Reshape [28,28,1] → Conv 32 → BN → ReLU → Pool → Conv 64 → BN → ReLU → Pool → … → Dense 10
 */
export function smallCnn(opts: { dropout?: number; classes?: number } = {}): Sequential {
  const dropout = opts.dropout ?? 0.3;
  const block = (filters: number) => [
    // no bias: batch normalisation's shift replaces it
    new Conv2D(filters, 3, { padding: 'same', useBias: false }),
    new BatchNormalization(),
    new Activation('relu'),
    new MaxPooling2D(2),
  ];
  return new Sequential([
    new Reshape([28, 28, 1]),
    ...block(32),
    ...block(64),
    new Dropout(dropout),
    new Flatten(),
    new Dense(128, { activation: 'relu' }),
    new Dropout(dropout),
    new Dense(opts.classes ?? 10, { activation: 'softmax' }),
  ]);
}

/**
 * The CNN of the private-training literature for 28×28 gray images (Papernot et al. 2021,
 * "Tempered Sigmoid Activations for Deep Learning with Differential Privacy", after Abadi et al.
 * 2016): 16 filters 8×8 stride 2 ('same'), 2×2 max pooling stride 1, 32 filters 4×4 stride 2,
 * 2×2 max pooling stride 1, a 32-unit layer, a 10-way softmax; tanh throughout (a bounded
 * activation keeps gradients small, so clipping loses less: 86.1 % with tanh against 81.9 % with
 * ReLU on Fashion-MNIST in that paper). No batch norm (it mixes examples), no dropout: 26,010 weights.
 */
export function dpCnn(classes = 10): Sequential {
  return new Sequential([
    new Reshape([28, 28, 1]),
    new Conv2D(16, 8, { strides: 2, padding: 'same', activation: 'tanh' }),
    new MaxPooling2D(2, { strides: 1 }),
    new Conv2D(32, 4, { strides: 2, padding: 'valid', activation: 'tanh' }),
    new MaxPooling2D(2, { strides: 1 }),
    new Flatten(),
    new Dense(32, { activation: 'tanh' }),
    new Dense(classes, { activation: 'softmax' }),
  ]);
}

/** The seed network of `nabla train`: 784-256-128-10 with ReLU and a softmax. */
export function seedMlp(classes = 10): Sequential {
  return new Sequential([
    new Dense(256, { activation: 'relu' }),
    new Dense(128, { activation: 'relu' }),
    new Dense(classes, { activation: 'softmax' }),
  ]);
}

/** The model `--model name` names, checked. */
export function classifierModel(name: string): Sequential {
  if (name === 'mlp') return seedMlp();
  if (name === 'cnn') return smallCnn();
  if (name === 'dp-cnn') return dpCnn();
  throw new ValueError(`--model must be one of ${MODELS.join(', ')}, got '${name}'`);
}
