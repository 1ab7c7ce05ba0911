/**
 * DP-SGD (Abadi et al. 2016): each example's gradient clipped to `maxGradNorm`, the clipped
 * gradients summed, Gaussian noise of standard deviation `noiseMultiplier · maxGradNorm` added to
 * the sum, divided by the expected batch size; any optimizer then takes the step. Used by
 * `model.compile({ privacy })` for `fit`, and by {@link makePrivate} for hand-written loops.
 */
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';
import { randomSource, type RandomSource } from '../tensor/secure-random.js';
import { add } from '../ops/binary.js';
import { denseData } from '../ops/primitives/alloc.js';
import type { Layer } from '../nn/layer.js';
import type { Optimizer } from '../optim/optimizer.js';
import { DataLoader } from '../data/data-loader.js';
import { GradSampler } from './per-example.js';
import { computeEpsilon, noiseMultiplierFor } from './accountant.js';

/** The privacy settings of `compile({ privacy })` and `makePrivate`. */
export interface PrivacyOptions {
  /** Noise standard deviation over `maxGradNorm`. Give this or `targetEpsilon`. */
  noiseMultiplier?: number;
  /** The ε to spend by the end of training: the noise multiplier is computed for it (needs the number of epochs). */
  targetEpsilon?: number;
  /** δ of (ε, δ)-DP; must be below 1/(number of training examples). Typical: 1e-5. */
  delta: number;
  /** The bound on each example's gradient norm (the clipping norm C). */
  maxGradNorm: number;
  /**
   * Seed of the noise and the Poisson sampling, for tests and reproducible experiments only: a
   * seeded generator's draws can be reproduced by anyone who learns the seed, which voids the
   * guarantee. Default: the platform's cryptographically secure generator.
   */
  noiseSeed?: number | null;
}

/** The settings once resolved for a run. */
export interface ResolvedPrivacy {
  noiseMultiplier: number;
  delta: number;
  maxGradNorm: number;
  sampleRate: number;
  expectedBatchSize: number;
  noiseSeed: number | null;
}

function positive(who: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw new ValueError(`${who}: privacy.${name} must be a finite number > 0, got ${String(v)}`);
  return v;
}

/** Checks the user's settings without the data (what `compile` can check). */
export function checkPrivacyOptions(who: string, p: PrivacyOptions): void {
  if (p === null || typeof p !== 'object') throw new ValueError(`${who}: privacy must be { noiseMultiplier | targetEpsilon, delta, maxGradNorm }`);
  const known = new Set(['noiseMultiplier', 'targetEpsilon', 'delta', 'maxGradNorm', 'noiseSeed']);
  for (const k of Object.keys(p)) if (!known.has(k)) throw new ValueError(`${who}: privacy has no option '${k}' (options: ${[...known].join(', ')})`);
  if ((p.noiseMultiplier === undefined) === (p.targetEpsilon === undefined)) {
    throw new ValueError(`${who}: privacy needs exactly one of noiseMultiplier (the noise) or targetEpsilon (the ε to spend, the noise computed for it)`);
  }
  if (p.noiseMultiplier !== undefined && (typeof p.noiseMultiplier !== 'number' || !Number.isFinite(p.noiseMultiplier) || p.noiseMultiplier < 0)) {
    throw new ValueError(`${who}: privacy.noiseMultiplier must be a finite number ≥ 0, got ${String(p.noiseMultiplier)}`);
  }
  if (p.targetEpsilon !== undefined) positive(who, 'targetEpsilon', p.targetEpsilon);
  if (typeof p.delta !== 'number' || !(p.delta > 0 && p.delta < 1)) throw new ValueError(`${who}: privacy.delta must be a number in (0, 1), typically 1e-5 (below 1/number of examples), got ${String(p.delta)}`);
  positive(who, 'maxGradNorm', p.maxGradNorm);
  if (p.noiseSeed !== undefined && p.noiseSeed !== null && (typeof p.noiseSeed !== 'number' || !Number.isFinite(p.noiseSeed))) {
    throw new ValueError(`${who}: privacy.noiseSeed must be a finite number or left out (secure noise), got ${String(p.noiseSeed)}`);
  }
}

/**
 * The settings for a run over `examples` examples in batches of `batchSize` (expected) for
 * `epochs` epochs: the sample rate, and the noise multiplier for `targetEpsilon` if asked.
 */
