/**
 * `nabla finetune`: transfer learning, measured. The pretrained MNIST CNN of the ONNX Model Zoo
 * (mnist-12, trained on handwritten digits by others) gets a new 10-class head and learns
 * Fashion-MNIST from a small training set with its convolutional body frozen; the same network
 * with freshly drawn weights is trained on the same images for the same epochs; both are tested.
 */
import { performance } from 'node:perf_hooks';
import { fashionMnist } from '../data/datasets/fashion-mnist.js';
import { loadOnnx } from '../io/onnx/load.js';
import type { OnnxModel } from '../io/onnx/onnx-model.js';
import { backend } from '../backend/index.js';
import { noGrad } from '../tensor/grad-mode.js';
import { Dense } from '../nn/layers/dense.js';
import { RandomUniform, glorotUniform } from '../nn/initializers.js';
import type { Layer } from '../nn/layer.js';
import { Adam } from '../optim/adam.js';
import { replaceHead } from '../models/replace-head.js';
import { slice } from '../ops/movement.js';
import { manualSeed } from '../tensor/random.js';
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { intOption, numberOption } from './args.js';
import { parseCommand, type CliCommand } from './command.js';
import { defaultModel } from './finetune-model.js';


/** The Reshape target of mnist-12 is the constant [1, 256]; −1 lets batches through. */
const BATCHED = { Pooling160_Output_0_reshape0_shape: [-1, 256] };

const FLAGS = {
  model: { type: 'string', value: 'FILE.onnx', help: "the pretrained network, the ONNX Model Zoo's mnist-12.onnx (required outside a checkout of nabla's repository)" },
  'data-dir': { type: 'string', value: 'DIR', help: 'directory of the Fashion-MNIST IDX files' },
  'train-size': { type: 'string', value: 'N', help: 'training images (default 1000)' },
  'test-size': { type: 'string', value: 'N', help: 'test images (default 10000)' },
  epochs: { type: 'string', value: 'N', help: 'epochs of each training (default 10)' },
  'batch-size': { type: 'string', value: 'N', help: 'images per step (default 32)' },
  lr: { type: 'string', value: 'X', help: 'learning rate (default 0.001)' },
  seed: { type: 'string', value: 'N', help: 'seed of the new head and the shuffling (default 0)' },
  'body-lr-multiplier': { type: 'string', value: 'X', help: 'train the pretrained body too, at lr × X (default: the body stays frozen)' },
} as const;

/** `nabla finetune`. */
export const FINETUNE_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'finetune',
  summary: 'fine-tune a pretrained MNIST CNN (ONNX) on Fashion-MNIST and compare with training from scratch',
  synopsis: `  nabla finetune [--model FILE.onnx] [--data-dir DIR] [--train-size N] [--test-size N]
                 [--epochs N] [--batch-size N] [--lr X] [--seed N] [--body-lr-multiplier X]`,
  flags: FLAGS,
  positionals: false,
  notes: `Replaces the network's last layer with a new 10-class head, trains it on a small Fashion-MNIST
training set, trains the same network with freshly drawn weights on the same images, and prints
both test accuracies.`,
};

/** The settings of one run. */
export interface FinetuneSettings {
  modelPath: string;
  dataDir: string | undefined;
  trainSize: number;
  testSize: number;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** null: freeze the body; a number: train it too, at lr × this. */
  bodyLrMultiplier: number | null;
}

function parseSettings(argv: string[]): FinetuneSettings {
  const { values } = parseCommand(FINETUNE_COMMAND, argv);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) throw new ValueError(`--seed must be an integer, got '${values.seed}'`);
  return {
    modelPath: values.model ?? defaultModel(),
    dataDir: values['data-dir'],
    trainSize: intOption(values['train-size'], 'train-size', 1000),
    testSize: intOption(values['test-size'], 'test-size', 10000),
    epochs: intOption(values.epochs, 'epochs', 10),
    batchSize: intOption(values['batch-size'], 'batch-size', 32),
    lr: numberOption(values.lr, 'lr', 1e-3),
    seed,
    bodyLrMultiplier: values['body-lr-multiplier'] === undefined ? null : numberOption(values['body-lr-multiplier'], 'body-lr-multiplier', 1),
  };
}

/** The first `n` rows of a split, images as `[n, 1, 28, 28]` (the layout mnist-12 reads) in [0, 1]. */
function firstImages(split: { x: Tensor; y: Tensor }, n: number, what: string): { x: Tensor; y: Tensor } {
  const available = split.x.shape[0]!;
  if (n > available) throw new ValueError(`--${what} is ${n}, but the split has only ${available} images`);
  return { x: slice(split.x, [[0, n]]).reshape([n, 1, 28, 28]), y: slice(split.y, [[0, n]]) };
}

