// Connected spoken digits with CTC (issue 15, item 7): sequences of 1–7 FSDD digits joined with
// random 0.05–0.3 s gaps and white background noise at 10–30 dB SNR (nb.datasets.connectedDigits),
// training sequences from the training-split clips (a fresh set each epoch), 500 test sequences
// from the test-split clips (indices 0–4), which no training sequence contains. The model is
// nb.models.speechCTC's defaults at 8 kHz (40 log-mels, 10 ms hop, per-utterance normalisation,
// SpecAugment, two stride-2 conv layers, a BiGRU of 96 units, 11 outputs with the blank), trained
// with nb.losses.ctc (Adam 2e-3, warm-up and cosine decay, batch 16). Prints the digit error rate
// (edit distance ÷ reference length, summed over the test sequences), greedy and beam side by side.
// Training stops after maxMinutes (the learning rate decays with the clock, so the run ends annealed
// however loaded the machine is) or after the epochs, whichever comes first.
// Run: npx tsx examples/speech-connected-digits.ts [../shared/data/fsdd] [epochs=20] [perEpoch=2400] [maxMinutes=14]
import { performance } from 'node:perf_hooks';
import * as nb from '../src/index.js';

const dir = process.argv[2] ?? '../shared/data/fsdd';
const epochs = Number(process.argv[3] ?? 20);
const perEpoch = Number(process.argv[4] ?? 2400);
const maxMinutes = Number(process.argv[5] ?? 14);

nb.manualSeed(0);
const fsdd = nb.datasets.audioFolder(dir, { sampleRate: 8000 });
const { train, test } = nb.datasets.splitAudio(fsdd, 'fsdd');
const testSeqs = nb.datasets.connectedDigits(test, { count: 500, seed: 12345 });
console.log(`${train.files.length} training and ${test.files.length} test clips; ${perEpoch} fresh training sequences per epoch, 500 test sequences`);

const model = nb.models.speechCTC({ classes: fsdd.classNames.length, sampleRate: 8000, seed: 0 });
const t0 = performance.now();
const { steps, seconds } = nb.models.trainSpeechCTC(model, (epoch) => nb.datasets.connectedDigits(train, { count: perEpoch, seed: 1000 + epoch }), {
  epochs, batchSize: 16, learningRate: 2e-3, seed: 0, maxSeconds: maxMinutes * 60, log: console.log,
});
console.log(`trained ${steps} steps in ${seconds.toFixed(0)} s (${nb.backend().name} backend)`);

const refs = (testSeqs.labels.toArray() as number[][]).map((row) => row.filter((c) => c > 0));
for (const method of ['greedy', 'beam'] as const) {
  const t = performance.now();
  const hyps = nb.models.transcribe(model, testSeqs.waveforms, testSeqs.lengths, { method, beamWidth: 10 });
  const exact = hyps.filter((h, i) => h.join() === refs[i]!.join()).length;
  console.log(`${method.padEnd(6)} digit error rate ${(100 * nb.text.errorRate(refs, hyps)).toFixed(2)} %, sequences all right ${(100 * exact / refs.length).toFixed(1)} % (${((performance.now() - t) / 1000).toFixed(1)} s)`);
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(0)} s`);
