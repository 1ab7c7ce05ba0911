// Transfer learning: the ONNX Model Zoo's MNIST digit CNN (trained by others, with CNTK) gets a new
// 10-class head and learns Fashion-MNIST from 1,000 images with its convolutions frozen; the same
// network with freshly drawn weights learns from the same images, for the same epochs.
// Run: npx tsx examples/finetune-onnx.ts
// (needs ../shared/models/mnist-12-onnx next to the repository and the Debian package dataset-fashion-mnist;
//  `nabla finetune` is the same experiment with options)
import { fileURLToPath } from 'node:url';
import * as nb from '../src/index.js';

const MODEL = fileURLToPath(new URL('../../shared/models/mnist-12-onnx/mnist-12.onnx', import.meta.url));
const EPOCHS = 10;

// mnist-12 reads [N, 1, 28, 28] images scaled to [0, 1], as fashionMnist() gives them (rows of 784)
const { train, test } = await nb.datasets.fashionMnist();
const first = (split: { x: nb.Tensor; y: nb.Tensor }, n: number) => ({ x: nb.slice(split.x, [[0, n]]).reshape([n, 1, 28, 28]), y: nb.slice(split.y, [[0, n]]) });
const small = first(train, 1000);
const held = first(test, 10000);

async function trainAndTest(pretrained: boolean): Promise<number> {
  // the file's Reshape target is the constant [1, 256]: -1 lets batches through
  const model = nb.io.loadOnnx(MODEL, { initializers: { Pooling160_Output_0_reshape0_shape: [-1, 256] } });
  // the head is the MatMul (Times212) + Add (Plus214) pair: the Dense takes the MatMul's place
  const head = new nb.layers.Dense(10, { kernelInitializer: nb.initializers.glorotUniform({ seed: 0 }) });
  nb.models.replaceHead(model, head, { freezeBody: pretrained });
  if (!pretrained) {
    // the same graph, its conv kernels [out, in, kh, kw] drawn Glorot-uniform and its biases zero
    nb.noGrad(() => model.namedWeights().forEach(([, w], k) => {
      const [out = 1, inC = 1, kh = 1, kw = 1] = w.shape;
      const limit = Math.sqrt(6 / (inC * kh * kw + out * kh * kw));
      w.storage.set(w.ndim === 4 ? nb.rand(w.shape, { generator: new nb.Generator(k) }).mul(2 * limit).sub(limit).data() : new Float32Array(w.size));
    }));
  }
  model.compile({
    optimizer: new nb.optim.Adam({ learningRate: 1e-3 }),
    loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true },
    metrics: ['accuracy'],
  });
  await model.fit(small.x, small.y, { epochs: EPOCHS, batchSize: 32, seed: 0, verbose: 0 });
  if (pretrained) model.summary();   // prints the table; trainable: the head's 2,570 weights
  return (await model.evaluate(held.x, held.y, { batchSize: 500 })).accuracy!;
}

const t0 = performance.now();
const tuned = await trainAndTest(true);
const scratch = await trainAndTest(false);
console.log(`Fashion-MNIST test accuracy (10,000 images) after ${EPOCHS} epochs on 1,000 training images:`);
console.log(`  pretrained body, new head: ${(100 * tuned).toFixed(2)}%`);
console.log(`  same network from scratch: ${(100 * scratch).toFixed(2)}%`);
console.log(`  wall time ${((performance.now() - t0) / 1000).toFixed(1)} s`);
