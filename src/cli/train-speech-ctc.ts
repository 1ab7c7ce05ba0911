/**
 * `nabla train --model speech-ctc --data DIR`: connected-digit recognition with CTC. From a folder
 * of single-word clips (FSDD: `{digit}_{speaker}_{index}.wav`) it makes sequences of 1–7 clips with
 * silences and background noise (`nb.datasets.connectedDigits`), training sequences from the
 * training clips (fresh each epoch) and test sequences from the test clips (FSDD's own split:
 * indices 0–4), trains `nb.models.speechCTC`, prints the test error rate with greedy and beam
 * decoding, and saves the model; `nabla predict DIR a.wav …` then prints each file's transcription.
 */
import { join } from 'node:path';
import * as nb from '../index.js';
import { intOption, modelFlag, numberOption } from './args.js';
import { parseCommand, type CliCommand, type FlagValues } from './command.js';
import { wavFiles } from './speech-model.js';
import { warn } from '../tensor/warn.js';

/** Whether `nabla train ARGV` trains a CTC model (`--model speech-ctc`). */
export function isSpeechCtcTrain(argv: readonly string[]): boolean {
  return modelFlag(argv) === 'speech-ctc';
}

/** The flags of `nabla train --model speech-ctc`. */
export const SPEECH_CTC_FLAGS = {
  model: { type: 'string', value: 'speech-ctc', help: 'a CRNN (log-mels, two strided conv layers, a bidirectional GRU) trained with CTC on connected words' },
  data: { type: 'string', value: 'DIR', help: 'single-word WAV clips: flat files named {label}_{speaker}_{index}.wav (FSDD; index 0–4 is the test split) or a folder per class (required)' },
  'sample-rate': { type: 'string', value: 'HZ', help: 'the rate clips are resampled to and the model takes (default 8000)' },
  sequences: { type: 'string', value: 'N', help: 'training sequences made afresh each epoch (default 2400)' },
  'test-sequences': { type: 'string', value: 'N', help: 'test sequences made from the test clips (default 500)' },
  epochs: { type: 'string', value: 'N', help: 'epochs to train (default 8)' },
  'batch-size': { type: 'string', value: 'N', help: 'sequences per step (default 16)' },
  lr: { type: 'string', value: 'X', help: 'peak learning rate of Adam, after a warm-up, then a cosine decay (default 0.002)' },
  mels: { type: 'string', value: 'N', help: 'mel bands of the features (default 40)' },
  units: { type: 'string', value: 'N', help: 'units of each direction of the GRU (default 96)' },
  filters: { type: 'string', value: 'N,N', help: 'filters of the conv layers, each of stride 2 (default 96,96)' },
  'spec-augment': { type: 'string', value: 'F,T', help: 'widest SpecAugment frequency and time masks, two of each; 0,0 for none (default nMels/8,6)' },
  'max-minutes': { type: 'string', value: 'X', help: 'stop training after X minutes, the learning rate decayed by then (default: no limit)' },
  'beam-width': { type: 'string', value: 'N', help: 'labellings kept by the beam search of the test (default 10)' },
  seed: { type: 'string', value: 'N', help: 'seed of the sequences, the weights, the batches and augmentation (default 0)' },
  out: { type: 'string', value: 'DIR', help: 'where the model is written (default nabla-speech-ctc)' },
} as const;

/** `nabla train --model speech-ctc`. */
export const TRAIN_SPEECH_CTC_COMMAND: CliCommand<typeof SPEECH_CTC_FLAGS> = {
  name: 'train --model speech-ctc',
  summary: 'train a connected-digit recogniser (CRNN + CTC) on sequences made from single-word clips',
  synopsis: `  nabla train --model speech-ctc --data DIR [--sample-rate HZ] [--sequences N] [--test-sequences N]
              [--epochs N] [--batch-size N] [--lr X] [--mels N] [--units N] [--filters N,N] [--spec-augment F,T]
              [--max-minutes X] [--beam-width N] [--seed N] [--out DIR]`,
  flags: SPEECH_CTC_FLAGS,
  positionals: false,
  refused: {
    save: '--save was renamed --out (one flag for the output directory of every --model): nabla train --model speech-ctc --out DIR',
    resume: '--resume is for --model mlp|cnn: a speech-ctc run keeps no checkpoint between epochs yet',
  },
  notes: `Joins 1–7 clips per sequence with 0.05–0.3 s silences and white noise at 10–30 dB SNR. The test
clips are FSDD's (index 0–4 of {label}_{speaker}_{index}.wav), else a seeded tenth of the clips; no
test clip is in a training sequence. Prints each epoch's CTC loss, then the error rate on the test
sequences (edit distance ÷ reference length) with greedy and with beam-search decoding. nabla predict
DIR a.wav b.wav … (or a folder) prints path<TAB>transcription for each file.

example:
  nabla train --model speech-ctc --data ../shared/data/fsdd --out digits-ctc
  nabla predict digits-ctc phone-number.wav      # phone-number.wav<TAB>4155550123`,
};

