// 5-fold cross-validation on the UCI Sentiment Labelled Sentences (3,000 review sentences from
// Amazon, IMDB and Yelp), from scratch, with the fastText-style recipe (nb.models.textBagOfEmbeddings:
// tokens and bigrams embedded and averaged, softmax). The recipe and its settings were fixed before
// the first run (the defaults of the builder, 10 epochs of Adam 1e-3, batch 32); each fold's
// vocabulary is adapted on its own training part only.
// Run: npx tsx examples/text-uci-cv.ts [dataDir] [epochs] [seed]
//      (defaults: ../shared/data/sentiment, 10, 0)
import * as nb from '../src/index.js';

const dir = process.argv[2] ?? '../shared/data/sentiment';
const epochs = Number(process.argv[3] ?? 10);
const seed = Number(process.argv[4] ?? 0);
const data = nb.datasets.uciSentiment(dir);
const n = data.texts.length;
const labels = Array.from(data.labels.data(), Number);

// a seeded permutation cut into 5 folds of equal size (± 1)
const g = new nb.Generator(seed);
const order = Array.from({ length: n }, (_, i) => i);
for (let i = n - 1; i > 0; i--) {
  const j = g.nextUint32() % (i + 1);
  [order[i], order[j]] = [order[j]!, order[i]!];
}
const folds = [0, 1, 2, 3, 4].map((f) => order.filter((_, i) => i % 5 === f));

const accuracies: number[] = [];
const t0 = Date.now();
for (let f = 0; f < 5; f++) {
  const testIdx = folds[f]!;
  const trainIdx = folds.filter((_, g) => g !== f).flat();
  const texts = (idx: number[]) => idx.map((i) => data.texts[i]!);
  const ys = (idx: number[]) => nb.tensor(Int32Array.from(idx.map((i) => labels[i]!)), { dtype: 'int32', shape: [idx.length] });
  nb.manualSeed(seed * 10 + f);
  const model = nb.models.textBagOfEmbeddings({ classes: 2, texts: texts(trainIdx) });
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(texts(trainIdx), ys(trainIdx), { epochs, batchSize: 32, shuffle: true, verbose: 0 });
  const logs = await model.evaluate(texts(testIdx), ys(testIdx));
  accuracies.push(logs['accuracy']!);
  console.log(`fold ${f + 1}: ${(100 * logs['accuracy']!).toFixed(2)} % of ${testIdx.length} test sentences`);
}
const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
const sd = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (accuracies.length - 1));
console.log(`5-fold accuracy: ${(100 * mean).toFixed(2)} % ± ${(100 * sd).toFixed(2)} (sd over folds), ${((Date.now() - t0) / 1000).toFixed(1)} s`);
