/**
 * Spoken digits (FSDD) with nb.models.speechClassifier and the defaults of
 * `nabla train --model speech` (each training clip also at 0.9× and 1.1× speed, SYNTHETIC
 * espeak-ng clips of each digit added to training, 16 epochs, batch 32, Adam 0.002 with a cosine
 * decay):
 * 1. the dataset's own split (indices 0–4 of each digit and speaker are test): test accuracy, and
 *    its confusion matrix written to docs/speech-fsdd-confusion.svg;
 * 2. leave-one-speaker-out: train on four speakers, test on the fifth, for each of the five.
 * Prints each accuracy and the time. Run: node --import tsx examples/speech-fsdd.ts [split|loso]
 * Variations for experiments, by environment: EPOCHS, SYNTHETIC (clips a digit), DURATION (frames
 * of the model's DurationNormalization; 0: off), SPEEDS (e.g. 0.85,1,1.15), SEED, DROPOUT.
 */
import { performance } from 'node:perf_hooks';
import * as nb from '../src/index.js';

const DATA = process.env.FSDD ?? '../shared/data/fsdd';
const which = process.argv[2] ?? 'both';
const EPOCHS = Number(process.env.EPOCHS ?? 16);
const SYNTHETIC = Number(process.env.SYNTHETIC ?? 200);   // per digit; 0: none
const DURATION = process.env.DURATION;   // frames of DurationNormalization; 0: off (default: the recipe's)
const SPEEDS = (process.env.SPEEDS ?? '0.9,1,1.1').split(',').map(Number);   // each training clip also at these speeds
const SEED = Number(process.env.SEED ?? 0);   // the model's initialisation and the batches' order
const DROPOUT = process.env.DROPOUT;   // before the output layer (default: the recipe's)

async function trainAndTest(real: nb.datasets.AudioData, test: nb.datasets.AudioData, seed = 0): Promise<{ accuracy: number; model: nb.Sequential; seconds: number }> {
  const t = performance.now();
  const perturbed = nb.datasets.speedPerturb(real, SPEEDS);
  const train = synth === null ? perturbed : nb.datasets.concatAudio([perturbed, synth]);
  nb.manualSeed(seed);
  const model = nb.models.speechClassifier({ classes: train.classNames.length, sampleRate: train.sampleRate, samples: train.waveforms.shape[1]!, ...(DURATION === undefined ? {} : { durationFrames: DURATION === '0' ? null : Number(DURATION) }), ...(DROPOUT === undefined ? {} : { dropout: Number(DROPOUT) }) });
  const batchSize = 32;
  const steps = EPOCHS * Math.ceil(train.files.length / batchSize);
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: nb.optim.cosineDecay({ initialLearningRate: 2e-3, decaySteps: steps }) }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await model.fit(train.waveforms, train.labels, { epochs: EPOCHS, batchSize, seed, verbose: 0 });
  const result = await model.evaluate(test.waveforms, test.labels, { batchSize: 256 });
  return { accuracy: result['accuracy']!, model, seconds: (performance.now() - t) / 1000 };
}

const t0 = performance.now();
const fsdd = nb.datasets.audioFolder(DATA, { sampleRate: 8000, duration: 1 });
console.log(`FSDD: ${fsdd.files.length} clips, ${new Set(fsdd.speakers).size} speakers, read in ${((performance.now() - t0) / 1000).toFixed(1)} s (backend ${nb.backend().name})`);
const t2 = performance.now();
const synth = SYNTHETIC === 0 ? null : await nb.datasets.synthesizedSpeech({ classNames: fsdd.classNames, sampleRate: 8000, duration: 1, perWord: SYNTHETIC, seed: 0 });
if (synth !== null) console.log(`${synth.files.length} synthetic clips from espeak-ng in ${((performance.now() - t2) / 1000).toFixed(1)} s`);

if (which === 'both' || which === 'split') {
  const { train, test } = nb.datasets.splitAudio(fsdd, 'fsdd');
  const { accuracy, model, seconds } = await trainAndTest(train, test, SEED);
  console.log(`FSDD split: ${train.files.length} train, ${test.files.length} test clips: test accuracy ${(100 * accuracy).toFixed(2)} % (${seconds.toFixed(0)} s)`);
  nb.plot.confusionMatrix(test.labels, model.predict(test.waveforms), 'docs/speech-fsdd-confusion.svg', { classNames: test.classNames, title: 'FSDD test split (indices 0–4)' });
}

if (which === 'both' || which === 'loso') {
  const t1 = performance.now();
  const accs: number[] = [];
  for (const speaker of [...new Set(fsdd.speakers)].sort()) {
    const { train, test } = nb.datasets.splitAudio(fsdd, { speakers: [speaker] });
    const { accuracy, seconds } = await trainAndTest(train, test, SEED);
    accs.push(accuracy);
    console.log(`leave out ${speaker}: ${(100 * accuracy).toFixed(2)} % (${seconds.toFixed(0)} s)`);
  }
  const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
  console.log(`leave-one-speaker-out mean: ${(100 * mean).toFixed(2)} % (${((performance.now() - t1) / 60000).toFixed(1)} min)`);
}
console.log(`total ${((performance.now() - t0) / 60000).toFixed(1)} min`);
