/**
 * `nabla train --model speech --data DIR`: trains the spoken-word classifier of
 * `nb.models.speechClassifier` on a folder of labelled WAV clips (`nb.datasets.audioFolder`: a
 * folder per class, or flat `{label}_{speaker}_….wav` files as FSDD names them), holds out whole
 * speakers for validation when the file names give speakers (so the validation accuracy predicts
 * an unseen voice), and saves the model — which takes waveforms — with its class names, sample
 * rate and clip length for `nabla evaluate` and `nabla predict`.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as nb from '../index.js';
import { intOption, numberOption } from './args.js';
import { parseCommand, type CliCommand, type FlagValues } from './command.js';
import { formatResults } from './format.js';
import { warn } from '../tensor/warn.js';
import { isSpeedFactor } from '../data/datasets/speed-perturb.js';
import { firstWavRate, speechTrainedOnMetadata } from './speech-model.js';

/** Whether `nabla train ARGV` trains a speech classifier (`--model speech`). */
export function isSpeechTrain(argv: readonly string[]): boolean {
  const model = argv.find((a, i) => a.startsWith('--model=') || (i > 0 && argv[i - 1] === '--model'));
  return model?.replace(/^--model=/, '') === 'speech';
}

/** Synthetic clips per class by default (`--synthetic`). */
export const SYNTHETIC_DEFAULT = 200;

/** The flags of `nabla train --model speech`. */
export const SPEECH_FLAGS = {
  model: { type: 'string', value: 'speech', help: 'speech: log-mel features (20 bands), per-utterance normalisation, a small CNN' },
  data: { type: 'string', value: 'DIR', help: 'labelled WAV clips: a folder per class, or flat files named {label}_{speaker}_….wav (required)' },
  'sample-rate': { type: 'string', value: 'HZ', help: 'the rate clips are resampled to and the model takes (default: the rate of the first clip)' },
  duration: { type: 'string', value: 'S', help: 'seconds per clip: longer clips are cut, shorter padded with silence (default 1)' },
  validation: { type: 'string', value: 'X', help: 'fraction of the speakers held out for validation, chosen with --seed (default 0.2; at least one speaker)' },
  synthetic: { type: 'string', value: 'N', help: `synthetic clips per class spoken by espeak-ng's voices, added to training only (default ${SYNTHETIC_DEFAULT} when espeak-ng is installed and every class is a digit or a word; 0: none)` },
  'speed-perturb': { type: 'string', value: 'F,…', help: 'speeds each training clip is also played at, resampled (default 0.9,1,1.1: three times the clips; 1: none)' },
  epochs: { type: 'string', value: 'N', help: 'epochs to train (default 16)' },
  'batch-size': { type: 'string', value: 'N', help: 'clips per step (default 32)' },
  lr: { type: 'string', value: 'X', help: 'peak learning rate of Adam, decayed to 0 by a cosine (default 0.002)' },
  seed: { type: 'string', value: 'N', help: 'seed of the validation split, the weights, shuffling and augmentation (default 0)' },
  out: { type: 'string', value: 'DIR', help: 'where the model and history.json are written (default nabla-speech-model)' },
} as const;

/** `nabla train --model speech`. */
export const TRAIN_SPEECH_COMMAND: CliCommand<typeof SPEECH_FLAGS> = {
  name: 'train --model speech',
  summary: 'train a spoken-word classifier on a folder of WAV clips and save it',
  synopsis: `  nabla train --model speech --data DIR [--sample-rate HZ] [--duration S] [--validation 0.2]
              [--synthetic N] [--speed-perturb 0.9,1,1.1] [--epochs N] [--batch-size N] [--lr X] [--seed N] [--out DIR]`,
  flags: SPEECH_FLAGS,
  positionals: false,
  refused: {
    save: '--save was renamed --out (one flag for the output directory of every --model): nabla train --model speech --out DIR',
    resume: '--resume is for --model mlp|cnn: a speech run keeps no checkpoint between epochs yet',
  },
  notes: `Holds out --validation of the speakers (the second part of FSDD's {digit}_{speaker}_{index}.wav,
the first part of a file's name in a class folder; random clips when every name is its own speaker),
trains with a cosine learning rate, keeps the last epoch's weights and prints the validation accuracy:
a measure of how the model does on a voice it has not heard. --validation 0 trains on every clip.
The training clips are joined by --synthetic clips of each class's word (the digits 0-9 said as
words) in espeak-ng's voices at random speeds and pitches (nb.datasets.synthesizedSpeech): more
voices than the data has, for a model that must hear new ones. Without espeak-ng (apt-get install
espeak-ng) training goes on with the real clips only, with a warning; --synthetic 0 turns it off,
and is what clips that are not their class's name spoken (a dog's bark in 'dog') need.
Each real training clip is also played at the --speed-perturb speeds (nb.datasets.speedPerturb:
0.9 is slower and lower, as a longer vocal tract).
The model (nb.models.speechClassifier) stretches each clip's word — the frames within 40 dB of its
loudest — to 32 frames, so a slow voice, a fast one and a recording with room noise before the
word line up alike (nb.layers.DurationNormalization), then normalises each mel band per clip.
DIR/model.json records the class names, sample rate and clip length, so nabla evaluate DIR --data DIR2
and nabla predict DIR a.wav b.wav … take WAV files (a clip at another rate is resampled, with a note).

example:
  nabla train --model speech --data ../shared/data/fsdd --out digits`,
};