/** A new 10-class head, the same initial weights in both runs. */
function newHead(seed: number): Dense {
  return new Dense(10, { name: 'fashion_head', kernelInitializer: glorotUniform({ seed }) });
}

/**
 * Draws every weight of the imported body afresh, as nabla's own Conv2D would: Glorot-uniform
 * kernels (fans from the ONNX layout [out, in, kh, kw]) and zero biases (mnist-12's other weights).
 * The new head is not built yet: it draws its own weights on the first call.
 */
function reinitialize(model: Layer, seed: number): void {
  noGrad(() => {
    model.namedWeights().forEach(([, w], k) => {
      if (w.ndim === 4) {
        const [out, inC, kh, kw] = w.shape as [number, number, number, number];
        const limit = Math.sqrt(6 / (inC * kh * kw + out * kh * kw));
        w.storage.set(new RandomUniform({ minval: -limit, maxval: limit, seed: seed + k }).call(w.shape).data());
      } else {
        w.storage.fill(0);
      }
    });
  });
}

function compileFor(model: OnnxModel, lr: number): Adam {
  const optimizer = new Adam({ learningRate: lr });
  model.compile({ optimizer, loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true }, metrics: ['accuracy'] });
  return optimizer;
}

const count = (n: number): string => n.toLocaleString('en-US');

/** Trains `model` on `train` and tests it; returns the test accuracy and the training time. */
async function trainAndTest(label: string, model: OnnxModel, train: { x: Tensor; y: Tensor }, test: { x: Tensor; y: Tensor }, s: FinetuneSettings): Promise<{ accuracy: number; seconds: number }> {
  // one sample builds the new head, so that the counts below include it
  noGrad(() => model.apply(slice(train.x, [[0, 1]])));
  console.log(`${label}: ${count(model.trainableWeights.reduce((n, t) => n + t.size, 0))} of ${count(model.countParams())} weights train`);
  const t0 = performance.now();
  await model.fit(train.x, train.y, { epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, verbose: 2 });
  const seconds = (performance.now() - t0) / 1000;
  const result = await model.evaluate(test.x, test.y, { batchSize: 500 });
  return { accuracy: result['accuracy'] ?? NaN, seconds };
}

/** `nabla finetune …`: runs both trainings and prints their test accuracies and times. */
export async function finetune(argv: string[]): Promise<void> {
  const s = parseSettings(argv);
  const started = performance.now();
  const body = s.bodyLrMultiplier === null ? 'frozen body' : `body trained at lr × ${s.bodyLrMultiplier}`;
  console.log(`nabla finetune: ${s.modelPath} → Fashion-MNIST, ${s.trainSize} training images, ${s.epochs} epochs, batch ${s.batchSize}, adam lr ${s.lr}, ${body}, seed ${s.seed} (backend ${backend().name})`);
  const data = await fashionMnist(s.dataDir ? { dir: s.dataDir } : {});
  const train = firstImages(data.train, s.trainSize, 'train-size');
  const test = firstImages(data.test, s.testSize, 'test-size');

  manualSeed(s.seed);
  const pretrained = loadOnnx(s.modelPath, { initializers: BATCHED });
  const head = newHead(s.seed);
  const { path, bias } = replaceHead(pretrained, head, { freezeBody: s.bodyLrMultiplier === null });
  console.log(`new head at '${path}'${bias ? ` (the bias Add '${bias.path}' folded into it)` : ''}`);
  const optimizer = compileFor(pretrained, s.lr);
  if (s.bodyLrMultiplier !== null) {
    // discriminative learning rates: the pretrained layers move more slowly than the new head
    for (const [, layer] of pretrained.namedChildren()) if (layer !== head && layer.weights.length > 0) optimizer.setLrMultiplier(layer, s.bodyLrMultiplier);
  }
  const tuned = await trainAndTest('fine-tuned (pretrained body, new head)', pretrained, train, test, s);

  manualSeed(s.seed);
  const scratch = loadOnnx(s.modelPath, { initializers: BATCHED });
  replaceHead(scratch, newHead(s.seed));
  reinitialize(scratch, s.seed + 1000);
  compileFor(scratch, s.lr);
  const fresh = await trainAndTest('from scratch (same network, weights drawn afresh)', scratch, train, test, s);

  const pct = (a: number) => `${(100 * a).toFixed(2)}%`;
  console.log(`test accuracy on the first ${count(s.testSize)} Fashion-MNIST test images:`);
  console.log(`  fine-tuned:   ${pct(tuned.accuracy)}  (training ${tuned.seconds.toFixed(1)} s)`);
  console.log(`  from scratch: ${pct(fresh.accuracy)}  (training ${fresh.seconds.toFixed(1)} s)`);
  console.log(`wall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
