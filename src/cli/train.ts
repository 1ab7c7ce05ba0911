/**
 * `nabla train` (`--model mlp|cnn`): trains a classifier on 28×28 gray images (MNIST digits or
 * Fashion-MNIST), keeps the weights of its best validation epoch, tests it and saves it to
 * `--out DIR` with what it was trained on. A checkpoint of every finished epoch is kept under
 * `DIR/checkpoint` while it runs, so that Ctrl-C or a crash loses at most one epoch and
 * `--resume` continues the run.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import * as nb from '../index.js';
import { loadWeights } from '../model/save.js';
import { intOption, numberOption } from './args.js';
import { classifierModel, MODELS } from './cnn.js';
import { parseCommand, type CliCommand, type FlagValues } from './command.js';
import { DATASETS, loadNamedData } from './data.js';
import { formatResults, percent } from './format.js';
import { InterruptOnSigint } from './interrupt.js';
import { MNIST_PREPROCESSING, trainedOnMetadata } from './trained-on.js';
import { RecordRun, RunFiles, type RunSettings } from './train-run.js';
import { GPT_FLAGS } from './train-gpt.js';
import { TEXT_MODELS } from './train-text.js';

/** The data set `nabla train` uses when `--data` is left out. */
export const DEFAULT_DATASET = 'mnist';

const FLAGS = {
  model: { type: 'string', value: 'mlp|cnn|dp-cnn|gpt', help: 'mlp: 784-256-128-10 (default); cnn: two conv blocks with batch norm and pooling, dropout, one dense layer; dp-cnn: the tanh CNN of private training (the default with --dp; no batch norm); gpt: a character GPT on a text file (see nabla train --model gpt --help); text, text-cnn, text-lstm, text-transformer, text-bow: text classifiers on a labelled TSV/CSV (see nabla train --model text --help); speech: a spoken-word classifier on a folder of WAV clips (see nabla train --model speech --help); speech-ctc: a connected-digit recogniser trained with CTC (see nabla train --model speech-ctc --help)' },
  data: { type: 'string', value: DATASETS.join('|'), help: `the data set (default ${DEFAULT_DATASET})` },
  'data-dir': { type: 'string', value: 'DIR', help: 'directory of the Fashion-MNIST IDX files (default: where the dataset-fashion-mnist package puts them)' },
  epochs: { type: 'string', value: 'N', help: 'epochs to train (default 5 on mnist, 10 on fashion-mnist)' },
  'batch-size': { type: 'string', value: 'N', help: 'samples per step (default 128 for mlp, 64 for cnn)' },
  lr: { type: 'string', value: 'X', help: 'learning rate (default 0.001)' },
  optimizer: { type: 'string', value: 'NAME', help: 'adam (default), sgd, adamw, rmsprop or adagrad' },
  'lr-schedule': { type: 'string', value: 'constant|cosine', help: 'constant (default), or cosine: decay to 0 over the whole run' },
  seed: { type: 'string', value: 'N', help: 'seed of the weights, the shuffling and dropout (default 0)' },
  limit: { type: 'string', value: 'N', help: 'train on the first N training samples only (quick runs)' },
  'keep-last': { type: 'boolean', help: "keep the last epoch's weights (default: those of the epoch with the best validation accuracy)" },
  out: { type: 'string', value: 'DIR', help: 'where the model, history.json and, while training, checkpoint/ are written (default nabla-model)' },
  resume: { type: 'boolean', help: 'continue the run that was interrupted in --out DIR from its last finished epoch' },
  dp: { type: 'boolean', help: 'train with differential privacy (DP-SGD): the private recipe — model dp-cnn, 40 epochs, batch 2048 (Poisson-sampled), SGD lr 4 with momentum 0.9, each example\'s gradient clipped to 0.12, noise for --target-epsilon; all training samples, no validation split, the last epoch kept; prints the ε spent' },
  'target-epsilon': { type: 'string', value: 'E', help: 'with --dp: the ε to spend by the end (default 3); the noise is computed for it' },
  delta: { type: 'string', value: 'D', help: 'with --dp: δ of (ε, δ)-privacy, below 1/(training samples) (default 1e-5)' },
  'noise-multiplier': { type: 'string', value: 'S', help: 'with --dp: the noise (over --max-grad-norm) instead of --target-epsilon' },
  'max-grad-norm': { type: 'string', value: 'C', help: 'with --dp: the bound on each example\'s gradient norm (default 0.12)' },
} as const;

