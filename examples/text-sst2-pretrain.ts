// Does pretraining help on SST-2? (issue 14, item 5.) The bag-of-embeddings SST-2 recipe (`nabla train
// --model text-bow`: fastText bag of embeddings with bigrams, vocabulary 20,000, 64 wide, 48 tokens,
// Adam 5e-3, batch 64, 3 epochs) from scratch, against the same classifier whose unigram
// embeddings start from CBOW pretraining (nb.models.textLanguageModel: vocabulary 5,000, window 2,
// 2 epochs of Adam 5e-3, batch 512) on the training part's texts alone, used as unlabelled text;
// the words and bigrams the language model lacks are added, up to the same 20,000 entries.
// Validation: 10 % of the sentences (trainValSplit by: 'sentence', seed 0), so no phrase of a
// validation sentence is trained on. Both report the last epoch (no choice on validation).
// All settings were fixed before the first run.
// Run: npx tsx examples/text-sst2-pretrain.ts [../shared/data/sst2/train.tsv] [seed]
import * as nb from '../src/index.js';

const path = process.argv[2] ?? '../shared/data/sst2/train.tsv';
const seed = Number(process.argv[3] ?? 0);
const { train, val } = nb.datasets.trainValSplit(nb.datasets.sst2(path), { validation: 0.1, seed, by: 'sentence' });
console.log(`${train.texts.length} training and ${val.texts.length} validation texts (10 % of the sentences, seed ${seed})`);

async function run(name: string, model: nb.Sequential, extraSeconds = 0): Promise<void> {
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 5e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const t = Date.now();
  const history = await model.fit(train.texts, train.labels, { epochs: 3, batchSize: 64, seed, validationData: [val.texts, val.labels], verbose: 0 });
  const seconds = (Date.now() - t) / 1000;
  const acc = history.history['val_accuracy']!.map((a) => (100 * a).toFixed(2));
  console.log(`${name.padEnd(10)} validation accuracy by epoch ${acc.join(' / ')} %; last ${acc.at(-1)} %, ${seconds.toFixed(1)} s of fine-tuning${extraSeconds ? ` + ${extraSeconds.toFixed(1)} s of pretraining` : ''}`);
}

nb.manualSeed(seed);
await run('scratch', nb.models.textBagOfEmbeddings({ classes: 2, texts: train.texts, maxTokens: 20000, sequenceLength: 48, embeddingDim: 64 }));

const t = Date.now();
nb.manualSeed(seed);
const lm = nb.models.textLanguageModel({ texts: train.texts, maxTokens: 5000, embeddingDim: 64, window: 2 });
const pre = await lm.fit(train.texts, { epochs: 2, batchSize: 512, learningRate: 5e-3, seed });
const pretrainSeconds = (Date.now() - t) / 1000;
console.log(`CBOW loss ${pre.history['loss']!.map((l) => l.toFixed(3)).join(' → ')}`);
nb.manualSeed(seed);
await run('pretrained', nb.models.textClassifierFromPretrained(lm, { classes: 2, texts: train.texts, maxNewTokens: 20000 - 5000, sequenceLength: 48 }), pretrainSeconds);
