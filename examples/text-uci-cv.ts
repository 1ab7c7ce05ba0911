// 5-fold cross-validation on the UCI Sentiment Labelled Sentences (3,000 review sentences from
// Amazon, IMDB and Yelp), three ways on the same folds (issue 14, Done-when 2):
//   scratch  the fastText-style recipe (nb.models.textBagOfEmbeddings: tokens and bigrams embedded
//            and averaged, softmax), each fold's vocabulary adapted on its own training part;
//   sst2     fine-tuned from an SST-2 classifier: `nabla train --model text-bow` (the bag of embeddings) on sst2/train.tsv
//            (its README defaults), or the saved model given with --from DIR; its head replaced
//            by a fresh one, the fold's new words (and bigrams) added to its vocabulary;
//   lm       fine-tuned from word embeddings pretrained with CBOW (nb.models.textLanguageModel:
//            vocabulary 5,000, 64 wide, window 2, 2 epochs of Adam 5e-3, batch 512) on the
//            sentences and phrases of sst2/train.tsv used as unlabelled text — no UCI text, so
//            no test fold's text either; then the bag-of-embeddings classifier on top.
// Every mode then trains the same way: 10 epochs of Adam 1e-3, batch 32, all weights. All
// settings were fixed before the first run; nothing was tuned on the folds.
// Run: npx tsx examples/text-uci-cv.ts [dataDir] [epochs] [seed] [--mode scratch|sst2|lm|all]
//        [--from SST2_MODEL_DIR] [--sst2 ../shared/data/sst2/train.tsv]
//      (defaults: ../shared/data/sentiment, 10, 0, all)
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../src/index.js';
import { trainText } from '../src/cli/train-text.js';

const positional: string[] = [];
const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i]!;
  if (a.startsWith('--')) flags.set(a.slice(2), process.argv[++i] ?? '');
  else positional.push(a);
}
const dir = positional[0] ?? '../shared/data/sentiment';
const epochs = Number(positional[1] ?? 10);
const seed = Number(positional[2] ?? 0);
const mode = flags.get('mode') ?? 'all';
const sst2Path = flags.get('sst2') ?? '../shared/data/sst2/train.tsv';
const MODES = ['scratch', 'sst2', 'lm'] as const;
type Mode = (typeof MODES)[number];
if (mode !== 'all' && !MODES.includes(mode as Mode)) throw new nb.ValueError(`--mode must be scratch, sst2, lm or all, got '${mode}'`);
const modes: Mode[] = mode === 'all' ? [...MODES] : [mode as Mode];

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

// the pretrained sources, made once (their time is reported apart from the folds')
let sst2Model: nb.Sequential | null = null;
let lm: nb.models.TextLanguageModel | null = null;
const prepSeconds: Partial<Record<Mode, number>> = {};
if (modes.includes('sst2')) {
  const t = Date.now();
  let from = flags.get('from');
  if (from === undefined) {
    from = mkdtempSync(join(tmpdir(), 'nabla-uci-sst2-'));
    console.log(`training the SST-2 classifier: nabla train --model text-bow --data ${sst2Path} --out ${from}`);
    await trainText(['--model', 'text-bow', '--data', sst2Path, '--out', from]);
  }
  sst2Model = nb.loadModel(from) as nb.Sequential;
  prepSeconds.sst2 = (Date.now() - t) / 1000;
}
if (modes.includes('lm')) {
  const t = Date.now();
  const unlabelled = nb.datasets.sst2(sst2Path).texts;
  nb.manualSeed(seed);
  lm = nb.models.textLanguageModel({ texts: unlabelled, maxTokens: 5000, embeddingDim: 64, window: 2 });
  const history = await lm.fit(unlabelled, { epochs: 2, batchSize: 512, learningRate: 5e-3, seed });
  prepSeconds.lm = (Date.now() - t) / 1000;
  console.log(`CBOW pretraining on ${unlabelled.length} SST-2 texts: loss ${history.history['loss']!.map((l) => l.toFixed(3)).join(' → ')}, ${prepSeconds.lm.toFixed(1)} s`);
}

function build(m: Mode, texts: string[]): nb.Sequential {
  if (m === 'scratch') return nb.models.textBagOfEmbeddings({ classes: 2, texts });
  if (m === 'sst2') return nb.models.textClassifierFromPretrained(sst2Model!, { classes: 2, texts });
  return nb.models.textClassifierFromPretrained(lm!, { classes: 2, texts });
}

const results = new Map<Mode, { accuracies: number[]; seconds: number }>();
for (const m of modes) {
  const accuracies: number[] = [];
  const t0 = Date.now();
  for (let f = 0; f < 5; f++) {
    const testIdx = folds[f]!;
    const trainIdx = folds.filter((_, g) => g !== f).flat();
    const texts = (idx: number[]) => idx.map((i) => data.texts[i]!);
    const ys = (idx: number[]) => nb.tensor(Int32Array.from(idx.map((i) => labels[i]!)), { dtype: 'int32', shape: [idx.length] });
    nb.manualSeed(seed * 10 + f);
    const model = build(m, texts(trainIdx));
    model.compile({ optimizer: new nb.optim.Adam({ learningRate: 1e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    await model.fit(texts(trainIdx), ys(trainIdx), { epochs, batchSize: 32, shuffle: true, verbose: 0 });
    const logs = await model.evaluate(texts(testIdx), ys(testIdx));
    accuracies.push(logs['accuracy']!);
    console.log(`${m} fold ${f + 1}: ${(100 * logs['accuracy']!).toFixed(2)} % of ${testIdx.length} test sentences`);
  }
  results.set(m, { accuracies, seconds: (Date.now() - t0) / 1000 });
}

console.log('\nmode     5-fold accuracy (sd over folds)   folds   source');
for (const [m, { accuracies, seconds }] of results) {
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const sd = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (accuracies.length - 1));
  const prep = prepSeconds[m] === undefined ? '' : `${prepSeconds[m]!.toFixed(1)} s`;
  console.log(`${m.padEnd(8)} ${(100 * mean).toFixed(2)} % ± ${(100 * sd).toFixed(2)}                 ${seconds.toFixed(1).padStart(5)} s ${prep.padStart(8)}`);
}