/** Flags of `--model gpt` that mlp/cnn do not take: refused with a pointer rather than "unknown". */
const GPT_ONLY = Object.fromEntries(
  Object.keys(GPT_FLAGS)
    .filter((f) => !(f in FLAGS))
    .map((f) => [f, `--${f} is a flag of nabla train --model gpt; see nabla train --model gpt --help`]),
);

/** `nabla train` for the image classifiers. */
export const TRAIN_COMMAND: CliCommand<typeof FLAGS> = {
  name: 'train',
  summary: 'train a classifier on MNIST digits or Fashion-MNIST and save it',
  synopsis: `  nabla train [--model mlp|cnn|dp-cnn] [--data ${DATASETS.join('|')}] [--data-dir DIR] [--epochs N] [--batch-size N]
              [--lr X] [--optimizer adam|sgd|adamw|rmsprop|adagrad] [--lr-schedule constant|cosine]
              [--seed N] [--limit N] [--keep-last] [--out DIR] [--resume]
              [--dp [--target-epsilon E | --noise-multiplier S] [--delta D] [--max-grad-norm C]]`,
  flags: FLAGS,
  positionals: false,
  refused: {
    ...GPT_ONLY,
    save: '--save was renamed --out (one flag for the output directory of every --model): nabla train --out DIR',
  },
  notes: `Holds out 10 % of the training samples for validation, keeps the weights of the epoch with the
best validation accuracy, prints the test accuracy and saves DIR/model.json (which records the
data set, its preprocessing and class names for evaluate, predict and plot), weights.safetensors
and history.json. While it runs, DIR/checkpoint holds the last finished epoch: after Ctrl-C or a
crash, the same command with --resume continues from there.

With --dp the run is differentially private (DP-SGD with Poisson sampling, secure noise and the
RDP accountant): its defaults are the private recipe of the README, each epoch logs the ε spent,
and the end prints the test accuracy and the final ε at --delta. The model must have no batch norm
(dp-cnn or mlp).

examples:
  nabla train --data fashion-mnist --dp --target-epsilon 3 --delta 1e-5 --out fashion-private
  nabla train --data fashion-mnist --epochs 10 --out fashion
  nabla train --model cnn --data fashion-mnist --epochs 12 --lr-schedule cosine --out fashion-cnn
  nabla train --data fashion-mnist --epochs 10 --out fashion --resume`,
};