export function resolvePrivacy(who: string, p: PrivacyOptions, examples: number, batchSize: number, epochs: number): ResolvedPrivacy {
  checkPrivacyOptions(who, p);
  if (!(examples > 0)) throw new ValueError(`${who}: private training needs at least one example`);
  if (p.delta >= 1 / examples) {
    throw new ValueError(`${who}: privacy.delta = ${p.delta} is not below 1/n = ${(1 / examples).toPrecision(3)} for ${examples} examples: ` +
      'a δ that large allows releasing some examples outright; take δ < 1/n (e.g. 1e-5 for 60,000 examples)');
  }
  const sampleRate = Math.min(1, batchSize / examples);
  const steps = epochs * Math.max(1, Math.round(examples / batchSize));
  const noiseMultiplier = p.noiseMultiplier ?? noiseMultiplierFor({ targetEpsilon: p.targetEpsilon!, delta: p.delta, sampleRate, steps });
  return { noiseMultiplier, delta: p.delta, maxGradNorm: p.maxGradNorm, sampleRate, expectedBatchSize: sampleRate * examples, noiseSeed: p.noiseSeed ?? null };
}

/** What one private step reports. */
export interface PrivateStepInfo {
  /** Examples in the batch. */
  batch: number;
  /** Each example's gradient norm before clipping. */
  norms: Float64Array;
}

/**
 * The DP-SGD machinery for one model: records per-example gradient information during the
 * forward and backward passes (a {@link GradSampler}), turns it into the noisy clipped gradient
 * in each trained parameter's `.grad`, and counts the steps for the accountant.
 */
export class PrivateEngine {
  readonly sampler: GradSampler;
  readonly rng: RandomSource;
  /** Noisy steps taken (what ε is computed from). */
  steps = 0;

  constructor(readonly model: Layer, readonly settings: ResolvedPrivacy) {
    this.sampler = new GradSampler(model);
    this.rng = randomSource(settings.noiseSeed);
  }

  /**
   * After a forward and backward pass recorded by `sampler` (inside `sampler.run`, or between
   * `sampler.start()` and `stop()`): sets every trained parameter's `.grad` to
   * (Σ clipped per-example gradients + N(0, σ²C²)) / expected batch size. `lossScale` multiplies
   * the recorded gradients first (the batch size when the loss was a mean over the batch).
   */
  privatize(lossScale = 1): PrivateStepInfo {
    const { maxGradNorm, noiseMultiplier, expectedBatchSize } = this.settings;
    const named = this.model.namedParameters();
    for (const [path, t] of named) {
      if (t.grad !== null && t.grad !== undefined) {
        throw new ValueError(`DP-SGD: the weight '${path}' got a gradient outside the per-example computation (read by a layer other than its own, e.g. tied embeddings, ` +
          'or a penalty added to the loss by hand): it would be neither clipped nor noised. Use each weight in its own layer only; for weight decay use the optimizer\'s or a layer regularizer in fit');
      }
    }
    const { sums, norms, batch } = this.sampler.clippedSum(maxGradNorm, lossScale);
    const std = noiseMultiplier * maxGradNorm;
    for (const [, t] of named) {
      const s = sums.get(t)!;
      const noise = new Float64Array(t.size);
      if (std > 0) this.rng.normals(noise);
      const sv = denseData(s);
      const g = t.dtype === 'float64' ? new Float64Array(t.size) : new Float32Array(t.size);
      for (let i = 0; i < g.length; i++) g[i] = (sv[i]! + std * noise[i]!) / expectedBatchSize;
      t.grad = new Tensor(g, t.shape.slice());
    }
    this.steps++;
    return { batch, norms };
  }

  /** ε spent so far at δ (default the run's δ). */
  epsilon(delta = this.settings.delta): number {
    return computeEpsilon({ sampleRate: this.settings.sampleRate, noiseMultiplier: this.settings.noiseMultiplier, steps: this.steps, delta });
  }

  /** Restores the model's layers (the recording wrappers removed). */
  detach(): void {
    this.sampler.remove();
  }
}

/** Adds data-independent gradients (regularization penalties) to the private `.grad`s. */
export function addToGrads(params: readonly Tensor[], grads: readonly Tensor[]): void {
  params.forEach((p, i) => {
    p.grad = p.grad ? add(p.grad, grads[i]!) : grads[i]!;
  });
}

/** Options of {@link makePrivate}. */
export interface MakePrivateOptions extends PrivacyOptions {
  model: Layer;
  optimizer: Optimizer;
  /** The training data: its batches are replaced by Poisson-sampled ones of the same expected size. */
  dataLoader: DataLoader<Tensor[]> | DataLoader<readonly Tensor[]> | DataLoader<[Tensor, Tensor]>;
  /** Epochs the loop will run (needed with `targetEpsilon`). */
  epochs?: number;
  /** How the loss reduces over the batch: 'mean' (default, as `nb.losses`) or 'sum'. */
  lossReduction?: 'mean' | 'sum';
}

