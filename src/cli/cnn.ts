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
export const MODELS = ['mlp', 'cnn'] as const;

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
  throw new ValueError(`--model must be one of ${MODELS.join(', ')}, got '${name}'`);
}