/** Parses the flags into settings; only the flags given, each checked. */
function givenSettings(v: FlagValues<typeof FLAGS>): Partial<RunSettings> {
  const s: Partial<RunSettings> = {};
  if (v.model !== undefined) {
    if (!(MODELS as readonly string[]).includes(v.model)) throw new nb.ValueError(`--model must be one of ${[...MODELS, 'gpt', ...TEXT_MODELS, 'speech', 'speech-ctc'].join(', ')}, got '${v.model}'`);
    s.model = v.model;
  }
  if (v.data !== undefined) {
    if (!(DATASETS as readonly string[]).includes(v.data)) throw new nb.ValueError(`--data must be one of ${DATASETS.join(', ')}, got '${v.data}'`);
    s.data = v.data;
  }
  if (v['data-dir'] !== undefined) s.dataDir = v['data-dir'];
  if (v.epochs !== undefined) s.epochs = intOption(v.epochs, 'epochs', 1);
  if (v['batch-size'] !== undefined) s.batchSize = intOption(v['batch-size'], 'batch-size', 1);
  if (v.lr !== undefined) s.lr = numberOption(v.lr, 'lr', 1);
  if (v.optimizer !== undefined) s.optimizer = v.optimizer;
  if (v['lr-schedule'] !== undefined) {
    if (v['lr-schedule'] !== 'constant' && v['lr-schedule'] !== 'cosine') throw new nb.ValueError(`--lr-schedule must be constant or cosine, got '${v['lr-schedule']}'`);
    s.lrSchedule = v['lr-schedule'];
  }
  if (v.seed !== undefined) {
    const seed = Number(v.seed);
    if (v.seed.trim() === '' || !Number.isInteger(seed) || seed < 0) throw new nb.ValueError(`--seed must be a non-negative integer, got '${v.seed}'`);
    s.seed = seed;
  }
  if (v.limit !== undefined) s.limit = intOption(v.limit, 'limit', 1);
  if (v['keep-last'] !== undefined) s.keepLast = v['keep-last'];
  const dpFlags = (['target-epsilon', 'delta', 'noise-multiplier', 'max-grad-norm'] as const).filter((f) => v[f] !== undefined);
  if (!v.dp && dpFlags.length > 0) throw new nb.ValueError(`--${dpFlags[0]} sets differential privacy: add --dp (nabla train --dp --${dpFlags[0]} …)`);
  if (v.dp) {
    if (v['target-epsilon'] !== undefined && v['noise-multiplier'] !== undefined) {
      throw new nb.ValueError('--target-epsilon and --noise-multiplier both set the noise: give one (with --target-epsilon the noise is computed for it)');
    }
    const noise = v['noise-multiplier'] === undefined ? null : numberOption(v['noise-multiplier'], 'noise-multiplier', 0);
    s.dp = {
      targetEpsilon: noise !== null ? null : v['target-epsilon'] === undefined ? 3 : positiveNumber(v['target-epsilon'], 'target-epsilon'),
      noiseMultiplier: noise,
      delta: v.delta === undefined ? 1e-5 : positiveNumber(v.delta, 'delta'),
      maxGradNorm: v['max-grad-norm'] === undefined ? 0.12 : positiveNumber(v['max-grad-norm'], 'max-grad-norm'),
    };
  }
  return s;
}

/** A number > 0 from a flag. */
function positiveNumber(text: string, flag: string): number {
  const x = Number(text);
  if (text.trim() === '' || !Number.isFinite(x) || x <= 0) throw new nb.ValueError(`--${flag} must be a number > 0, got '${text}'`);
  return x;
}

/** The settings of a new run: the flags given, defaults for the rest. */
function withDefaults(s: Partial<RunSettings>): RunSettings {
  const dp = s.dp ?? null;
  const model = s.model ?? (dp ? 'dp-cnn' : 'mlp');
  const data = s.data ?? DEFAULT_DATASET;
  if (dp) {
    // the private recipe (README): Papernot et al.'s tanh CNN, large Poisson batches, plain SGD
    return {
      model, data, dataDir: s.dataDir ?? null, epochs: s.epochs ?? 40, batchSize: s.batchSize ?? 2048, lr: s.lr ?? 4,
      optimizer: s.optimizer ?? 'sgd', lrSchedule: s.lrSchedule ?? 'constant', seed: s.seed ?? 0, limit: s.limit ?? null,
      keepLast: true, dp,
    };
  }
  return {
    model,
    data,
    dataDir: s.dataDir ?? null,
    epochs: s.epochs ?? (data === 'mnist' ? 5 : 10),
    batchSize: s.batchSize ?? (model === 'cnn' ? 64 : 128),
    lr: s.lr ?? 1e-3,
    optimizer: s.optimizer ?? 'adam',
    lrSchedule: s.lrSchedule ?? 'constant',
    seed: s.seed ?? 0,
    limit: s.limit ?? null,
    keepLast: s.keepLast ?? false,
    dp: null,
  };
}

