// The text classifier recipes of nb.models: each learns a tiny sentiment set decided by words,
// takes strings, and comes back from save/loadModel predicting the same.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { syntheticSentiment } from './text-synthetic.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-text-recipes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const train = syntheticSentiment(320, 1);
const val = syntheticSentiment(80, 2);
const small = { classes: 2, texts: train.texts, maxTokens: 200, sequenceLength: 12, embeddingDim: 16 };

const recipes: [string, () => nb.Sequential, number][] = [
  ['textBagOfEmbeddings', () => nb.models.textBagOfEmbeddings(small), 0.05],
  ['textCNN', () => nb.models.textCNN({ ...small, filters: 8 }), 0.01],
  ['textRNN', () => nb.models.textRNN({ ...small, units: 8, cell: 'gru' }), 0.02],
  ['textTransformer', () => nb.models.textTransformer({ ...small, layers: 1, numHeads: 2, ffDim: 32 }), 0.005],
];

for (const [name, make, lr] of recipes) {
  test(`${name}: fits strings well above chance, and save/loadModel predicts the same`, async () => {
    nb.manualSeed(7);
    const model = make();
    assert.ok(model.layers[0] instanceof nb.layers.TextVectorization, 'first layer');
    model.compile({ optimizer: new nb.optim.Adam({ learningRate: lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const y = nb.tensor(train.labels, { dtype: 'int32' });
    await model.fit(train.texts, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const logs = await model.evaluate(val.texts, nb.tensor(val.labels, { dtype: 'int32' }));
    assert.ok(logs.accuracy! >= 0.85, `${name}: validation accuracy ${logs.accuracy}`);
    const path = join(dir, name);
    await model.save(path);
    const loaded = nb.loadModel(path);
    const probe = ['a good film', 'the plot was awful', 'never seen words here'];
    const expected = Array.from(model.predict(probe).data());
    Array.from(loaded.predict(probe).data()).forEach((v, i) => assert.ok(Math.abs(v - expected[i]!) < 1e-6, `${name}: prediction ${i}`));
  });
}

test('the recipes check their options', () => {
  assert.throws(() => nb.models.textCNN({ classes: 2 }), /textCNN: give either texts \(the training texts, to learn the vocabulary from\) or a vocabulary, not neither/);
  assert.throws(() => nb.models.textRNN({ classes: 1, texts: ['a'] }), /textRNN: classes must be/);
  assert.throws(() => nb.models.textRNN({ classes: 2, texts: ['a'], cell: 'rnn' as 'gru' }), /textRNN: cell must be 'lstm' or 'gru'/);
  assert.throws(() => nb.models.textBagOfEmbeddings({ classes: 2, texts: [] }), /textBagOfEmbeddings: texts must be a non-empty array of strings/);
  const fixed = nb.models.textBagOfEmbeddings({ classes: 3, vocabulary: ['good', 'bad'], embeddingDim: 4 });
  assert.deepEqual((fixed.layers[0] as InstanceType<typeof nb.layers.TextVectorization>).getVocabulary().slice(2, 4), ['good', 'bad']);
  assert.deepEqual(fixed.predict(['good bad', 'x']).shape, [2, 3]);
});
