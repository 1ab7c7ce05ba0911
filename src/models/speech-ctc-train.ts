/**
 * Training and reading a CTC speech model ({@link SpeechCTC}): batches of similar length (less
 * padding to run through the GRU), Adam with a warm-up and cosine decay, global gradient
 * clipping, the CTC loss with each sequence's frames; greedy or beam-search transcription, and
 * the error rate (edit distance ÷ reference length).
 */
import { performance } from 'node:perf_hooks';
import { noGrad } from '../tensor/grad-mode.js';
import { ValueError } from '../tensor/errors.js';
import { Generator } from '../tensor/random.js';
import { Tensor } from '../tensor/tensor.js';
import { denseData } from '../ops/primitives/alloc.js';
import { checkInteger, checkNumber } from '../nn/config-check.js';
import { ctc } from '../nn/losses-ctc.js';
import { Adam } from '../optim/adam.js';
import { ctcDecode } from '../text/ctc-decode.js';
import type { SpeechCTC } from './speech-ctc.js';

/** Labelled padded sequences, as `nb.datasets.connectedDigits` makes them. */
export interface CtcSequences {
  /** float `[n, samples]`, zero-padded. */
  waveforms: Tensor;
  /** int32 `[n]`: real samples of each. */
  lengths: Tensor;
  /** int32 `[n, maxLabels]`: classes 1…C, padded with -1. */
  labels: Tensor;
  /** int32 `[n]`: labels of each. */
  labelLengths: Tensor;
}

/** Options of {@link trainSpeechCTC}. */
export interface TrainSpeechCTCOptions {
  /** Passes over the data (default 10); with a function for the data, one fresh set per epoch. */
  epochs?: number;
  /** Sequences per step (default 16). */
  batchSize?: number;
  /**
   * Peak learning rate of Adam, after a linear warm-up of `warmupSteps` (default 2e-3); then a
   * cosine decay to 5 % of it at the last step, or when `maxSeconds` run out if that comes first.
   */
  learningRate?: number;
  /** Steps of linear warm-up (default 100, at most a tenth of the run). */
  warmupSteps?: number;
  /** Global gradient-norm clip (default 5). */
  gradClip?: number;
  /** Seed of the batch order (default 0). */
  seed?: number;
  /** Stop after this many seconds, at the end of a step (default: no limit); the learning rate's decay keeps pace with it. */
  maxSeconds?: number;
  /** Receives a line per epoch: `epoch N loss X (S s)`. */
  log?: (line: string) => void;
}

/** What {@link trainSpeechCTC} returns. */
export interface SpeechCTCTrainResult {
  /** Mean loss of each epoch (the last may be cut short by `maxSeconds`). */
  losses: number[];
  steps: number;
  seconds: number;
}