interface SpeechSettings {
  data: string;
  sampleRate: number | null;
  duration: number;
  validation: number;
  /** Clips per class, or null: the default (on when it can be). */
  synthetic: number | null;
  speeds: number[];
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
}

function settings(v: FlagValues<typeof SPEECH_FLAGS>): SpeechSettings {
  if (v.data === undefined) throw new nb.ValueError('train --model speech: --data DIR is required (a folder of WAV clips: one sub-folder per class, or files named {label}_….wav)');
  const seed = v.seed === undefined ? 0 : Number(v.seed);
  if (v.seed !== undefined && (v.seed.trim() === '' || !Number.isInteger(seed) || seed < 0)) throw new nb.ValueError(`--seed must be a non-negative integer, got '${v.seed}'`);
  const synthetic = v.synthetic === undefined ? null : Number(v.synthetic);
  if (v.synthetic !== undefined && (v.synthetic.trim() === '' || !Number.isInteger(synthetic) || synthetic! < 0)) throw new nb.ValueError(`--synthetic must be a whole number of clips per class (0 for none), got '${v.synthetic}'`);
  const validation = v.validation === undefined ? 0.2 : Number(v.validation);
  if (!(validation >= 0 && validation < 1)) throw new nb.ValueError(`--validation must be a fraction in [0, 1), got '${v.validation}'`);
  return {
    data: v.data, seed, validation, synthetic, speeds: speedList(v['speed-perturb']),
    sampleRate: v['sample-rate'] === undefined ? null : intOption(v['sample-rate'], 'sample-rate', 0),
    duration: numberOption(v.duration, 'duration', 1),
    epochs: intOption(v.epochs, 'epochs', 16),
    batchSize: intOption(v['batch-size'], 'batch-size', 32),
    lr: numberOption(v.lr, 'lr', 2e-3),
  };
}

/** The --speed-perturb list: comma-separated speeds, each a multiple of 0.01 in [0.5, 2]. */
function speedList(value: string | undefined): number[] {
  if (value === undefined) return [0.9, 1, 1.1];
  const speeds = value.split(',').map((p) => (p.trim() === '' ? NaN : Number(p)));
  if (!speeds.every(isSpeedFactor)) {
    throw new nb.ValueError(`--speed-perturb must be comma-separated speeds, multiples of 0.01 in [0.5, 2] (0.9,1,1.1; 1 for none), got '${value}'`);
  }
  return speeds;
}

/** The speakers held out: a seeded `fraction` of them (at least one, never all); none when there is one speaker or fraction is 0. */
export function validationSpeakers(speakers: readonly string[], fraction: number, seed: number): string[] {
  const unique = [...new Set(speakers)].sort();
  if (fraction === 0 || unique.length < 2) return [];
  const g = new nb.Generator(seed);
  for (let i = unique.length - 1; i > 0; i--) {
    const j = Math.floor(g.uniform() * (i + 1));
    [unique[i], unique[j]] = [unique[j]!, unique[i]!];
  }
  return unique.slice(0, Math.min(unique.length - 1, Math.max(1, Math.round(fraction * unique.length))));
}