/** What {@link makePrivate} returns: use these in place of the originals. */
export interface PrivateSetup {
  /** The same model, its layers recording per-example gradients while training. */
  model: Layer;
  /** Wraps the optimizer: `step()` clips, noises and then steps; `zeroGrad()` as before. */
  optimizer: PrivateOptimizer;
  /** Poisson-sampled batches of the same data. */
  dataLoader: DataLoader;
  /** The privacy engine (ε spent: `engine.epsilon()`). */
  engine: PrivateEngine;
  /** The noise multiplier in use (computed when `targetEpsilon` was given). */
  noiseMultiplier: number;
}

/** The optimizer of a private hand-written loop: `step()` runs DP-SGD's clipping and noise, then the wrapped optimizer's step. */
export class PrivateOptimizer {
  constructor(readonly inner: Optimizer, readonly engine: PrivateEngine, readonly lossReduction: 'mean' | 'sum') {}

  /** Clips each example's gradient of the last backward pass, adds the noise, steps the wrapped optimizer and clears the gradients. Returns the step's batch size and norms. */
  step(): PrivateStepInfo {
    const batch = this.engine.sampler.recordedBatch();
    const info = this.engine.privatize(this.lossReduction === 'mean' ? Math.max(batch, 1) : 1);
    this.inner.step();
    this.inner.zeroGrad();
    this.engine.sampler.clear();
    return info;
  }

  zeroGrad(): void {
    this.inner.zeroGrad();
  }

  /** ε spent so far. */
  epsilon(delta?: number): number {
    return this.engine.epsilon(delta);
  }
}

/**
 * Makes a hand-written training loop differentially private (Opacus' `make_private`): the model
 * records per-example gradients, the optimizer clips and noises them, and the data loader samples
 * Poisson batches. Write the loop as usual with the returned objects:
 *
 * @example
 * const { model: m, optimizer, dataLoader } = nb.privacy.makePrivate({ model, optimizer: new nb.optim.SGD(model.parameters(), { learningRate: 0.5 }),
 *   dataLoader: new nb.DataLoader([x, y], { batchSize: 256 }), targetEpsilon: 3, delta: 1e-5, maxGradNorm: 1, epochs: 10 });
 * for (let epoch = 0; epoch < 10; epoch++) {
 *   for (const [xb, yb] of dataLoader) {
 *     optimizer.zeroGrad();
 *     nb.losses.sparseCategoricalCrossentropy(yb, m.apply(xb, true)).backward();
 *     optimizer.step();
 *   }
 *   console.log(`ε = ${optimizer.epsilon()}`);
 * }
 */
export function makePrivate(opts: MakePrivateOptions): PrivateSetup {
  const who = 'makePrivate';
  if (opts === null || typeof opts !== 'object') throw new ValueError(`${who}: expects { model, optimizer, dataLoader, noiseMultiplier | targetEpsilon, delta, maxGradNorm }`);
  const { model, optimizer, dataLoader, epochs, lossReduction = 'mean', ...privacy } = opts;
  if (!(dataLoader instanceof DataLoader)) throw new ValueError(`${who}: dataLoader must be a nb.DataLoader over the training data`);
  if (lossReduction !== 'mean' && lossReduction !== 'sum') throw new ValueError(`${who}: lossReduction must be 'mean' or 'sum', got ${JSON.stringify(lossReduction)}`);
  if (privacy.targetEpsilon !== undefined && (typeof epochs !== 'number' || !Number.isInteger(epochs) || epochs < 1)) {
    throw new ValueError(`${who}: targetEpsilon needs epochs (how many epochs the loop will run), got ${String(epochs)}`);
  }
  const n = dataLoader.dataset.length;
  const settings = resolvePrivacy(who, privacy, n, dataLoader.batchSize, epochs ?? 1);
  const engine = new PrivateEngine(model, settings);
  engine.sampler.start();
  const loader = new DataLoader(dataLoader.dataset as DataLoader['dataset'], {
    batchSize: dataLoader.batchSize, sampling: 'poisson', collate: dataLoader.collate as DataLoader['collate'], ...(settings.noiseSeed !== null ? { seed: settings.noiseSeed + 1 } : {}),
  });
  return { model, optimizer: new PrivateOptimizer(optimizer, engine, lossReduction), dataLoader: loader, engine, noiseMultiplier: settings.noiseMultiplier };
}
