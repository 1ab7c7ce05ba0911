/**
 * `nabla train --model gpt --data FILE.txt`: trains a character-level GPT on any UTF-8 text file
 * (nanoGPT's recipe; the defaults are its small CPU Shakespeare configuration), printing
 * `iter N train_loss X val_loss Y` at each evaluation, then saves the model, its tokenizer and the
 * loss history to `--out DIR` for `nabla generate DIR`.
 */
import { join } from 'node:path';
import { backend } from '../backend/index.js';
import { CharCorpus } from '../data/text/char-corpus.js';
import { writeFileAtomic } from '../formats/atomic.js';
import { GPT } from '../models/gpt.js';
import { trainLanguageModel } from '../models/gpt-train.js';
import { manualSeed } from '../tensor/random.js';
import { ValueError } from '../tensor/errors.js';
import { intOption, numberOption } from './args.js';
import { parseCommand, type CliCommand } from './command.js';
import { makeDirs } from '../formats/make-dirs.js';

/** The flags of `nabla train --model gpt`. */
export const GPT_FLAGS = {
  model: { type: 'string', value: 'gpt', help: 'the character GPT (mlp and cnn are image classifiers: see nabla train --help)' },
  data: { type: 'string', value: 'FILE.txt', help: 'the UTF-8 text to learn (required); the last 10 % is held out for validation' },
  iters: { type: 'string', value: 'N', help: 'training steps (default 2000)' },
  'batch-size': { type: 'string', value: 'N', help: 'windows of text per step (default 12)' },
  context: { type: 'string', value: 'N', help: 'characters per window, the longest prompt generate takes (default 64)' },
  layers: { type: 'string', value: 'N', help: 'decoder blocks (default 4)' },
  heads: { type: 'string', value: 'N', help: 'attention heads per block (default 4)' },
  embd: { type: 'string', value: 'N', help: 'width of the embeddings (default 128)' },
  lr: { type: 'string', value: 'X', help: 'peak learning rate, after the warm-up (default 0.001)' },
  'min-lr': { type: 'string', value: 'X', help: 'learning rate at the end of the cosine decay (default lr/10)' },
  warmup: { type: 'string', value: 'N', help: 'steps of linear warm-up (default 100)' },
  'eval-interval': { type: 'string', value: 'N', help: 'estimate both losses every N steps (default 250)' },
  'eval-iters': { type: 'string', value: 'N', help: 'batches per loss estimate (default 20)' },
  'final-eval-iters': { type: 'string', value: 'N', help: 'batches of the final estimate (default 200)' },
  seed: { type: 'string', value: 'N', help: 'seed of the weights and the batches (default 1337)' },
  'gradient-checkpointing': { type: 'boolean', help: 'recompute activations in the backward pass instead of keeping them: less memory, slower steps' },
  out: { type: 'string', value: 'DIR', help: 'where the model, tokenizer.json and history.json are written (default nabla-gpt)' },
} as const;

/** `nabla train --model gpt`. */
export const TRAIN_GPT_COMMAND: CliCommand<typeof GPT_FLAGS> = {
  name: 'train --model gpt',
  summary: 'train a character-level GPT on a text file (nanoGPT\'s small CPU recipe)',
  synopsis: `  nabla train --model gpt --data FILE.txt [--iters 2000] [--batch-size 12] [--context 64]
              [--layers 4] [--heads 4] [--embd 128] [--lr 1e-3] [--min-lr 1e-4] [--warmup 100]
              [--eval-interval 250] [--eval-iters 20] [--final-eval-iters 200] [--seed 1337]
              [--gradient-checkpointing] [--out DIR]`,
  flags: GPT_FLAGS,
  positionals: false,
  refused: {
    checkpoint: '--checkpoint was renamed --gradient-checkpointing: it trades compute for memory and does not save or resume a run',
    save: '--save was renamed --out (one flag for the output directory of every --model): nabla train --model gpt --out DIR',
    resume:
      '--resume is for --model mlp|cnn: the GPT loop keeps no checkpoint between its iterations yet, so an interrupted GPT run starts again from the beginning',
    'keep-last': '--keep-last is for --model mlp|cnn; the GPT saves the weights of its last iteration',
  },
  notes: `Prints "iter N train_loss X val_loss Y" at each estimate, then saves DIR/model.json,
weights.safetensors, tokenizer.json and history.json (losses by iteration, for nabla plot).

example:
  nabla train --model gpt --data input.txt --out char-gpt
  nabla generate char-gpt --prompt "ROMEO:"`,
};

/** Everything one run needs, parsed from the command line. */
export interface TrainGptSettings {
  data: string;
  iters: number;
  batchSize: number;
  context: number;
  layers: number;
  heads: number;
  embd: number;
  lr: number;
  minLr: number;
  warmup: number;
  evalInterval: number;
  evalIters: number;
  finalEvalIters: number;
  seed: number;
  gradientCheckpointing: boolean;
  out: string;
}

