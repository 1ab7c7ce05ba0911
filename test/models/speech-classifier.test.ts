/**
 * nb.models.speechClassifier: learns tones of different pitch in seconds, its front end is in the
 * model (a saved model takes waveforms and predicts the same after loading), augmentation only in
 * training, and its options are checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { toneClips } from './speech-synthetic.js';

const accuracy = (probs: nb.Tensor, labels: nb.Tensor) => {
  const rows = probs.toArray() as number[][];
  const y = labels.data();
  return rows.filter((r, i) => r.indexOf(Math.max(...r)) === y[i]).length / rows.length;
};

test('speechClassifier learns tones of three pitches, and a saved model predicts the same on waveforms', async () => {
  nb.manualSeed(0);
  const train = toneClips(24, 1);
  const test = toneClips(10, 2);
  const model = nb.models.speechClassifier({ classes: 3, sampleRate: 8000, samples: 2000, filters: [8, 16], noise: { snrDb: [20, 40] }, specAugment: true, seed: 3 });
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: 3e-3 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.waveforms, train.labels, { epochs: 8, batchSize: 12, seed: 0, verbose: 0 });
  const probs = model.predict(test.waveforms);
  const acc = accuracy(probs, test.labels);
  assert.ok(acc >= 0.9, `test accuracy ${acc}`);
  const names = model.layers.map((l) => l.constructor.name);
  assert.deepEqual(names.slice(0, 5), ['AddNoise', 'MelSpectrogram', 'DurationNormalization', 'UtteranceNormalization', 'SpecAugment']);

  const dir = mkdtempSync(join(tmpdir(), 'nabla-speech-'));
  try {
    await model.save(dir);
    const loaded = nb.loadModel(dir);
    const again = loaded.predict(test.waveforms);
    assert.deepEqual(Array.from(again.data()), Array.from(probs.data()), 'same probabilities after save/load');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('speechClassifier: augmentation only in training, and checked options', () => {
  const m = nb.models.speechClassifier({ classes: 2, sampleRate: 8000, samples: 800, filters: [4], noise: true, specAugment: true, seed: 1 });
  const x = toneClips(2, 5, 8000, 800).waveforms.slice([[0, 2]]);
  assert.deepEqual(m.predict(x).toArray(), m.predict(x).toArray(), 'inference is deterministic');
  assert.throws(() => nb.models.speechClassifier({ classes: 1, sampleRate: 8000 }), /speechClassifier: classes must be .*≥ 2|classes must be an integer/);
  assert.throws(() => nb.models.speechClassifier({ classes: 3, sampleRate: 8000, filters: [] }), /filters must be a non-empty array/);
  assert.throws(() => nb.models.speechClassifier({ classes: 3, sampleRate: 8000, dropout: 1 }), /dropout/);
  const plain = nb.models.speechClassifier({ classes: 2, sampleRate: 8000 });
  assert.deepEqual(plain.layers.slice(0, 4).map((l) => l.constructor.name), ['MelSpectrogram', 'DurationNormalization', 'UtteranceNormalization', 'Reshape']);
  assert.deepEqual((plain.layers[3] as nb.layers.Reshape).targetShape, [20, 32, 1], 'every clip stretched to 32 frames');
  const all = nb.models.speechClassifier({ classes: 2, sampleRate: 8000, normalization: 'all' });
  assert.equal(all.layers[2]!.constructor.name, 'LayerNormalization');
  // durationFrames: null keeps the clip's own 63 frames (1 s at a 16 ms hop), the recipe before
  const kept = nb.models.speechClassifier({ classes: 2, sampleRate: 8000, durationFrames: null });
  assert.deepEqual(kept.layers.slice(0, 3).map((l) => l.constructor.name), ['MelSpectrogram', 'UtteranceNormalization', 'Reshape']);
  assert.deepEqual((kept.layers[2] as nb.layers.Reshape).targetShape, [20, 63, 1]);
  assert.throws(() => nb.models.speechClassifier({ classes: 2, sampleRate: 8000, durationFrames: 0 }), /durationFrames/);
  assert.throws(() => nb.models.speechClassifier({ classes: 2, sampleRate: 8000, normalization: 'speech' as never }), /normalization must be 'sounding' or 'all', got "speech"/);
});
