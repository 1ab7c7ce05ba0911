/**
 * The training loop of a character (or token) language model, nanoGPT style: random windows of a
 * corpus, AdamW with weight decay on matrices only, global gradient clipping, a linear warm-up
 * then cosine decay of the learning rate, and periodic loss estimates on both splits.
 */
import { performance } from 'node:perf_hooks';
import { noGrad } from '../tensor/grad-mode.js';
import type { CharCorpus, CorpusSplit } from '../data/text/char-corpus.js';
import type { Layer } from '../nn/layer.js';
import { sparseCategoricalCrossentropy } from '../nn/losses.js';
import { reshape } from '../ops/movement.js';
import { AdamW } from '../optim/adam.js';
import { warmupCosine } from '../optim/schedules.js';
import { ValueError } from '../tensor/errors.js';
import { Generator } from '../tensor/random.js';
import type { Tensor } from '../tensor/tensor.js';
import { warn } from '../tensor/warn.js';

/** A model that maps ids `[batch, time]` to next-token logits `[batch, time, vocabSize]`. */
export interface LanguageModel extends Layer {
  /** The longest sequence the model accepts. */
  readonly contextLength: number;
  /** Number of token ids (the width of the logits). */
  readonly vocabSize: number;
}

/** Options of {@link trainLanguageModel}; the defaults are nanoGPT's small CPU Shakespeare run. */
export interface TrainLanguageModelOptions {
  /** Optimisation steps (default 2000). */
  iters?: number;
  /** Windows per step (default 12). */
  batchSize?: number;
  /** Window length (default: the model's context length). */
  context?: number;
  /** Peak learning rate (default 1e-3). */
  learningRate?: number;
  /** Learning rate at the end of the cosine decay (default 1e-4). */
  minLearningRate?: number;
  /** Steps of linear warm-up (default 100, capped at iters). */
  warmupIters?: number;
  /** Step at which the cosine reaches `minLearningRate` (default `iters`). */
  decayIters?: number;
  /** AdamW decoupled weight decay of the matrices (default 0.1; vectors are not decayed). */
  weightDecay?: number;
  /** AdamW β1 (default 0.9). */
  beta1?: number;
  /** AdamW β2 (default 0.99: each step sees few tokens). */
  beta2?: number;
  /** Global gradient-norm clip, the optimizer's `globalClipnorm`: g · c / max(‖all g‖, c) (default 1; 0 turns it off). */
  gradClip?: number;
  /** Evaluate every this many steps, and at the end (default 250). */
  evalInterval?: number;
  /** Batches per split averaged by each evaluation (default 20). */
  evalIters?: number;
  /** Batches per split of the final evaluation (default 200). */
  finalEvalIters?: number;
  /** Seed of the batch sampler (default 1337). */
  seed?: number;
  /** Receives each `iter N train_loss X val_loss Y lr Z` line (default: none). */
  log?: (line: string) => void;
}

/**
 * Losses at each evaluation, in the `{ epoch, history }` shape `nb.plot.history` reads: `epoch`
 * counts the evaluations (0, 1, 2…), `iteration` says at which step each one was taken.
 */
export interface LanguageModelHistory {
  epoch: number[];
  iteration: number[];
  history: { loss: number[]; val_loss: number[]; lr: number[] };
}

/** What {@link trainLanguageModel} returns. */
export interface LanguageModelTrainResult {
  history: LanguageModelHistory;
  /** The final evaluation's validation loss (mean over `finalEvalIters` batches). */
  valLoss: number;
  /** The final evaluation's training loss. */
  trainLoss: number;
  /** Wall time of the whole run, evaluations included, in seconds. */
  seconds: number;
  /** Median time of one training step (batch, forward, backward, clip, update), in ms. */
  medianStepMs: number;
}