const FLAG_OF: Record<keyof RunSettings, string> = {
  model: 'model', data: 'data', dataDir: 'data-dir', epochs: 'epochs', batchSize: 'batch-size', lr: 'lr',
  optimizer: 'optimizer', lrSchedule: 'lr-schedule', seed: 'seed', limit: 'limit', keepLast: 'keep-last', dp: 'dp',
};

/** A setting as an error message shows it. */
function shown(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** The interrupted run's settings; a flag given now must agree with them (it would change the run). */
function resumedSettings(recorded: RunSettings, given: Partial<RunSettings>, files: RunFiles): RunSettings {
  for (const [key, value] of Object.entries(given) as [keyof RunSettings, unknown][]) {
    if (JSON.stringify(recorded[key] ?? null) !== JSON.stringify(value ?? null)) {
      throw new nb.ValueError(
        `train --resume: --${FLAG_OF[key]} ${shown(value)} differs from the interrupted run's ${shown(recorded[key] ?? '(not given)')} (${files.run}); ` +
          'a resumed run keeps its settings: leave the flag out or give the same value',
      );
    }
  }
  return recorded;
}

/** `--lr-schedule`: constant, or a half cosine from `lr` to 0 over all `steps` of the run (SGDR without restarts). */
function learningRate(s: RunSettings, steps: number): number | nb.optim.LearningRateSchedule {
  return s.lrSchedule === 'cosine' ? nb.optim.cosineDecay({ initialLearningRate: s.lr, decaySteps: steps }) : s.lr;
}

/** Runs `nabla train --model mlp|cnn`. */
export async function train(argv: string[]): Promise<void> {
  const { values } = parseCommand(TRAIN_COMMAND, argv);
  const out = values.out ?? 'nabla-model';
  const files = new RunFiles(out);
  const given = givenSettings(values);
  const previous = files.read();
  let s: RunSettings;
  if (values.resume) {
    if (previous === null) throw new nb.ValueError(`train --resume: ${files.dir} holds no interrupted run (it is kept while nabla train --out ${out} runs and removed when it finishes); leave out --resume to start a new run`);
    s = resumedSettings(previous.settings, given, files);
  } else {
    if (previous !== null && files.hasCheckpoint()) {
      throw new nb.ValueError(
        `train: ${files.dir} holds an interrupted run (${previous.history.epoch.length} of ${previous.settings.epochs} epochs finished); ` +
          `continue it with --resume, or remove ${files.dir} (or choose another --out) to start afresh`,
      );
    }
    s = withDefaults(given);
    // no checkpoint: whatever is left (a run stopped in its first epoch) holds nothing to keep
    files.remove();
  }
  nb.manualSeed(s.seed);
  console.log(`nabla train: ${s.data}, ${s.epochs} epochs, batch ${s.batchSize}, ${s.optimizer} lr ${s.lr}, seed ${s.seed}, model ${s.model} (backend ${nb.backend().name})`);
  const data = await loadNamedData(s.data, s.dataDir ?? undefined);
  const { train: full, test } = data;
  const n = full.x.shape[0]!;
  const limit = Math.min(s.limit ?? n, n);
  const tr = limit < n ? { x: full.x.slice([[0, limit]]), y: full.y.slice([[0, limit]]) } : full;
  console.log(`data: ${tr.x.shape[0]} training${limit < n ? ` (the first of ${n}, --limit)` : ''} and ${test.x.shape[0]} test samples`);
  const model = classifierModel(s.model);
  const steps = s.epochs * Math.ceil(Math.round(0.9 * tr.x.shape[0]!) / s.batchSize);
  const rate = learningRate(s, steps);
  if (typeof rate !== 'number') console.log(`learning rate: cosine decay from ${s.lr} to 0 over ${steps} steps`);
  const dp = s.dp ?? null;
  const privacy = dp ? {
    ...(dp.noiseMultiplier !== null ? { noiseMultiplier: dp.noiseMultiplier } : { targetEpsilon: dp.targetEpsilon! }),
    delta: dp.delta, maxGradNorm: dp.maxGradNorm,
  } : undefined;
  // the private recipe's SGD has momentum 0.9 (a 3-epoch trial: 76.4 % test accuracy against 63.1 % without)
  const optimizerOptions = dp && s.optimizer === 'sgd' ? { learningRate: rate, momentum: 0.9 } : { learningRate: rate };
  model.compile({ optimizer: nb.optim.getOptimizer(s.optimizer, optimizerOptions), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'], ...(privacy ? { privacy } : {}) });
  const dpSettings = dp ? nb.privacy.resolvePrivacy('train --dp', privacy!, tr.x.shape[0]!, s.batchSize, s.epochs) : null;
  if (dp && dpSettings) {
    const settings = dpSettings;
    console.log(`differential privacy: DP-SGD, Poisson batches (rate ${settings.sampleRate.toPrecision(3)}), clipping ${dp.maxGradNorm}, noise multiplier ${settings.noiseMultiplier.toPrecision(4)}` +
      `${dp.targetEpsilon !== null ? ` (for ε = ${dp.targetEpsilon})` : ''}, δ = ${dp.delta}; no validation split, the last epoch is kept`);
  }

  const resumed = values.resume === true;
  const history = resumed && previous ? previous.history : { epoch: [], history: {} };
  const record = new RecordRun(files, s, history, resumed ? files.readBest() : null, (epoch) =>
    console.log(`resuming the run in ${files.dir}: ${epoch} of ${s.epochs} epochs were finished; continuing with epoch ${epoch + 1}`),
  );
  files.write(s, record.history);
  const interrupt = new InterruptOnSigint((epoch, batch) => {
    const where = batch > 0 ? `at epoch ${epoch + 1}, batch ${batch}` : `before epoch ${epoch + 1}`;
    return epoch > 0
      ? `interrupted ${where}: the checkpoint of epoch ${epoch} is in ${files.dir}; rerun the same command with --resume to continue from there`
      : `interrupted ${where}, before any epoch finished: nothing was kept; rerun the command to start again`;
  });
  const t0 = performance.now();
  interrupt.install();
  try {
    await model.fit(tr.x, tr.y, { epochs: s.epochs, batchSize: s.batchSize, ...(dp ? {} : { validationSplit: 0.1 }), seed: s.seed, callbacks: [interrupt, record], checkpointDir: files.state });
  } catch (e) {
    interrupt.remove();
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (resumed && record.firstEpoch === null) console.log(`resuming the run in ${files.dir}: all ${s.epochs} epochs were finished`);
  record.cutAt(s.epochs);
  const best = record.best;
  if (!s.keepLast && best !== null && best.epoch !== s.epochs - 1) {
    loadWeights(model, files.best);
    console.log(`kept the weights of epoch ${best.epoch + 1} (best val_accuracy ${percent(best.value)}); --keep-last keeps the last epoch's`);
  }
  const result = await model.evaluate(test.x, test.y, { batchSize: 512 });
  console.log(`${formatResults(result)}  (training took ${seconds.toFixed(1)} s)`);
  model.metadata = trainedOnMetadata(s.data, data.classNames, MNIST_PREPROCESSING);
  if (dp) {
    const eps = record.history.history['epsilon']?.at(-1) ?? NaN;
    console.log(`privacy: (ε = ${eps.toFixed(3)}, δ = ${dp.delta})-differentially private (RDP accountant, Balle et al. conversion)`);
    model.metadata['privacy'] = { epsilon: eps, delta: dp.delta, maxGradNorm: dp.maxGradNorm, noiseMultiplier: dpSettings!.noiseMultiplier, mechanism: 'DP-SGD, Poisson sampling' };
  }
  await model.save(out);
  nb.io.writeFileAtomic(join(out, 'history.json'), JSON.stringify(record.history) + '\n');
  files.remove();
  console.log(`model saved to ${out}/ (model.json, weights.safetensors, history.json)`);
  if (interrupt.remove()) console.log('(Ctrl-C came after training had finished: the model was saved)');
}