/** Parses the `nabla train --model gpt` flags (the `--model gpt` pair included). */
export function parseTrainGpt(argv: string[]): TrainGptSettings {
  const { values } = parseCommand(TRAIN_GPT_COMMAND, argv);
  if (values.data === undefined) throw new ValueError('train --model gpt: give the text to learn with --data FILE.txt');
  const lr = numberOption(values.lr, 'lr', 1e-3);
  const seed = values.seed === undefined ? 1337 : Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new ValueError(`--seed must be a non-negative integer, got '${values.seed}'`);
  const warmup = values.warmup === undefined ? 100 : Number(values.warmup);
  if (!Number.isInteger(warmup) || warmup < 0) throw new ValueError(`--warmup must be a non-negative integer, got '${values.warmup}'`);
  return {
    data: values.data,
    iters: intOption(values.iters, 'iters', 2000),
    batchSize: intOption(values['batch-size'], 'batch-size', 12),
    context: intOption(values.context, 'context', 64),
    layers: intOption(values.layers, 'layers', 4),
    heads: intOption(values.heads, 'heads', 4),
    embd: intOption(values.embd, 'embd', 128),
    lr,
    minLr: numberOption(values['min-lr'], 'min-lr', lr / 10),
    warmup,
    evalInterval: intOption(values['eval-interval'], 'eval-interval', 250),
    evalIters: intOption(values['eval-iters'], 'eval-iters', 20),
    finalEvalIters: intOption(values['final-eval-iters'], 'final-eval-iters', 200),
    seed,
    gradientCheckpointing: values['gradient-checkpointing'] === true,
    out: values.out ?? 'nabla-gpt',
  };
}

/** Runs `nabla train --model gpt`; returns the final validation loss. */
export async function trainGpt(argv: string[]): Promise<number> {
  const s = parseTrainGpt(argv);
  const corpus = CharCorpus.fromFile(s.data);
  const { vocabSize } = corpus.tokenizer;
  for (const [split, ids] of [['training', corpus.train], ['validation', corpus.val]] as const) {
    if (ids.length <= s.context) {
      throw new ValueError(`train --model gpt: the ${split} part of ${s.data} has ${ids.length} characters, too few for --context ${s.context}; use a longer text or a smaller --context`);
    }
  }
  manualSeed(s.seed);
  const model = new GPT({ vocabSize, contextLength: s.context, numLayers: s.layers, numHeads: s.heads, embedDim: s.embd, gradientCheckpointing: s.gradientCheckpointing });
  console.log(
    `nabla train: GPT ${s.layers} layers, ${s.heads} heads, ${s.embd} wide, context ${s.context}, vocabulary ${vocabSize} characters; ` +
      `${corpus.train.length} training and ${corpus.val.length} validation characters; batch ${s.batchSize}, ${s.iters} iterations, ` +
      `AdamW lr ${s.lr} → ${s.minLr}, seed ${s.seed}${s.gradientCheckpointing ? ', gradient checkpointing' : ''} (backend ${backend().name})`,
  );
  const result = trainLanguageModel(model, corpus, {
    iters: s.iters,
    batchSize: s.batchSize,
    context: s.context,
    learningRate: s.lr,
    minLearningRate: s.minLr,
    warmupIters: s.warmup,
    evalInterval: s.evalInterval,
    evalIters: s.evalIters,
    finalEvalIters: s.finalEvalIters,
    seed: s.seed,
    log: (line) => console.log(line),
  });
  console.log(
    `final val_loss ${result.valLoss.toFixed(4)} (mean of ${s.finalEvalIters} batches); ${model.countParams()} parameters; ` +
      `${result.seconds.toFixed(1)} s, ${result.medianStepMs.toFixed(1)} ms/iteration (median)`,
  );
  makeDirs(s.out, 'train');
  await model.save(s.out);
  corpus.tokenizer.save(join(s.out, 'tokenizer.json'));
  const summary = { ...result.history, final: { valLoss: result.valLoss, trainLoss: result.trainLoss, seconds: result.seconds, medianStepMs: result.medianStepMs }, settings: s };
  writeFileAtomic(join(s.out, 'history.json'), JSON.stringify(summary) + '\n');
  console.log(`model saved to ${s.out}/ (model.json, weights.safetensors, tokenizer.json, history.json); sample it with: nabla generate ${s.out} --prompt "..."`);
  return result.valLoss;
}

/** True when the `nabla train` arguments ask for the GPT (`--model gpt` or `--model=gpt`). */
export function isGptTrain(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--model=gpt' || (a === '--model' && argv[i + 1] === 'gpt'));
}