/** A comma-separated list of `count` non-negative integers (a flag's value). */
function intList(value: string | undefined, flag: string, count: number | null): number[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(',').map((p) => Number(p.trim()));
  if (parts.some((n) => !Number.isInteger(n) || n < 0) || (count !== null && parts.length !== count) || parts.length === 0) {
    throw new nb.ValueError(`--${flag} must be ${count === null ? 'a comma-separated list of' : `${count} comma-separated`} non-negative integers, got '${value}'`);
  }
  return parts;
}

function settings(v: FlagValues<typeof SPEECH_CTC_FLAGS>) {
  if (v.data === undefined) throw new nb.ValueError('train --model speech-ctc: --data DIR is required (a folder of single-word WAV clips, e.g. FSDD: {digit}_{speaker}_{index}.wav)');
  const seed = v.seed === undefined ? 0 : Number(v.seed);
  if (v.seed !== undefined && (v.seed.trim() === '' || !Number.isInteger(seed) || seed < 0)) throw new nb.ValueError(`--seed must be a non-negative integer, got '${v.seed}'`);
  const filters = intList(v.filters, 'filters', null);
  if (filters?.includes(0)) throw new nb.ValueError(`--filters must be positive, got '${v.filters}'`);
  const sa = intList(v['spec-augment'], 'spec-augment', 2);
  return {
    data: v.data, seed, filters,
    specAugment: sa && { freqMaskParam: sa[0]!, timeMaskParam: sa[1]! },
    sampleRate: intOption(v['sample-rate'], 'sample-rate', 8000),
    sequences: intOption(v.sequences, 'sequences', 2400),
    testSequences: intOption(v['test-sequences'], 'test-sequences', 500),
    epochs: intOption(v.epochs, 'epochs', 8),
    batchSize: intOption(v['batch-size'], 'batch-size', 16),
    lr: numberOption(v.lr, 'lr', 2e-3),
    mels: intOption(v.mels, 'mels', 40),
    units: intOption(v.units, 'units', 96),
    beamWidth: intOption(v['beam-width'], 'beam-width', 10),
    maxMinutes: v['max-minutes'] === undefined ? undefined : numberOption(v['max-minutes'], 'max-minutes', 1),
  };
}

/** The test clips: FSDD's own split when the names follow it, else a seeded tenth. */
function splitClips(data: nb.datasets.AudioData, seed: number): { train: nb.datasets.AudioData; test: nb.datasets.AudioData; how: string } {
  try {
    return { ...nb.datasets.splitAudio(data, 'fsdd'), how: "FSDD's split (index 0–4)" };
  } catch (e) {
    if (!(e instanceof nb.ValueError)) throw e;
    const g = new nb.Generator(seed);
    return { ...nb.datasets.splitAudio(data, () => g.uniform() < 0.1), how: `a random tenth of the clips (seed ${seed})` };
  }
}

/** A transcription as printed: the class names run together when each is one character (digits), else spaced. */
export function transcriptionText(labels: readonly number[], classNames: readonly string[]): string {
  const names = labels.map((c) => classNames[c - 1] ?? String(c - 1));
  return names.join(classNames.every((n) => [...n].length === 1) ? '' : ' ');
}

