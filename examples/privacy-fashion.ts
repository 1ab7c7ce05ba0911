// Differentially private training on Fashion-MNIST: the recipe of
// `nabla train --data fashion-mnist --dp --target-epsilon 3 --delta 1e-5` (src/cli/train.ts, src/cli/cnn.ts),
// written out with the library, with the test accuracy after every epoch beside the ε spent so far
// (the accuracy-against-ε curve of the README). The test set only watches: nothing is chosen by it,
// and the last epoch's model is the result.
// Run: npx tsx examples/privacy-fashion.ts [targetEpsilon] [epochs]   (needs the Debian package dataset-fashion-mnist)
import * as nb from '../src/index.js';
const { Conv2D, Dense, Flatten, MaxPooling2D, Reshape } = nb.layers;

const targetEpsilon = Number(process.argv[2] ?? 3);
const epochs = Number(process.argv[3] ?? 40);
nb.manualSeed(0);
// Papernot et al. 2021's CNN: tanh everywhere (bounded activations lose less to clipping), no batch norm
const model = new nb.Sequential([
  new Reshape([28, 28, 1]),
  new Conv2D(16, 8, { strides: 2, padding: 'same', activation: 'tanh' }),
  new MaxPooling2D(2, { strides: 1 }),
  new Conv2D(32, 4, { strides: 2, padding: 'valid', activation: 'tanh' }),
  new MaxPooling2D(2, { strides: 1 }),
  new Flatten(),
  new Dense(32, { activation: 'tanh' }),
  new Dense(10, { activation: 'softmax' }),
]);
const { train, test } = await nb.datasets.fashionMnist();
model.compile({
  optimizer: new nb.optim.SGD({ learningRate: 4, momentum: 0.9 }),
  loss: 'sparseCategoricalCrossentropy',
  metrics: ['accuracy'],
  // each example's gradient clipped to 0.12; the noise multiplier is computed for ε = 3 after all epochs;
  // batches are Poisson-sampled (each image with probability 2048/60000); noise from crypto.getRandomValues
  privacy: { targetEpsilon, delta: 1e-5, maxGradNorm: 0.12 },
});
const t0 = performance.now();
const rows: string[] = [];
const watch: nb.callbacks.Callback = {
  async onEpochEnd(epoch, logs) {
    const { accuracy } = await model.evaluate(test.x, test.y, { batchSize: 1000 });
    const line = `epoch ${epoch + 1}: ε = ${logs['epsilon']!.toFixed(3)}, test accuracy ${(100 * accuracy!).toFixed(2)} % (${((performance.now() - t0) / 1000).toFixed(0)} s)`;
    rows.push(line);
    console.log(line);
  },
};
await model.fit(train.x, train.y, { epochs, batchSize: 2048, verbose: 0, callbacks: [watch] });
console.log(`\n${rows.at(-1)}\n(δ = 1e-5; training and per-epoch evaluation took ${((performance.now() - t0) / 1000).toFixed(0)} s)`);