/** Mean next-token cross-entropy of `model` over `batches` random windows of `split`, without gradients. */
export function estimateLoss(model: LanguageModel, corpus: CharCorpus, split: CorpusSplit, batches: number, batchSize: number, context: number, generator: Generator): number {
  return noGrad(() => {
    let total = 0;
    for (let i = 0; i < batches; i++) {
      const [x, y] = corpus.batch(split, batchSize, context, generator);
      total += lmLoss(model, x, y, false).item();
    }
    return total / batches;
  });
}

/** Mean cross-entropy of the logits `model(x)` against the targets `y` (both `[batch, time]`). */
export function lmLoss(model: LanguageModel, x: Tensor, y: Tensor, training: boolean): Tensor {
  const logits = model.apply(x, training);
  const [b, t] = x.shape as [number, number];
  return sparseCategoricalCrossentropy(reshape(y, [b * t]), reshape(logits, [b * t, model.vocabSize]), { fromLogits: true });
}

/** Options of {@link languageModelStep}. */
export interface LanguageModelStepOptions {
  /** A number or a schedule of the step count (default 1e-3). */
  learningRate?: number | ((step: number) => number);
  /** Decoupled weight decay of the matrices (default 0.1; vectors are not decayed). */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  /** Global gradient-norm clip, the optimizer's `globalClipnorm`: g · c / max(‖all g‖, c) (default 1; 0 turns it off). */
  gradClip?: number;
}

/**
 * The training step of {@link trainLanguageModel} on its own (for benchmarks and custom loops):
 * forward, cross-entropy, backward, and one AdamW with two parameter groups, nanoGPT's: the
 * matrices (embeddings included) decay, the vectors (biases, norm scales) do not; the gradients
 * are clipped together (`globalClipnorm`). The model must be built. Returns the function that
 * runs one step on `[x, y]` and gives back the loss tensor.
 *
 * @example
 * const step = nb.models.languageModelStep(gpt, { learningRate: 1e-3 });
 * const loss = step(x, y).item();
 */
export function languageModelStep(model: LanguageModel, opts: LanguageModelStepOptions = {}): (x: Tensor, y: Tensor) => Tensor {
  if (!model.built) throw new ValueError(`languageModelStep: ${model.describe()} has no weights yet; run it once (model.apply(ids)) first`);
  const params = model.namedParameters();
  const gradClip = opts.gradClip ?? 1;
  const optimizer = new AdamW(params, {
    learningRate: opts.learningRate ?? 1e-3,
    beta1: opts.beta1 ?? 0.9,
    beta2: opts.beta2 ?? 0.99,
    epsilon: 1e-8,
    weightDecay: opts.weightDecay ?? 0.1,
    paramGroups: [{ params: params.filter(([, p]) => p.ndim < 2), weightDecay: 0 }],
    globalClipnorm: gradClip > 0 ? gradClip : undefined,
  });
  return (x, y) => {
    const loss = lmLoss(model, x, y, true);
    loss.backward();
    optimizer.step();
    optimizer.zeroGrad();
    return loss;
  };
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v <= 0) throw new ValueError(`trainLanguageModel: ${name} must be a positive integer, got ${v}`);
  return v;
}

/**
 * Trains `model` on random windows of `corpus` (see {@link TrainLanguageModelOptions} for the
 * recipe) and returns the loss history and timings. Evaluation batches come from their own
 * generator, so evaluating more or less often does not change the training batches.
 *
 * @example
 * const corpus = nb.data.text.CharCorpus.fromFile('input.txt');
 * const model = new nb.models.GPT({ vocabSize: corpus.tokenizer.vocabSize, contextLength: 64 });
 * const { valLoss } = nb.models.trainLanguageModel(model, corpus, { iters: 2000, log: console.log });
 */