/** Whether the espeak-ng program runs here. */
function hasEspeak(): boolean {
  return spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The synthetic clips per class to add: the number asked for (an error when they cannot be made),
 * or by default {@link SYNTHETIC_DEFAULT} when espeak-ng runs and every class has a word, else 0
 * with a warning that says why.
 */
function syntheticPerClass(asked: number | null, classNames: readonly string[]): number {
  const unspoken = classNames.filter((c) => nb.datasets.spokenWord(c) === null);
  if (asked !== null) {
    if (asked > 0 && unspoken.length > 0) throw new nb.ValueError(`--synthetic: no word to say for the classes ${unspoken.map((c) => `'${c}'`).join(', ')} (a class must be a digit 0-9 or a word of letters); pass --synthetic 0`);
    return asked;
  }
  if (unspoken.length > 0) {
    warn(`train --model speech: no synthetic clips (the classes ${unspoken.map((c) => `'${c}'`).join(', ')} are not words espeak-ng can say); training on the real clips only`);
    return 0;
  }
  if (!hasEspeak()) {
    warn('train --model speech: espeak-ng is not installed, so training uses the real clips only; the synthetic voices it adds make the model better on unseen speakers (install it: apt-get install espeak-ng; --synthetic 0 silences this)');
    return 0;
  }
  return SYNTHETIC_DEFAULT;
}

/** Runs `nabla train --model speech`; returns the validation loss and accuracy (empty with --validation 0). */
export async function trainSpeech(argv: string[]): Promise<Record<string, number>> {
  const { values } = parseCommand(TRAIN_SPEECH_COMMAND, argv);
  const s = settings(values);
  const out = values.out ?? 'nabla-speech-model';
  const sampleRate = s.sampleRate ?? firstWavRate(s.data) ?? 16000;
  const data = nb.datasets.audioFolder(s.data, { sampleRate, duration: s.duration });
  const held = validationSpeakers(data.speakers, s.validation, s.seed);
  const split = held.length > 0 ? nb.datasets.splitAudio(data, { speakers: held }) : { train: data, test: null };
  const val = split.test;
  const perClass = syntheticPerClass(s.synthetic, data.classNames);
  const synth = perClass === 0 ? null : await nb.datasets.synthesizedSpeech({ classNames: data.classNames, sampleRate, duration: s.duration, perWord: perClass, seed: s.seed });
  const real = s.speeds.length === 1 && s.speeds[0] === 1 ? split.train : nb.datasets.speedPerturb(split.train, s.speeds);
  const train = synth === null ? real : nb.datasets.concatAudio([real, synth]);
  const samples = data.waveforms.shape[1]!;
  console.log(`nabla train: ${s.data}, model speech, ${s.epochs} epochs, batch ${s.batchSize}, adam lr ${s.lr} (cosine), seed ${s.seed} (backend ${nb.backend().name})`);
  const valText = val === null ? 'no validation' : `${val.files.length} validation clips (speakers ${held.join(', ')})`;
  const speedText = real === split.train ? '' : ` × ${s.speeds.length} speeds`;
  const synthText = synth === null && speedText === '' ? '' : ` (${split.train.files.length} real${speedText}${synth === null ? '' : `, ${synth.files.length} synthetic from espeak-ng`})`;
  console.log(`data: ${train.files.length} training clips${synthText} and ${valText}, ${data.classNames.length} classes, ${sampleRate} Hz, ${s.duration} s each`);
  nb.manualSeed(s.seed);
  const model = nb.models.speechClassifier({ classes: data.classNames.length, sampleRate, samples });
  const steps = s.epochs * Math.ceil(train.files.length / s.batchSize);
  const lr = nb.optim.cosineDecay({ initialLearningRate: s.lr, decaySteps: steps });
  model.compile({ optimizer: new nb.optim.Adam({ learningRate: lr }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const t0 = performance.now();
  const history = await model.fit(train.waveforms, train.labels, {
    epochs: s.epochs, batchSize: s.batchSize, seed: s.seed, ...(val === null ? {} : { validationData: [val.waveforms, val.labels] as [nb.Tensor, nb.Tensor] }),
  });
  const seconds = (performance.now() - t0) / 1000;
  let result: Record<string, number> = {};
  if (val !== null) {
    result = await model.evaluate(val.waveforms, val.labels, { batchSize: 256 });
    console.log(`${formatResults(result, 'validation ')}  (unseen speakers ${held.join(', ')}; training took ${seconds.toFixed(1)} s)`);
  } else {
    console.log(`training took ${seconds.toFixed(1)} s`);
  }
  model.metadata = speechTrainedOnMetadata(s.data, data.classNames, { sampleRate, samples }, { synthetic: perClass, speeds: s.speeds });
  await model.save(out);
  nb.io.writeFileAtomic(join(out, 'history.json'), JSON.stringify(history) + '\n');
  console.log(`model saved to ${out}/ (model.json with the class names and sample rate, weights.safetensors, history.json)`);
  return result;
}
