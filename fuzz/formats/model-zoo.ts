/**
 * The small models the model, checkpoint and adapter seeds are made from, each with data to run
 * it on. A checkpoint is loaded into a fresh model from the same factory, as a user resuming
 * training would.
 */
import * as nb from '../../src/index.js';

/** A model of the zoo and the data to run and train it on. */
export interface ZooModel {
  model: nb.Sequential;
  x: nb.Tensor;
  y: nb.Tensor;
}

const L = nb.layers;

/** Integer ids in [0, n) of the given shape, from a fixed generator. */
function ids(shape: number[], n: number, seed: number): nb.Tensor {
  return nb.randint(0, n, shape, { generator: new nb.Generator(seed) });
}

const FACTORIES: Record<string, () => ZooModel> = {
  mlp: () => ({
    model: new nb.Sequential([new L.Dense(8, { activation: 'relu' }), new L.BatchNormalization(), new L.Dropout(0.1), new L.Dense(3, { activation: 'softmax' })]),
    x: nb.randn([8, 6], { generator: new nb.Generator(1) }),
    y: ids([8], 3, 2),
  }),
  cnn: () => ({
    model: new nb.Sequential([
      new L.Conv2D(4, 3, { padding: 'same', activation: 'relu' }), new L.MaxPooling2D(2), new L.DepthwiseConv2D(3),
      new L.GroupNormalization({ groups: 2 }), new L.Flatten(), new L.Dense(3, { activation: 'softmax' }),
    ]),
    x: nb.randn([4, 8, 8, 1], { generator: new nb.Generator(3) }),
    y: ids([4], 3, 4),
  }),
  sequence: () => ({
    model: new nb.Sequential([
      new L.Embedding(12, 4, { maskZero: true }), new L.LSTM(5, { returnSequences: true }), new L.LayerNormalization(),
      new L.Bidirectional(new L.GRU(3)), new L.Dense(2, { activation: 'softmax' }),
    ]),
    x: ids([4, 6], 12, 5),
    y: ids([4], 2, 6),
  }),
  attention: () => ({
    model: new nb.Sequential([
      new L.Conv1D(8, 2, { padding: 'same' }), new L.TransformerEncoderBlock({ numHeads: 2, ffDim: 16 }),
      new L.SimpleRNN(4), new L.Dense(2, { activation: 'softmax' }),
    ]),
    x: nb.randn([4, 5, 3], { generator: new nb.Generator(7) }),
    y: ids([4], 2, 8),
  }),
};

/** The names of the zoo's models. */
export const ZOO_NAMES = Object.keys(FACTORIES);

/** A fresh, unbuilt model `name` with its data; the weights start from a fixed seed. */
export function zooModel(name: string): ZooModel {
  const make = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!make) throw new Error(`model zoo: no model '${name}'`);
  nb.manualSeed(1234);
  return make();
}

/** The loss that fits a zoo model's labels. */
export const ZOO_LOSS = 'sparseCategoricalCrossentropy';
