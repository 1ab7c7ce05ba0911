// Text pretraining (nb.models.textLanguageModel: CBOW word embeddings) and classifiers fine-tuned
// from it or from a trained text classifier (nb.models.textClassifierFromPretrained).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { syntheticSentiment } from './text-synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-text-pretrain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const corpus = syntheticSentiment(200, 3).texts;
const ids = (values: number[]) => nb.tensor(Int32Array.from(values), { dtype: 'int32', shape: [values.length] });

test('paddedTokenCrossentropy: the mean cross-entropy over the non-pad targets only, by value', () => {
  const logits = nb.tensor(Float32Array.from([2, 0, -1, 0.5, 1, 3, -2, 0, 0, 1, 1, 1]), { shape: [4, 3] });
  const targets = ids([1, 0, 2, 0]);
  const row = (r: number, t: number) => {
    const z = Array.from(logits.data()).slice(3 * r, 3 * r + 3);
    return Math.log(z.reduce((s, v) => s + Math.exp(v), 0)) - z[t]!;
  };
  const expected = (row(0, 1) + row(2, 2)) / 2;
  assert.ok(Math.abs(nb.models.paddedTokenCrossentropy(targets, logits).item() - expected) < 1e-5);
  // a pad row changes nothing, whatever its logits
  const other = nb.tensor(Float32Array.from([2, 0, -1, 9, -9, 9, -2, 0, 0, -5, 5, 0]), { shape: [4, 3] });
  assert.ok(Math.abs(nb.models.paddedTokenCrossentropy(targets, other).item() - expected) < 1e-5);
  // padId moves the excluded id; a batch of padding only is 0
  const withPad1 = (row(1, 0) + row(2, 2) + row(3, 0)) / 3;
  assert.ok(Math.abs(nb.models.paddedTokenCrossentropy(ids([1, 0, 2, 0]), logits, { padId: 1 }).item() - withPad1) < 1e-5);
  assert.equal(nb.models.paddedTokenCrossentropy(ids([0, 0, 0, 0]), logits).item(), 0);
  assert.throws(() => nb.models.paddedTokenCrossentropy(nb.tensor([1, 0, 2, 0]), logits), /yTrue must hold int32 token ids, got float32/);
});

test('paddedTokenCrossentropy: gradient matches finite differences, zero on pad rows', () => {
  const targets = ids([2, 0, 1]);
  const logits = nb.randn([3, 4], { dtype: 'float64', generator: new nb.Generator(5) });
  assert.ok(nb.testing.gradcheck((z) => nb.models.paddedTokenCrossentropy(targets, z), [logits]).ok);
  const z = logits.detach().requireGrad();
  nb.models.paddedTokenCrossentropy(targets, z).backward();
  assert.ok(Array.from(z.grad!.data()).slice(4, 8).every((v) => v === 0), 'no gradient on the pad row');
});

test('contextWindows: each real word with its neighbours, 0 past the ends, no pad or OOV target, repeats once', () => {
  const lm = nb.models.textLanguageModel({ texts: ['a b c', 'a b c', 'b'], window: 1, embeddingDim: 4 });
  const vocab = lm.vectorizer.getVocabulary();
  const id = (w: string) => vocab.indexOf(w);
  const w = lm.contextWindows(['a b c', 'a b c', 'b', 'a zzz']);
  const pairs = [];
  for (let i = 0; i < w.targets.shape[0]!; i++) pairs.push([w.targets.data()[i], ...Array.from(w.contexts.data()).slice(2 * i, 2 * i + 2)]);
  assert.deepEqual(pairs, [
    [id('a'), 0, id('b')], [id('b'), id('a'), id('c')], [id('c'), id('b'), 0], // 'a b c' once; 'b' alone has no context
    [id('a'), 0, 1], // 'zzz' is OOV: a neighbour, never a target
  ]);
});

test('textLanguageModel: the CBOW loss falls on a tiny corpus', async () => {
  nb.manualSeed(1);
  // each word follows from its neighbours: the loss can fall far below ln(vocabulary)
  const texts = ['a b c d e f g', 'h i j k l m n', 'o p q r s t u'];
  const lm = nb.models.textLanguageModel({ texts, embeddingDim: 16 });
  const history = await lm.fit(texts, { epochs: 30, batchSize: 8, learningRate: 2e-2 });
  const loss = history.history['loss']!;
  assert.ok(loss[29]! < 0.3 * loss[0]!, `loss ${loss.join(' → ')}`);
  // from about ln(vocabulary) at the start
  assert.ok(Math.abs(loss[0]! - Math.log(lm.vectorizer.vocabularySize())) < 0.6, `first epoch ${loss[0]}`);
});

