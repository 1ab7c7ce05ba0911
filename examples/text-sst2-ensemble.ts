/**
 * Does averaging the class probabilities of several text classifiers trained on the SST-2
 * training file beat the best single one on the sentence split (10 % of the sentences, seed 0,
 * as `nabla train --model text`)? Trains five models with that command's defaults — Kim's CNN
 * with seeds 0, 1, 2 and the BiLSTM with seeds 0, 1, in the order CNN, BiLSTM, CNN, CNN, BiLSTM —
 * and prints each one's validation accuracy and the average's after each. With NABLA_PROBS_DIR
 * set, each model's validation probabilities are written there as JSON.
 *
 *   npx tsx examples/text-sst2-ensemble.ts [../shared/data/sst2/train.tsv]
 */
import { writeFileSync } from 'node:fs';
import * as nb from '../src/index.js';

const path = process.argv[2] ?? '../shared/data/sst2/train.tsv';
const data = nb.datasets.textTable(path);
const { train, val } = nb.datasets.trainValSplit(data, { validation: 0.1, seed: 0, by: 'sentence' });
console.log(`${train.texts.length} training texts, ${val.texts.length} validation sentences`);

type Recipe = { name: string; seed: number; build: (texts: string[]) => nb.Sequential };
const base = (texts: string[]) => ({ classes: 2, texts, maxTokens: 20000, sequenceLength: 48, embeddingDim: 64 });
const recipes: Recipe[] = [
  { name: 'cnn', seed: 0, build: (t) => nb.models.textCNN(base(t)) },
  { name: 'lstm', seed: 0, build: (t) => nb.models.textRNN({ ...base(t), cell: 'lstm' }) },
  { name: 'cnn', seed: 1, build: (t) => nb.models.textCNN(base(t)) },
  { name: 'cnn', seed: 2, build: (t) => nb.models.textCNN(base(t)) },
  { name: 'lstm', seed: 1, build: (t) => nb.models.textRNN({ ...base(t), cell: 'lstm' }) },
];

const labels = Array.from(val.labels.data() as ArrayLike<number>);
const acc = (p: Float32Array) => {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) if ((p[2 * i + 1]! > p[2 * i]! ? 1 : 0) === labels[i]) ok++;
  return ok / labels.length;
};
const sum = new Float32Array(2 * labels.length);
for (const [k, r] of recipes.entries()) {
  const t0 = Date.now();
  nb.manualSeed(r.seed);
  const model = r.build(train.texts);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const best = new nb.callbacks.EarlyStopping({ monitor: 'val_accuracy', patience: 3, restoreBestWeights: true });
  const ids = (model.layers[0] as nb.layers.TextVectorization).encodeTexts(train.texts);
  const batches = new nb.DataLoader([ids, train.labels], { batchSize: 64, shuffle: true, seed: r.seed, lengths: nb.data.sequenceLengths(ids), padToLongest: true });
  await model.fit(batches, { epochs: 3, validationData: [val.texts, val.labels], callbacks: [best], verbose: 0 });
  const p = (model.predict(val.texts, { batchSize: 512 }) as nb.Tensor).data() as Float32Array;
  for (let i = 0; i < sum.length; i++) sum[i]! += p[i]!;
  if (process.env.NABLA_PROBS_DIR) writeFileSync(`${process.env.NABLA_PROBS_DIR}/${r.name}-${r.seed}.json`, JSON.stringify(Array.from(p)));
  console.log(`${r.name} seed ${r.seed}: ${(100 * acc(p)).toFixed(2)} %; ensemble of ${k + 1}: ${(100 * acc(sum)).toFixed(2)} % (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
