/**
 * `nabla train --model gpt --data FILE.txt`: trains a character-level GPT on any UTF-8 text file
 * (nanoGPT's recipe; the defaults are its small CPU Shakespeare configuration), printing
 * `iter N train_loss X val_loss Y` at each evaluation, then saves the model, its tokenizer and the
 * loss history to `--out DIR` for `nabla generate DIR`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { backend } from '../backend/index.js';
import { CharCorpus } from '../data/text/char-corpus.js';
import { writeFileAtomic } from '../io/atomic.js';
import { GPT } from '../models/gpt.js';
import { trainLanguageModel } from '../models/gpt-train.js';
import { manualSeed } from '../tensor/random.js';
import { ValueError } from '../tensor/errors.js';
import { intOption, numberOption } from './args.js';

/** The usage lines of `nabla train --model gpt`. */
export const TRAIN_GPT_USAGE = `  nabla train --model gpt --data FILE.txt [--iters 2000] [--batch-size 12] [--context 64]
              [--layers 4] [--heads 4] [--embd 128] [--lr 1e-3] [--min-lr 1e-4] [--warmup 100]
              [--eval-interval 250] [--eval-iters 20] [--final-eval-iters 200] [--seed 1337]
              [--checkpoint] [--out DIR]`;

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
  checkpoint: boolean;
  out: string;
}

/** Parses the `nabla train --model gpt` flags (the `--model gpt` pair included). */
export function parseTrainGpt(argv: string[]): TrainGptSettings {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string' },
      data: { type: 'string' },
      iters: { type: 'string' },
      'batch-size': { type: 'string' },
      context: { type: 'string' },
      layers: { type: 'string' },
      heads: { type: 'string' },
      embd: { type: 'string' },
      lr: { type: 'string' },
      'min-lr': { type: 'string' },
      warmup: { type: 'string' },
      'eval-interval': { type: 'string' },
      'eval-iters': { type: 'string' },
      'final-eval-iters': { type: 'string' },
      seed: { type: 'string' },
      checkpoint: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
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
    checkpoint: values.checkpoint === true,
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
  const model = new GPT({ vocabSize, contextLength: s.context, numLayers: s.layers, numHeads: s.heads, embedDim: s.embd, gradientCheckpointing: s.checkpoint });
  console.log(
    `nabla train: GPT ${s.layers} layers, ${s.heads} heads, ${s.embd} wide, context ${s.context}, vocabulary ${vocabSize} characters; ` +
      `${corpus.train.length} training and ${corpus.val.length} validation characters; batch ${s.batchSize}, ${s.iters} iterations, ` +
      `AdamW lr ${s.lr} → ${s.minLr}, seed ${s.seed}${s.checkpoint ? ', gradient checkpointing' : ''} (backend ${backend().name})`,
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
  mkdirSync(s.out, { recursive: true });
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
