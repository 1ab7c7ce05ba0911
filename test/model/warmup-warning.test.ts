// A learning-rate warm-up longer than the run never reaches its rate: fit and the language-model
// loop know how many steps they will take, and say so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nb from '../../src/index.js';
import { CharCorpus } from '../../src/data/text/char-corpus.js';
import { GPT } from '../../src/models/gpt.js';
import { trainLanguageModel } from '../../src/models/gpt-train.js';
import { mlp, quiet, toyData, captureWarnings } from './helpers.js';


const warmup = (steps: number) => nb.optim.cosineDecay({ initialLearningRate: 0, warmupTarget: 0.01, warmupSteps: steps, decaySteps: 100 });

test('warmupOf reads the warm-up of a schedule: steps and target, null without one or for a plain function', () => {
  assert.deepEqual(nb.optim.warmupOf(warmup(100)), { steps: 100, target: 0.01 });
  assert.equal(nb.optim.warmupOf(nb.optim.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10 })), null);
  assert.equal(nb.optim.warmupOf(nb.optim.constant(0.1)), null);
  assert.equal(nb.optim.warmupOf((step: number) => Math.min(1, step / 10)), null);
});

test('fit warns when the schedule warms up for longer than the epochs it will run, with the numbers', async (t) => {
  const warnings = captureWarnings(t);
  const { x, y } = toyData(64);
  nb.manualSeed(0);
  const model = mlp();
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: warmup(100) }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 32, stream: quiet });
  assert.deepEqual(warnings, [
    'nabla: fit: the learning-rate warm-up lasts 100 steps but this run takes 6 (3 epochs × 2 batches): its last step runs at 0.0005 and the rate ' +
      'never reaches its warmupTarget 0.01. Shorten warmupSteps (e.g. to a tenth of the run) or train for more epochs',
  ]);
  assert.equal(model.optimizer!.iterations, 6);
});

test('no warning when the warm-up fits in the run, counting the steps an optimizer has already taken', async (t) => {
  const warnings = captureWarnings(t);
  const { x, y } = toyData(64);
  nb.manualSeed(0);
  const model = mlp();
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: warmup(6) }), loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 32, stream: quiet });
  // a second fit continues the schedule at step 10, past the warm-up of 10: its 4 steps are fine
  const again = mlp();
  again.compile({ optimizer: new nb.optim.Adam({ learningRate: warmup(10) }), loss: 'sparseCategoricalCrossentropy' });
  await again.fit(x, y, { epochs: 5, batchSize: 32, stream: quiet });
  await again.fit(x, y, { epochs: 2, batchSize: 32, stream: quiet });
  assert.equal(again.optimizer!.iterations, 14);
  assert.deepEqual(warnings, []);
});

test('trainLanguageModel warns when warmupIters exceeds iters instead of cutting it silently', (t) => {
  const warnings = captureWarnings(t);
  const corpus = new CharCorpus('to be or not to be, that is the question. '.repeat(20));
  const run = (warmupIters: number) => {
    nb.manualSeed(0);
    const model = new GPT({ vocabSize: corpus.tokenizer.vocabSize, contextLength: 8, numLayers: 1, numHeads: 1, embedDim: 8 });
    trainLanguageModel(model, corpus, { iters: 4, batchSize: 2, warmupIters, evalInterval: 100, evalIters: 1, finalEvalIters: 1 });
  };
  run(4);
  assert.deepEqual(warnings, []);
  run(100);
  assert.deepEqual(warnings, [
    'nabla: trainLanguageModel: the warm-up (100 iterations) is longer than the run (4 iterations); it is cut to 4, so the learning rate ' +
      'climbs for the whole run and never decays. Pass warmupIters below iters (nabla train --model gpt: --warmup below --iters)',
  ]);
});
