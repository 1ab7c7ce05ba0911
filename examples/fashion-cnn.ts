// A small CNN on Fashion-MNIST: two conv blocks with batch norm and pooling, dropout, one dense layer.
// The same network and recipe as `nabla train --model cnn --data fashion-mnist --epochs 12 --lr-schedule cosine`
// (src/cli/cnn.ts): 92.25 % test accuracy.
// Run: npx tsx examples/fashion-cnn.ts [epochs]   (needs the Debian package dataset-fashion-mnist)
import * as nb from '../src/index.js';
const { Activation, BatchNormalization, Conv2D, Dense, Dropout, Flatten, MaxPooling2D, Reshape } = nb.layers;

const epochs = Number(process.argv[2] ?? 12);
nb.manualSeed(0);
// conv (no bias: batch norm's shift replaces it) → batch norm → ReLU → 2×2 max pool
const block = (filters: number) => [
  new Conv2D(filters, 3, { padding: 'same', useBias: false }),
  new BatchNormalization(),
  new Activation('relu'),
  new MaxPooling2D(2),
];
const model = new nb.Sequential([
  new Reshape([28, 28, 1]), // rows of 784 pixels → 28×28 images with one channel
  ...block(32), // 28×28×32 → 14×14×32
  ...block(64), // 14×14×64 → 7×7×64
  new Dropout(0.3),
  new Flatten(),
  new Dense(128, { activation: 'relu' }),
  new Dropout(0.3),
  new Dense(10, { activation: 'softmax' }),
]);
const { train, test } = await nb.datasets.fashionMnist();
// Adam 1e-3 decaying to 0 along a half cosine over every step of the run (54,000 rows in batches of 64)
const steps = epochs * Math.ceil((train.x.shape[0]! * 0.9) / 64);
const learningRate = nb.optim.cosineDecay({ initialLearningRate: 1e-3, decaySteps: steps });
model.compile({ optimizer: new nb.optim.Adam({ learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const t0 = performance.now();
// keep the weights of the epoch with the best accuracy on the held-out 10 % (never the test set)
const best = new nb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: Infinity, restoreBestWeights: true });
await model.fit(train.x, train.y, { epochs, batchSize: 64, validationSplit: 0.1, seed: 0, callbacks: [best] });
const seconds = (performance.now() - t0) / 1000;
const result = await model.evaluate(test.x, test.y, { batchSize: 256 });
console.log(`test accuracy ${(100 * result.accuracy!).toFixed(2)}% after ${epochs} epochs (${seconds.toFixed(0)} s of training, backend ${nb.backend().name})`);