test('textClassifierFromPretrained(lm): pretrained rows bit for bit, new words added, fresh head; learns, saves, loads, takes strings', async () => {
  nb.manualSeed(2);
  const lm = nb.models.textLanguageModel({ texts: corpus, embeddingDim: 8, sequenceLength: 12 });
  await lm.fit(corpus, { epochs: 1 });
  const train = syntheticSentiment(200, 4);
  const texts = [...train.texts, 'a brandnew word'];
  const model = nb.models.textClassifierFromPretrained(lm, { classes: 2, texts, ngrams: null });
  const vec = model.layers[0] as nb.layers.TextVectorization;
  const emb = model.layers[1] as nb.layers.Embedding;
  const old = lm.vectorizer.getVocabulary();
  assert.deepEqual(vec.getVocabulary().slice(0, old.length), old);
  assert.ok(vec.getVocabulary().includes('brandnew'));
  const pre = Array.from(lm.embedding.embeddings.data());
  assert.deepEqual(Array.from(emb.embeddings.data()).slice(0, pre.length), pre);
  assert.equal(emb.embeddings.shape[0], vec.vocabularySize());
  assert.notEqual(emb.embeddings, lm.embedding.embeddings, 'a copy, not the language model\'s table');
  assert.ok(model.layers.at(-1) instanceof nb.layers.Dense && !model.layers.at(-1)!.built, 'a fresh head');
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const y = nb.tensor(Int32Array.from([...train.labels, 1]), { dtype: 'int32', shape: [texts.length] });
  await model.fit(texts, y, { epochs: 8, batchSize: 32, verbose: 0 });
  assert.ok((await model.evaluate(texts, y))['accuracy']! > 0.9);
  assert.deepEqual(Array.from(lm.embedding.embeddings.data()), pre, 'fine-tuning leaves the language model as it was');
  await model.save(join(dir, 'from-lm'));
  const loaded = nb.loadModel(join(dir, 'from-lm'));
  const probe = ['the film was great', 'awful plot', 'brandnew'];
  assert.deepEqual(Array.from(loaded.predict(probe).data()), Array.from(model.predict(probe).data()));
});

test('textClassifierFromPretrained(classifier): a copy with the same body, a fresh head, the source untouched', async () => {
  nb.manualSeed(3);
  const train = syntheticSentiment(160, 5);
  const y = nb.tensor(Int32Array.from(train.labels), { dtype: 'int32', shape: [train.texts.length] });
  const source = nb.models.textBagOfEmbeddings({ classes: 2, texts: train.texts, maxTokens: 100, sequenceLength: 12, embeddingDim: 8 });
  source.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await source.fit(train.texts, y, { epochs: 1, verbose: 0 });
  source.metadata = { classNames: ['neg', 'pos'] };
  await source.save(join(dir, 'source'));
  const loaded = nb.loadModel(join(dir, 'source')) as nb.Sequential;
  const before = Object.fromEntries(Object.entries(loaded.stateDict()).map(([k, t]) => [k, Array.from(t.data())]));
  const model = nb.models.textClassifierFromPretrained(loaded, { classes: 3 });
  const emb = model.layers[1] as nb.layers.Embedding;
  assert.deepEqual(Array.from(emb.embeddings.data()), before['layers.1.embeddings']);
  assert.notEqual(emb.embeddings, (loaded.layers[1] as nb.layers.Embedding).embeddings);
  assert.deepEqual((model.layers[0] as nb.layers.TextVectorization).getVocabulary(), (loaded.layers[0] as nb.layers.TextVectorization).getVocabulary());
  assert.deepEqual(model.metadata, {});
  const out = model.predict(['good film']);
  assert.deepEqual(out.shape, [1, 3], 'the new head has 3 classes');
  // with texts: their new words join the copy's vocabulary, the loaded model keeps its own
  const extended = nb.models.textClassifierFromPretrained(loaded, { classes: 2, texts: ['zebra zebra crossing'] });
  assert.ok((extended.layers[0] as nb.layers.TextVectorization).getVocabulary().includes('zebra'));
  assert.ok(!(loaded.layers[0] as nb.layers.TextVectorization).getVocabulary().includes('zebra'));
  const after = Object.fromEntries(Object.entries(loaded.stateDict()).map(([k, t]) => [k, Array.from(t.data())]));
  assert.deepEqual(after, before);
});

test('bad input: clear errors', async () => {
  assert.throws(() => nb.models.textLanguageModel({ texts: [] }), /textLanguageModel: texts must be a non-empty array of strings/);
  assert.throws(() => nb.models.textLanguageModel({ texts: ['', '  '] }), /textLanguageModel: all 2 texts are empty/);
  assert.throws(() => nb.models.textLanguageModel({ texts: ['!!', '?'] }), /the texts hold no token after standardisation/);
  const lm = nb.models.textLanguageModel({ texts: corpus, embeddingDim: 4 });
  await assert.rejects(lm.fit(['', 'x']), /gives? no word with a context|the texts give no word/);
  assert.throws(() => nb.models.textClassifierFromPretrained(lm, { classes: 2 }), /the language model has not been trained; call await lm.fit\(texts\) first/);
  const image = new nb.Sequential([new nb.layers.Dense(4), new nb.layers.Dense(2, { activation: 'softmax' })]);
  image.apply(nb.zeros([1, 3]));
  assert.throws(() => nb.models.textClassifierFromPretrained(image, { classes: 2 }), /Sequential '\w+' \(its first layer is Dense '\w+'\) is not a pretrained text model; pass a TextLanguageModel/);
  assert.throws(() => nb.models.textClassifierFromPretrained({} as nb.Sequential, { classes: 2 }), /object is not a pretrained text model/);
  const text = nb.models.textBagOfEmbeddings({ classes: 2, texts: corpus });
  assert.throws(() => nb.models.textClassifierFromPretrained(text, { classes: 2 }), /has no weights yet/);
  assert.throws(() => nb.models.textClassifierFromPretrained(lm, { classes: 1 }), /classes must be an integer/);
});
