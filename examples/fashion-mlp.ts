// The seed network of nabla's mission, trained on Fashion-MNIST — the Keras way.
// Run: npx tsx examples/fashion-mlp.ts   (needs the Debian package dataset-fashion-mnist)
import * as nb from '../src/index.js';
const { Dense } = nb.layers;

class NeuralNetwork extends nb.Model {
  dense1 = new Dense(256, { activation: 'relu' });
  dense2 = new Dense(128, { activation: 'relu' });
  dense3 = new Dense(10, { activation: 'softmax' });
  call(inputs: nb.Tensor, training?: boolean): nb.Tensor {
    const x = this.dense1.apply(inputs);
    return this.dense3.apply(this.dense2.apply(x));
  }
}

const model = new NeuralNetwork();
model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
const { train, test } = await nb.datasets.fashionMnist();          // {x: [n,784] float32 in [0,1], y: [n] int32}
const history = await model.fit(train.x, train.y, { epochs: 10, batchSize: 128, validationSplit: 0.1 });
console.log(await model.evaluate(test.x, test.y));                  // { loss, accuracy }
void history;