/** Runs `nabla train --model speech-ctc`; returns the test error rates. */
export async function trainSpeechCtc(argv: string[]): Promise<{ greedy: number; beam: number }> {
  const { values } = parseCommand(TRAIN_SPEECH_CTC_COMMAND, argv);
  const s = settings(values);
  const out = values.out ?? 'nabla-speech-ctc';
  const clips = nb.datasets.audioFolder(s.data, { sampleRate: s.sampleRate });
  const { train, test, how } = splitClips(clips, s.seed);
  if (train.files.length === 0 || test.files.length === 0) {
    throw new nb.ValueError(`train --model speech-ctc: ${s.data} gives ${train.files.length} training and ${test.files.length} test clips (${how}); both are needed`);
  }
  console.log(`nabla train: ${s.data}, model speech-ctc, ${s.epochs} epochs of ${s.sequences} sequences, batch ${s.batchSize}, adam lr ${s.lr}, seed ${s.seed} (backend ${nb.backend().name})`);
  console.log(`data: ${train.files.length} training and ${test.files.length} test clips (${how}), ${clips.classNames.length} classes, ${s.sampleRate} Hz`);
  nb.manualSeed(s.seed);
  const model = nb.models.speechCTC({
    classes: clips.classNames.length, sampleRate: s.sampleRate, nMels: s.mels, units: s.units, seed: s.seed,
    ...(s.filters ? { filters: s.filters } : {}), ...(s.specAugment ? { specAugment: s.specAugment } : {}),
  });
  const make = (from: nb.datasets.AudioData, count: number, seed: number) => nb.datasets.connectedDigits(from, { count, seed });
  const { seconds } = nb.models.trainSpeechCTC(model, (epoch) => make(train, s.sequences, s.seed * 1000 + epoch), {
    epochs: s.epochs, batchSize: s.batchSize, learningRate: s.lr, seed: s.seed, log: console.log,
    ...(s.maxMinutes === undefined ? {} : { maxSeconds: 60 * s.maxMinutes }),
  });
  const testSeqs = make(test, s.testSequences, s.seed * 1000 + 999_983);
  const refs = (testSeqs.labels.toArray() as number[][]).map((row) => row.filter((c) => c > 0));
  const rate = (method: 'greedy' | 'beam') => nb.text.errorRate(refs, nb.models.transcribe(model, testSeqs.waveforms, testSeqs.lengths, { method, beamWidth: s.beamWidth }));
  const greedy = rate('greedy');
  const beam = rate('beam');
  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  console.log(`test error rate (edit distance / reference length, ${s.testSequences} sequences): greedy ${pct(greedy)}, beam ${pct(beam)} (width ${s.beamWidth})  (training took ${seconds.toFixed(1)} s)`);
  model.metadata = { classNames: [...clips.classNames], ctc: { data: s.data, sampleRate: s.sampleRate, testErrorRate: { greedy, beam } } };
  await model.save(out);
  console.log(`model saved to ${join(out, 'model.json')} and weights.safetensors`);
  return { greedy, beam };
}

/** Each WAV file (or every .wav in a folder) as `path<TAB>transcription`, read greedily by a CTC model. */
export function predictCtc(model: nb.models.SpeechCTC, dir: string, paths: readonly string[]): string[] {
  const names = model.metadata['classNames'];
  const classNames = Array.isArray(names) && names.every((n) => typeof n === 'string') ? (names as string[]) : Array.from({ length: model.classes }, (_, k) => String(k));
  return wavFiles(paths).map((path) => {
    if (!/\.wav$/i.test(path)) throw new nb.ValueError(`predict: '${path}' is not a .wav file; a speech-ctc model transcribes WAV clips`);
    const { waveform, sampleRate } = nb.audio.readWav(path);
    const mono = nb.mean(waveform, 0, true);   // [1, samples]: the channels mixed
    if (sampleRate !== model.sampleRate) warn(`predict: ${path} is ${sampleRate} Hz and the model takes ${model.sampleRate} Hz: resampled`);
    const x = sampleRate === model.sampleRate ? mono : nb.audio.resample(mono, sampleRate, model.sampleRate);
    if (x.shape[1] === 0) throw new nb.ValueError(`predict: ${path} holds no samples; give a clip with sound in it`);
    const [labels] = nb.models.transcribe(model, x);
    return `${path}\t${transcriptionText(labels!, classNames)}`;
  });
}