export function trainLanguageModel(model: LanguageModel, corpus: CharCorpus, opts: TrainLanguageModelOptions = {}): LanguageModelTrainResult {
  const iters = positiveInt('iters', opts.iters ?? 2000);
  const batchSize = positiveInt('batchSize', opts.batchSize ?? 12);
  const context = positiveInt('context', opts.context ?? model.contextLength);
  if (context > model.contextLength) {
    throw new ValueError(`trainLanguageModel: context ${context} is longer than the model's context length ${model.contextLength}; build the model with contextLength >= ${context}`);
  }
  const lr = opts.learningRate ?? 1e-3;
  const minLr = opts.minLearningRate ?? lr / 10;
  if (!(lr > 0) || !(minLr >= 0) || minLr > lr) throw new ValueError(`trainLanguageModel: need 0 <= minLearningRate <= learningRate and learningRate > 0, got ${minLr} and ${lr}`);
  const warmup = Math.min(opts.warmupIters ?? 100, iters);
  if (warmup < (opts.warmupIters ?? 100)) {
    warn(
      `trainLanguageModel: the warm-up (${opts.warmupIters ?? 100} iterations) is longer than the run (${iters} iterations); it is cut to ${iters}, ` +
        'so the learning rate climbs for the whole run and never decays. Pass warmupIters below iters (nabla train --model gpt: --warmup below --iters)',
    );
  }
  const decayIters = opts.decayIters ?? iters;
  const evalInterval = positiveInt('evalInterval', opts.evalInterval ?? 250);
  const evalIters = positiveInt('evalIters', opts.evalIters ?? 20);
  const finalEvalIters = positiveInt('finalEvalIters', opts.finalEvalIters ?? 200);
  const seed = opts.seed ?? 1337;
  const log = opts.log ?? (() => undefined);
  // fail early (before any training) when a split is too short for the windows
  for (const split of ['train', 'val'] as const) corpus.batch(split, 1, context, new Generator(0));

  const trainGen = new Generator(seed);
  const evalGen = new Generator(seed + 1);
  // build the weights, then split them: matrices decay, vectors (norm scales, biases) do not
  noGrad(() => model.apply(corpus.batch('train', 1, context, new Generator(0))[0], false));
  const schedule = warmupCosine({ peakLearningRate: lr, minLearningRate: minLr, warmupSteps: warmup, decayEndStep: decayIters });
  const step = languageModelStep(model, { learningRate: schedule, weightDecay: opts.weightDecay, beta1: opts.beta1, beta2: opts.beta2, gradClip: opts.gradClip });

  const history: LanguageModelHistory = { epoch: [], iteration: [], history: { loss: [], val_loss: [], lr: [] } };
  const stepMs: number[] = [];
  const t0 = performance.now();
  let last = { train: NaN, val: NaN };
  for (let it = 0; ; it++) {
    if (it % evalInterval === 0 || it === iters) {
      const k = it === iters ? finalEvalIters : evalIters;
      last = {
        train: estimateLoss(model, corpus, 'train', k, batchSize, context, evalGen),
        val: estimateLoss(model, corpus, 'val', k, batchSize, context, evalGen),
      };
      const rate = schedule(Math.min(it, iters - 1));
      history.epoch.push(history.epoch.length);
      history.iteration.push(it);
      history.history.loss.push(last.train);
      history.history.val_loss.push(last.val);
      history.history.lr.push(rate);
      log(`iter ${it} train_loss ${last.train.toFixed(4)} val_loss ${last.val.toFixed(4)} lr ${rate.toExponential(3)}`);
      if (!Number.isFinite(last.train)) throw new ValueError(`trainLanguageModel: the loss became ${last.train} at iteration ${it}; lower the learning rate`);
    }
    if (it === iters) break;
    const s = performance.now();
    const [x, y] = corpus.batch('train', batchSize, context, trainGen);
    step(x, y);
    stepMs.push(performance.now() - s);
  }
  const sorted = stepMs.slice().sort((a, b) => a - b);
  return {
    history,
    valLoss: last.val,
    trainLoss: last.train,
    seconds: (performance.now() - t0) / 1000,
    medianStepMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
  };
}
