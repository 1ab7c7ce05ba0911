// Texts in fit, evaluate and predict through a model's first TextVectorization, and the
// vocabulary saved with the model: a loaded model takes raw strings.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { CharTokenizer } from '../../src/data/index.js';

const { TextVectorization, Embedding, GlobalAveragePooling1D, Dense } = nb.layers;
const dir = mkdtempSync(join(tmpdir(), 'nabla-text-inputs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const texts = ['a great film', 'a dull film', 'great fun, truly', 'dull and slow', 'great acting', 'slow, dull, long'];
const labels = nb.tensor([1, 0, 1, 0, 1, 0], { dtype: 'int32' });

function textModel(vectorize: InstanceType<typeof TextVectorization>): nb.Sequential {
  nb.manualSeed(1);
  const model = new nb.Sequential([vectorize, new Embedding(vectorize.vocabularySize(), 8, { maskZero: true }), new GlobalAveragePooling1D(), new Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}

test('fit, evaluate and predict take texts; validation data may be texts', async () => {
  const tv = new TextVectorization({ outputSequenceLength: 5 });
  tv.adapt(texts);
  const model = textModel(tv);
  const history = await model.fit(texts, labels, { epochs: 25, batchSize: 3, verbose: 0, validationData: [texts, labels] });
  assert.ok(history.history.loss!.at(-1)! < history.history.loss![0]!, 'the loss goes down');
  assert.equal(history.history.val_accuracy!.at(-1), 1);
  assert.deepEqual(await model.evaluate(texts, labels), await model.evaluate(tv.encodeTexts(texts), labels));
  const p = model.predict(['a great film', 'dull']);
  assert.deepEqual(p.shape, [2, 2]);
  assert.deepEqual(Array.from(p.argmax(-1).data()), [1, 0]);
  // the same as the ids
  assert.deepEqual(Array.from(p.data()), Array.from(model.predict(tv.encodeTexts(['a great film', 'dull'])).data()));
  // validationSplit works on the encoded texts
  const split = await model.fit(texts, labels, { epochs: 1, verbose: 0, validationSplit: 0.5 });
  assert.ok(Number.isFinite(split.history.val_loss![0]));
});

test('save and load: the vocabulary travels in model.json, the loaded model takes raw strings', async () => {
  const tv = new TextVectorization({ maxTokens: 20, outputSequenceLength: 6 });
  tv.adapt(texts);
  const model = textModel(tv);
  await model.fit(texts, labels, { epochs: 3, verbose: 0 });
  model.metadata = { classNames: ['negative', 'positive'] };
  const path = join(dir, 'int');
  await model.save(path);
  const json = JSON.parse(readFileSync(join(path, 'model.json'), 'utf8')) as { config: { layers: { config: { vocabulary: string[] } }[] } };
  assert.deepEqual(json.config.layers[0]!.config.vocabulary, tv.getVocabulary());
  const loaded = nb.loadModel(path);
  const probe = ['a great film', 'an unseen phrase', 'slow'];
  assert.deepEqual(Array.from(loaded.predict(probe).data()), Array.from(model.predict(probe).data()));
  assert.deepEqual(loaded.metadata.classNames, ['negative', 'positive']);
  const first = (loaded as nb.Sequential).layers[0] as InstanceType<typeof TextVectorization>;
  assert.deepEqual(first.getVocabulary(), tv.getVocabulary());
});

test('a tf_idf bag-of-words model keeps its idf weights through save and load', async () => {
  const tv = new TextVectorization({ outputMode: 'tf_idf', ngrams: 2 });
  tv.adapt(texts);
  nb.manualSeed(2);
  const model = new nb.Sequential([tv, new Dense(2, { activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(texts, labels, { epochs: 2, verbose: 0 });
  await model.save(join(dir, 'bag'));
  const loaded = nb.loadModel(join(dir, 'bag'));
  assert.deepEqual(Array.from(loaded.predict(['great film', 'zzz']).data()), Array.from(model.predict(['great film', 'zzz']).data()));
});

test('a custom tokenizer is saved by its registered name; an unregistered one is refused at save', async () => {
  const chars = CharTokenizer.fromText('abcdefghijklmnopqrstuvwxyz ,');
  const tv = new TextVectorization({ split: chars, outputSequenceLength: 12 });
  tv.adapt(texts);
  const model = textModel(tv);
  model.predict(['a film']);
  await assert.rejects(model.save(join(dir, 'unnamed')), { name: 'ValueError', message: /its split is a custom tokenizer that model\.json cannot hold; name it with nb\.layers\.registerTextProcessor\('my-split', value\)/ });
  nb.layers.registerTextProcessor('test-chars', chars);
  await model.save(join(dir, 'chars'));
  const loaded = nb.loadModel(join(dir, 'chars'));
  assert.deepEqual(Array.from(loaded.predict(['a film']).data()), Array.from(model.predict(['a film']).data()));
  assert.throws(() => nb.layers.registerTextProcessor('bad', 42 as unknown as CharTokenizer), /must be a function or a tokenizer/);
});

test('a subclassed model whose first sublayer is a TextVectorization takes texts too', () => {
  class Bag extends nb.Model {
    vectorize = new TextVectorization({ outputMode: 'count', vocabulary: ['great', 'dull'] });
    head = new Dense(1);
    call(x: nb.Tensor): nb.Tensor {
      return this.head.apply(this.vectorize.apply(x));
    }
  }
  assert.deepEqual(new Bag().predict(['great great dull', 'meh']).shape, [2, 1]);
});

test('texts given to a model without a TextVectorization first (an image model) are an error saying so', async () => {
  const image = new nb.Sequential([new Dense(10)]);
  image.compile({ optimizer: 'sgd', loss: 'mse' });
  assert.throws(() => image.predict(['a cat']), {
    name: 'ValueError',
    message: /predict: x is an array of 1 strings, but Sequential '.*' takes tensors \(its first layer is Dense '.*'\); put a TextVectorization first in the model .* or pass a tensor/,
  });
  await assert.rejects(image.fit(['a', 'b'], nb.zeros([2, 10]), { verbose: 0 }), { message: /fit: x is an array of 2 strings, but/ });
  await assert.rejects(image.evaluate(['a'], nb.zeros([1, 10])), { message: /evaluate: x is an array of 1 strings/ });
  assert.throws(() => image.predict(['a', 3] as unknown as string[]), { message: /predict: x mixes strings with other values \(element 1 is number\)/ });
  assert.throws(() => image.predict({} as nb.Tensor), { message: /predict: x must be a Tensor \(or an array of strings/ });
});
