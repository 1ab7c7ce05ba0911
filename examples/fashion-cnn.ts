// A small CNN on Fashion-MNIST: two conv blocks with batch norm and pooling, dropout, one dense layer.
// Run: npx tsx examples/fashion-cnn.ts [epochs]   (needs the Debian package dataset-fashion-mnist)
import * as nb from '../src/index.js';
const { Conv2D, BatchNormalization, MaxPooling2D, Flatten, Dropout, Dense, Reshape } = nb.layers;

const epochs = Number(process.argv[2] ?? 10);
nb.manualSeed(0);
const model = new nb.Sequential([
  new Reshape([28, 28, 1]),
  new Conv2D(32, 3, { padding: 'same', activation: 'relu' }),
  new BatchNormalization(),
  new MaxPooling2D(2),
  new Conv2D(64, 3, { padding: 'same', activation: 'relu' }),
  new BatchNormalization(),
  new MaxPooling2D(2),
  new Flatten(),
  new Dropout(0.3),
  new Dense(128, { activation: 'relu' }),
  new Dropout(0.3),
  new Dense(10, { activation: 'softmax' }),
]);
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const { train, test } = await nb.datasets.fashionMnist();
const t0 = performance.now();
const best = new nb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: Infinity, restoreBestWeights: true });
await model.fit(train.x, train.y, { epochs, batchSize: 64, validationSplit: 0.1, seed: 0, callbacks: [best] });
const seconds = (performance.now() - t0) / 1000;
const result = await model.evaluate(test.x, test.y, { batchSize: 256 });
console.log(`test accuracy ${(100 * result.accuracy!).toFixed(2)}% after ${epochs} epochs (${seconds.toFixed(0)} s of training, backend ${nb.backend().name})`);