/** The batches of one epoch: shuffled, then sorted by length within windows of 16 batches, so each batch pads little. */
function bucketedBatches(lengths: Int32Array | Float32Array | Float64Array, batchSize: number, g: Generator): number[][] {
  const order = Array.from(lengths, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const batches: number[][] = [];
  const window = batchSize * 16;
  for (let w = 0; w < order.length; w += window) {
    const part = order.slice(w, w + window).sort((a, b) => lengths[a]! - lengths[b]!);
    for (let b = 0; b < part.length; b += batchSize) batches.push(part.slice(b, b + batchSize));
  }
  for (let i = batches.length - 1; i > 0; i--) {
    const j = g.int(0, i + 1);
    [batches[i], batches[j]] = [batches[j]!, batches[i]!];
  }
  return batches;
}

/** Rows `rows` of a 2-D tensor's data, cut to their first `width` columns. */
function takeRows(t: Tensor, rows: number[], width: number): Tensor {
  const cols = t.shape[1]!;
  const data = denseData(t);
  const out = t.dtype === 'int32' ? new Int32Array(rows.length * width) : new Float32Array(rows.length * width);
  rows.forEach((r, k) => out.set(data.subarray(r * cols, r * cols + width), k * width));
  return new Tensor(out, [rows.length, width]);
}

/** One padded batch of `data`: the rows `rows`, cut to their longest waveform and label sequence. */
export function ctcBatch(data: CtcSequences, rows: number[]): CtcSequences {
  const lens = denseData(data.lengths);
  const labelLens = denseData(data.labelLengths);
  const samples = Math.max(...rows.map((r) => lens[r]!));
  const labels = Math.max(1, ...rows.map((r) => labelLens[r]!));
  return {
    waveforms: takeRows(data.waveforms, rows, samples),
    lengths: new Tensor(Int32Array.from(rows, (r) => lens[r]!), [rows.length]),
    labels: takeRows(data.labels, rows, labels),
    labelLengths: new Tensor(Int32Array.from(rows, (r) => labelLens[r]!), [rows.length]),
  };
}

/**
 * Trains `model` with CTC on padded labelled sequences (or a function giving a fresh set each
 * epoch, e.g. `connectedDigits` with the epoch in its seed): length-bucketed batches, Adam with a
 * linear warm-up and cosine decay (by step, or by the clock under `maxSeconds`), global gradient
 * clipping. Returns each epoch's mean loss.
 *
 * @example
 * const model = nb.models.speechCTC({ classes: 10, sampleRate: 8000 });
 * nb.models.trainSpeechCTC(model, (epoch) => nb.datasets.connectedDigits(train, { count: 2000, seed: epoch }), { epochs: 8, log: console.log });
 */
export function trainSpeechCTC(model: SpeechCTC, data: CtcSequences | ((epoch: number) => CtcSequences), opts: TrainSpeechCTCOptions = {}): SpeechCTCTrainResult {
  const who = 'trainSpeechCTC';
  const epochs = checkInteger(who, 'epochs', opts.epochs ?? 10, { ge: 1 });
  const batchSize = checkInteger(who, 'batchSize', opts.batchSize ?? 16, { ge: 1 });
  const lr = checkNumber(who, 'learningRate', opts.learningRate ?? 2e-3, { gt: 0 });
  const gradClip = checkNumber(who, 'gradClip', opts.gradClip ?? 5, { ge: 0 });
  const maxSeconds = opts.maxSeconds === undefined ? Infinity : checkNumber(who, 'maxSeconds', opts.maxSeconds, { gt: 0 });
  const g = new Generator(checkNumber(who, 'seed', opts.seed ?? 0));
  const dataOf = typeof data === 'function' ? data : () => data;
  let current = dataOf(0);
  const n = current.waveforms.shape[0]!;
  if (n === 0) throw new ValueError(`${who}: no sequences to train on`);
  const total = epochs * Math.ceil(n / batchSize);
  const warmup = Math.min(checkInteger(who, 'warmupSteps', opts.warmupSteps ?? 100, { ge: 0 }), Math.floor(total / 10));
  if (!model.built) model.build([null, model.sampleRate]);
  const t0 = performance.now();
  // with a time box the decay follows the clock when that runs out first, so a slow machine still ends the run annealed
  const progress = (step: number) => Math.min(1, Math.max((step - warmup) / Math.max(1, total - warmup), (performance.now() - t0) / 1000 / maxSeconds));
  const floor = lr / 20;
  const optimizer = new Adam(model.namedParameters(), {
    learningRate: (step: number) => (step < warmup ? (lr * (step + 1)) / warmup : floor + (lr - floor) * 0.5 * (1 + Math.cos(Math.PI * progress(step)))),
    globalClipnorm: gradClip > 0 ? gradClip : undefined,
  });
  const losses: number[] = [];
  let steps = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    if (epoch > 0 && typeof data === 'function') current = dataOf(epoch);
    let sum = 0;
    let count = 0;
    for (const rows of bucketedBatches(denseData(current.lengths) as Int32Array, batchSize, g)) {
      const batch = ctcBatch(current, rows);
      const { logits, logitLengths } = model.forwardWithLengths(batch.waveforms, batch.lengths, true);
      const loss = ctc(batch.labels, logits, { logitLengths, labelLengths: batch.labelLengths, zeroInfinity: true });
      loss.backward();
      optimizer.step();
      optimizer.zeroGrad();
      sum += loss.item();
      count++;
      steps++;
      if ((performance.now() - t0) / 1000 > maxSeconds) break;
    }
    losses.push(sum / count);
    const seconds = (performance.now() - t0) / 1000;
    opts.log?.(`epoch ${epoch + 1} loss ${(sum / count).toFixed(4)} (${seconds.toFixed(1)} s)`);
    if (seconds > maxSeconds) break;
  }
  return { losses, steps, seconds: (performance.now() - t0) / 1000 };
}

/** Options of {@link transcribe}. */
export interface TranscribeOptions {
  /** `'greedy'` (default) or `'beam'` (prefix beam search). */
  method?: 'greedy' | 'beam';
  /** Labellings kept by beam search (default 10). */
  beamWidth?: number;
  /** Sequences per forward pass (default 32). */
  batchSize?: number;
}

/**
 * The label sequences (classes 1…C, blanks removed) a CTC model reads from waveforms `[n, samples]`
 * with each one's real length (default: all samples), decoded greedily or by beam search.
 *
 * @example
 * const hyps = nb.models.transcribe(model, test.waveforms, test.lengths, { method: 'beam' });
 */
export function transcribe(model: SpeechCTC, waveforms: Tensor, lengths: Tensor | null = null, opts: TranscribeOptions = {}): number[][] {
  const batchSize = checkInteger('transcribe', 'batchSize', opts.batchSize ?? 32, { ge: 1 });
  const n = waveforms.shape[0]!;
  const lens = lengths === null ? new Int32Array(n).fill(waveforms.shape[1]!) : Int32Array.from(denseData(lengths));
  const out: number[][] = new Array<number[]>(n);
  const order = Array.from(lens, (_, i) => i).sort((a, b) => lens[a]! - lens[b]!);
  for (let b = 0; b < n; b += batchSize) {
    const rows = order.slice(b, b + batchSize);
    const width = Math.max(...rows.map((r) => lens[r]!));
    const batchLens = rows.map((r) => lens[r]!);
    const decoded = noGrad(() => {
      const { logits, logitLengths } = model.forwardWithLengths(takeRows(waveforms, rows, width), batchLens, false);
      return ctcDecode(logits, { method: opts.method ?? 'greedy', beamWidth: opts.beamWidth, logitLengths });
    });
    rows.forEach((r, k) => {
      out[r] = decoded[k]!.labels;
    });
  }
  return out;
}
