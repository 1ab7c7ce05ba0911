// nb.models.speechCTC (a CRNN read with CTC) and its loop: padding changes no logits, it learns
// tone sequences to a low error in seconds, and comes back from save/loadModel the same; the edit
// distance and error rate by hand.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../../src/index.js';
import { toneClips } from './speech-tones.js';

const dir = mkdtempSync(join(tmpdir(), 'nabla-speech-ctc-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const small = { classes: 3, sampleRate: 4000, nMels: 16, nFft: 128, winLength: 100, hopLength: 40, filters: [16], strides: [2], units: 16, dropout: 0 };

test('editDistance and errorRate by hand', () => {
  assert.equal(nb.text.editDistance([], []), 0);
  assert.equal(nb.text.editDistance([1, 2, 3], []), 3);
  assert.equal(nb.text.editDistance([], [4, 4]), 2);
  assert.equal(nb.text.editDistance([1, 2, 3], [1, 3, 3, 4]), 2);   // 2 → 3, then insert 4
  assert.equal(nb.text.editDistance([...'kitten'], [...'sitting']), 3);
  assert.equal(nb.text.editDistance([5, 5, 5], [5]), 2);
  // (0 + 1 + 2) edits over (2 + 1 + 3) reference labels
  assert.equal(nb.text.errorRate([[1, 2], [3], [1, 2, 3]], [[1, 2], [4], [3]]), 3 / 6);
  assert.equal(nb.text.errorRate([[1]], [[2, 3, 4]]), 3, 'insertions count: the rate may pass 1');
  assert.throws(() => nb.text.errorRate([[1]], []), /1 references but 0 hypotheses/);
  assert.throws(() => nb.text.errorRate([[]], [[1]]), /the references are all empty/);
});

test('output lengths, and the same logits for a sequence alone as in a padded batch', () => {
  nb.manualSeed(1);
  const model = nb.models.speechCTC(small);
  assert.equal(model.outputLength(4000), Math.ceil((Math.floor((4000 - 128) / 40) + 1) / 2));
  assert.equal(model.outputLength(50), 1, 'a clip shorter than nFft is padded to it');
  const seqs = nb.datasets.connectedDigits(toneClips(4, 1), { count: 3, minDigits: 1, maxDigits: 4, seed: 2 });
  const { logits, logitLengths } = model.forwardWithLengths(seqs.waveforms, seqs.lengths);
  assert.deepEqual(logitLengths, model.outputLengths(seqs.lengths));
  assert.deepEqual(logits.shape, [3, Math.max(...logitLengths), 4]);
  const lens = seqs.lengths.toArray() as number[];
  lens.forEach((n, b) => {
    const alone = model.apply(seqs.waveforms.slice([[b, b + 1], [0, n]]));
    assert.deepEqual(alone.shape, [1, logitLengths[b], 4]);
    const padded = logits.slice([[b, b + 1], [0, logitLengths[b]!]]);
    const diff = nb.max(nb.abs(nb.sub(alone, padded))).item();
    assert.ok(diff < 1e-4, `sequence ${b}: alone and padded differ by ${diff}`);
  });
  assert.throws(() => model.forwardWithLengths(seqs.waveforms, [1, 2]), /lengths must be 3 whole numbers of samples in \[1, \d+\], one per waveform, got \[1,2\]/);
  assert.throws(() => model.apply(nb.zeros([4000])), /expects waveforms \[batch, samples\], got \[4000\]/);
  assert.throws(() => nb.models.speechCTC({ classes: 0, sampleRate: 8000 }), /speechCTC: classes must be a positive integer, got 0/);
  assert.throws(() => nb.models.speechCTC({ classes: 10, sampleRate: 8000, filters: [8, 8], strides: [2] }), /speechCTC: strides must be/);
});

test('learns tone sequences (1–4 tones, noise at 15–30 dB) to a low error in seconds; greedy and beam agree; save/loadModel reads the same', async () => {
  nb.manualSeed(3);
  const model = nb.models.speechCTC({ ...small, seed: 0, specAugment: { freqMaskParam: 0, timeMaskParam: 0 } });
  const clips = toneClips(20, 5);
  const make = (seed: number, count: number) => nb.datasets.connectedDigits(clips, { count, maxDigits: 4, gapSeconds: [0.03, 0.1], noiseSnrDb: [15, 30], seed });
  const { losses } = nb.models.trainSpeechCTC(model, (epoch) => make(100 + epoch, 96), { epochs: 25, batchSize: 8, learningRate: 2e-2, warmupSteps: 5 });
  assert.ok(losses.at(-1)! < losses[0]! / 10, `losses ${losses.map((l) => l.toFixed(3)).join(', ')}`);
  const test = make(999, 40);
  const refs = (test.labels.toArray() as number[][]).map((r) => r.filter((c) => c > 0));
  const greedy = nb.models.transcribe(model, test.waveforms, test.lengths);
  const beam = nb.models.transcribe(model, test.waveforms, test.lengths, { method: 'beam', beamWidth: 4 });
  const rate = nb.text.errorRate(refs, greedy);
  assert.ok(rate < 0.15, `greedy error rate ${rate}`);
  assert.ok(nb.text.errorRate(refs, beam) < 0.15, `beam error rate ${nb.text.errorRate(refs, beam)}`);

  await model.save(join(dir, 'm'));
  const loaded = nb.loadModel(join(dir, 'm'));
  assert.ok(loaded instanceof nb.models.SpeechCTC);
  assert.deepEqual(loaded.getConfig(), model.getConfig());
  assert.deepEqual(nb.models.transcribe(loaded, test.waveforms, test.lengths), greedy);
  const x = test.waveforms.slice([[0, 2]]);
  assert.ok(nb.max(nb.abs(nb.sub(loaded.apply(x), model.apply(x)))).item() < 1e-6);
});
