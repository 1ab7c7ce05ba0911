import { noGrad } from '../tensor/grad-mode.js';
import { Layer } from '../nn/layer.js';
import { withTraining } from '../autograd/training-context.js';
import { warnSublayerModes } from './mode-warning.js';
import { getLoss, savedLossOf, type LossFn, type LossSpec, type SavedLoss } from '../nn/loss-registry.js';
import { concat } from '../ops/movement.js';
import { mean } from '../ops/reduce.js';
import { mul } from '../ops/binary.js';
import { getOptimizer } from '../optim/index.js';
import type { JsonValue, Optimizer } from '../optim/optimizer.js';
import { ValueError } from '../tensor/errors.js';
import { tensor } from '../tensor/creation.js';
import { Tensor } from '../tensor/tensor.js';
import type { Callback, Logs } from './callbacks/callback.js';
import { CallbackList } from './callbacks/callback-list.js';
import { History } from './callbacks/history.js';
import { ProgbarLogger } from './callbacks/progbar-logger.js';
import { asBatchSource, checkSamples, EpochBatches, fitInputs, tensorBatches, toBatch, type Batch, type BatchSource } from './fit-data.js';
import { getMetric, Mean, type Metric } from './metrics.js';
import type { ProgressStream } from './progress.js';
import { FitCheckpointer } from './resume.js';
import { TrainedParameters, type NamedParameters } from './trained-parameters.js';
import { stridedSliceRows } from './rows.js';
import { encodeTextBatch, encodeTextInput, type TextBatch } from './string-inputs.js';
import { warnIfNotProbabilities } from './probability-warning.js';
import { warnIfWarmupOutlastsRun } from './warmup-warning.js';
import { checkPrivacyOptions, PrivateEngine, resolvePrivacy, addToGrads, type PrivacyOptions } from '../privacy/dp-sgd.js';
import { checkPrivateLayers } from '../privacy/per-example.js';
import { gradients } from '../autograd/functional.js';
import { sum } from '../ops/reduce.js';
import { DataLoader } from '../data/data-loader.js';

/** Options of `compile`. */
export interface CompileOptions {
  /** An optimizer or its name ('adam', 'sgd', 'adamw', 'rmsprop', 'adagrad'); default 'rmsprop' as in Keras. */
  optimizer?: string | Optimizer;
  /**
   * The loss: a Keras name ('sparseCategoricalCrossentropy', 'mse', …), a name with options
   * (`{ name: 'sparseCategoricalCrossentropy', fromLogits: true }` for a model without a final
   * softmax), a loss object (`new nb.losses.Huber({ delta: 2 })`) or a function. All but
   * unregistered functions are saved in model.json (`nb.losses.registerLoss` makes one savable).
   */
  loss: LossSpec;
  /** Metrics to track, by name ('accuracy', 'mae', …) or as Metric objects. */
  metrics?: (string | Metric)[];
  /**
   * Train with differential privacy (DP-SGD): each example's gradient clipped to `maxGradNorm`,
   * Gaussian noise `noiseMultiplier · maxGradNorm` added, batches Poisson-sampled (each example with
   * probability batchSize / n), and ε spent logged per epoch as `epsilon`. Give `noiseMultiplier`,
   * or `targetEpsilon` to have it computed for the run's epochs. The model must not contain
   * BatchNormalization (use GroupNormalization).
   */
  privacy?: PrivacyOptions;
}

/** Options of `fit`. */
export interface FitOptions {
  epochs?: number;
  batchSize?: number;
  /** Reshuffle the training samples each epoch (default true; ignored for a DataLoader). */
  shuffle?: boolean;
  /** Fraction of (x, y) held out, taken from the end before shuffling. */
  validationSplit?: number;
  /** Validation data evaluated after each epoch: `[xVal, yVal]` (xVal may be texts) or a batch source. */
  validationData?: Batch | BatchSource | TextBatch;
  callbacks?: Callback[];
  /** 0 silent, 1 progress bar (one line per epoch when not a terminal), 2 one line per epoch. Default 1. */
  verbose?: 0 | 1 | 2;
  /** Weight of each class in the loss (integer labels): `{0: 1, 1: 5}`. */
  classWeight?: Record<number, number>;
  /** Epoch to start from (resuming a run); epochs are counted from 0. */
  initialEpoch?: number;
  /**
   * Save a checkpoint (weights, optimizer, generator states, callback states, epoch) in this
   * directory at the end of every epoch, and if it already holds one, resume from it (its epoch
   * wins over `initialEpoch`): a killed run restarted with the same call continues exactly where
   * its last epoch ended, and returns the History of the whole run. What it cannot restore: the
   * state of a callback without `getState`/`setState` (see `Callback`), of a batch source that is
   * not a DataLoader, of a Dataset that draws random numbers itself, and anything else the
   * program outside fit keeps.
   */
  checkpointDir?: string;
  /** Seed of the shuffling order (each epoch's order depends only on the seed and the epoch). */
  seed?: number;
  /** Where the progress is written (default process.stdout). */
  stream?: ProgressStream;
}

/**
 * A function run on the gradients between backward and the optimizer step, given the trained
 * parameters by path: it reads and may replace each one's `.grad` (an all-reduce across workers,
 * as PyTorch DDP's communication hook; accumulation; noise). Runs before the optimizer's clipping.
 */
export type GradientHook = (params: NamedParameters) => void;

/** What the gradient phase of a training step returns: the batch's loss and predictions (for the metrics). */
export interface GradientResult {
  loss: Tensor;
  yPred: Tensor;
}

/**
 * A Layer that can be trained: `compile`, `fit`, `evaluate`, `predict`, `save`. Subclass it and
 * define `call(inputs, training)`, assigning layers as properties, or use `Sequential`.
 *
 * The training loop is `fit` → `trainStep(batch)` per batch, with the callbacks called around
 * it; override `trainStep` for a custom step, or one of its phases (`forwardLoss`,
 * `computeGradients`, `transformGradients`, `optimizerStep`), or add `gradientHooks`. `fit`
 * runs the model in training mode, `evaluate`/`predict` in inference mode, and the
 * layers `call` applies without a `training` argument inherit it. The same model also trains
 * by hand: `model.build([null, 784])` (or one call) before making the optimizer, `model.train()`,
 * then `loss.backward(); optimizer.step(); optimizer.zeroGrad()`.
 */
export abstract class Model extends Layer {
  optimizer: Optimizer | null = null;
  loss: LossFn | null = null;
  compiledMetrics: Metric[] = [];
  /** Set to true (e.g. by a callback) to end `fit` after the current epoch. */
  stopTraining = false;
  /** Names given to compile (the loss as a name or a config), kept for model.json. */
  compileConfig: { optimizer?: string; loss?: SavedLoss; metrics?: string[] } | null = null;
  private classWeight: Record<number, number> | null = null;
  /** Batches whose outputs `computeLoss` still checks against a probability loss (see compile). */
  private probabilityChecksLeft = 0;
  /** Shape of one input sample (no batch dim), recorded on the first call; saved in model.json. */
  sampleInputShape: number[] | null = null;
  /**
   * Anything to remember with the model, as JSON: saved in model.json by `save` and given back by
   * `loadModel`. `nabla train` records the data set, its input preprocessing and the class names
   * here, which `nabla evaluate`, `predict` and `plot --confusion` read.
   *
   * @example
   * model.metadata = { dataset: 'fashion-mnist', classNames: data.classNames };
   */
  metadata: Record<string, JsonValue> = {};
  /**
   * Run in order on every step's gradients, between backward and the optimizer step (see
   * `GradientHook`); a data-parallel wrapper adds its all-reduce here.
   *
   * @example
   * model.gradientHooks.push((params) => { for (const [, p] of params) if (p.grad) p.grad = allReduceMean(p.grad); });
   */
  readonly gradientHooks: GradientHook[] = [];
  /** The parameters the optimizer steps, collected once per fit and when weights change. */
  private readonly trained = new TrainedParameters();
  /** The privacy settings given to compile, or null. */
  privacy: PrivacyOptions | null = null;
  /** The DP-SGD engine while a private `fit` runs (null otherwise). */
  privateEngine: PrivateEngine | null = null;

  override apply(inputs: Tensor, training?: boolean): Tensor {
    if (this.sampleInputShape === null && inputs instanceof Tensor) this.sampleInputShape = inputs.shape.slice(1);
    return super.apply(inputs, training);
  }

  /** Configures training: optimizer, loss and metrics. */
  compile(opts: CompileOptions): void {
    if (!opts || opts.loss === undefined) throw new ValueError("compile: a loss is required, e.g. model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' })");
    this.optimizer = getOptimizer(opts.optimizer ?? 'rmsprop');
    this.loss = getLoss(opts.loss);
    // a list, even from a file: 'accuracy' alone would map over its characters or fail raw
    if (opts.metrics !== undefined && !Array.isArray(opts.metrics)) {
      throw new ValueError(`compile: metrics must be a list, e.g. metrics: ['accuracy'], got ${typeof opts.metrics === 'string' ? JSON.stringify(opts.metrics) : typeof opts.metrics}`);
    }
    this.compiledMetrics = (opts.metrics ?? []).map((m) => getMetric(m));
    if (opts.privacy !== undefined) {
      checkPrivacyOptions('compile', opts.privacy);
      checkPrivateLayers(this);
    }
    this.privacy = opts.privacy ? { ...opts.privacy } : null;
    this.compileConfig = {
      optimizer: typeof opts.optimizer === 'string' ? opts.optimizer : undefined,
      loss: savedLossOf(this.loss),
      metrics: (opts.metrics ?? []).filter((m): m is string => typeof m === 'string'),
    };
    // logits given to a loss that expects probabilities train without an error, towards the
    // wrong optimum: the first batches' outputs are looked at (reading them back costs a copy)
    this.probabilityChecksLeft = 3;
  }

  private requireCompiled(op: string): { optimizer: Optimizer; loss: LossFn } {
    if (!this.optimizer || !this.loss) throw new ValueError(`${op}: the model must be compiled first: model.compile({ optimizer: 'adam', loss: '...' })`);
    return { optimizer: this.optimizer, loss: this.loss };
  }

  /** The training loss of one batch: the compiled loss (class-weighted if asked) plus regularization. */
  computeLoss(y: Tensor, yPred: Tensor): Tensor {
    const { loss } = this.requireCompiled('computeLoss');
    if (this.probabilityChecksLeft > 0) this.probabilityChecksLeft = warnIfNotProbabilities(loss, yPred) ? 0 : this.probabilityChecksLeft - 1;
    let value: Tensor;
    if (this.classWeight) {
      const perSample = loss(y, yPred, { reduction: 'none' });
      value = mean(mul(perSample, sampleWeights(y, this.classWeight)));
    } else {
      value = loss(y, yPred);
    }
    const reg = this.regularizationLoss();
    return reg ? value.add(reg) : value;
  }

  /**
   * One optimisation step on one batch; returns the batch's logs. Override for custom training
   * (GANs, extra losses), or override one phase: `computeGradients` (forward, loss, backward:
   * replaced by a DP-SGD trainer's per-example clipping and noise), `transformGradients` (the
   * `gradientHooks`: an all-reduce), `optimizerStep`. The metrics are updated last.
   */
  trainStep(batch: Batch): Logs {
    const { optimizer } = this.requireCompiled('trainStep');
    if (this.privateEngine && batch[0].shape[0] === 0) {
      // a Poisson batch may be empty: the step is the noise alone (the accounting counts it)
      this.privateEngine.sampler.run(() => undefined);
      this.privateEngine.privatize();
      this.transformGradients(this.trainedParameters());
      this.optimizerStep(optimizer);
      return { loss: 0 };
    }
    const { loss, yPred } = this.computeGradients(batch);
    this.transformGradients(this.trainedParameters());
    this.optimizerStep(optimizer);
    const value = loss.item();
    noGrad(() => this.compiledMetrics.forEach((m) => m.update(batch[1], yPred.detach())));
    return { loss: value };
  }

  /** The forward pass and the training loss of one batch (the first phase of `trainStep`). */
  forwardLoss([x, y]: Batch): GradientResult {
    const yPred = this.apply(x, true);
    return { loss: this.computeLoss(y, yPred), yPred };
  }

  /**
   * Leaves the gradient of the batch's loss in each trained parameter's `.grad`: `forwardLoss`
   * then `backward()`. Called once per batch; override it to compute the gradients another way
   * (per-example gradients, clipped and noised, for differential privacy).
   */
  computeGradients(batch: Batch): GradientResult {
    if (this.privateEngine) return this.privateGradients(this.privateEngine, batch);
    const result = this.forwardLoss(batch);
    result.loss.backward();
    return result;
  }

  /**
   * DP-SGD's gradient phase: the forward and the backward of the summed per-example losses,
   * recorded layer by layer, then each example's gradient clipped and the sum noised
   * (`PrivateEngine.privatize`); regularization penalties, which read no data, are added after.
   */
  private privateGradients(engine: PrivateEngine, [x, y]: Batch): GradientResult {
    const { loss } = this.requireCompiled('trainStep');
    let value: Tensor | null = null;
    let yPred: Tensor | null = null;
    engine.sampler.run(() => {
      yPred = this.apply(x, true);
      if (this.probabilityChecksLeft > 0) this.probabilityChecksLeft = warnIfNotProbabilities(loss, yPred) ? 0 : this.probabilityChecksLeft - 1;
      let perSample = loss(y, yPred, { reduction: 'none' });
      if (this.classWeight) perSample = mul(perSample, sampleWeights(y, this.classWeight));
      const total = sum(perSample);
      total.backward();
      value = total.detach().div(x.shape[0]!);
    });
    engine.privatize();
    const reg = this.regularizationLoss();
    if (reg) {
      const params = this.trainedParameters().map(([, t]) => t);
      addToGrads(params, gradients(reg, params, { allowUnused: true }));
      value = value!.add(reg.detach());
    }
    return { loss: value!, yPred: yPred! };
  }

  /** Runs the `gradientHooks` in order on the trained parameters, whose `.grad` they may replace. */
  transformGradients(params: NamedParameters): void {
    for (const hook of this.gradientHooks) hook(params);
  }

  /** Steps the optimizer on the gradients in `.grad`, then clears them. */
  optimizerStep(optimizer: Optimizer): void {
    optimizer.step();
    optimizer.zeroGrad();
  }

  /**
   * The trainable parameters by path, registered with the compiled optimizer. The layer tree is
   * walked once per `fit`, and again only after a weight was added (layers make theirs on the
   * first batch) or a `trainable` flag changed; call it after the forward pass of a first batch.
   */
  trainedParameters(): NamedParameters {
    return this.trained.sync(this, this.requireCompiled('trainStep').optimizer);
  }

  /** Loss and metric updates for one batch without training. */
  testStep([x, y]: Batch): Logs {
    const { loss } = this.requireCompiled('evaluate');
    return noGrad(() => {
      const yPred = this.apply(x, false);
      const value = loss(y, yPred).item();
      this.compiledMetrics.forEach((m) => m.update(y, yPred));
      return { loss: value };
    });
  }

  /**
   * Trains for `epochs` over `(x, y)` tensors or over a batch source (a DataLoader or any
   * iterable of `[x, y]` batches). Returns the History of per-epoch logs. Stops with an error
   * naming the epoch and batch if the loss becomes NaN or infinite.
   *
   * The loop is short: the callbacks (the user's, then the progress bar, History and the
   * checkpointer, see `CallbackList`) are called around each epoch and batch, and each batch is
   * one `trainStep`.
   */
  async fit(x: Tensor | BatchSource | readonly string[], y?: Tensor | FitOptions, options: FitOptions = {}): Promise<History> {
    const given = y instanceof Tensor || y === undefined ? options : y;
    // texts go in through the model's TextVectorization, encoded once (string-inputs.ts)
    const opts = { ...given, validationData: encodeTextBatch<Batch | BatchSource | undefined>(this, given.validationData, 'fit') };
    this.requireCompiled('fit');
    const epochs = opts.epochs ?? 1;
    if (!Number.isInteger(epochs) || epochs < 0) throw new ValueError(`fit: epochs must be a non-negative integer, got ${epochs}`);
    const inputs = fitInputs(encodeTextInput<Tensor | BatchSource>(this, x, 'fit'), y instanceof Tensor ? y : undefined, opts);
    const { validation } = inputs;
    let train = inputs.train;
    // an engine left by a fit that failed before its loop must not make this one private
    this.privateEngine = null;
    if (this.privacy) {
      const priv = this.privateFitData(train, opts, epochs);
      train = priv.train;
      this.privateEngine = priv.engine;
    }
    this.classWeight = opts.classWeight ?? null;
    this.stopTraining = false;
    this.trained.reset();
    const history = new History();
    // it restores a checkpoint at onTrainBegin, last: after every random draw of the setup and every other callback's reset
    const checkpointer = opts.checkpointDir === undefined ? null : new FitCheckpointer(this, opts.checkpointDir, { train, validation, callbacks: [...(opts.callbacks ?? []), history] });
    const batchesPerEpoch = 'length' in train && typeof train.length === 'number' ? train.length : undefined;
    const firstEpoch = checkpointer?.resumedEpoch ?? opts.initialEpoch ?? 0;
    // a resumed private run has spent the earlier epochs' steps (a Poisson epoch has a fixed count)
    if (this.privateEngine) this.privateEngine.steps = firstEpoch * (batchesPerEpoch ?? 0);
    warnIfWarmupOutlastsRun(this.optimizer, batchesPerEpoch, epochs - firstEpoch);
    warnSublayerModes(this, 'fit', true);
    const verbose = opts.verbose ?? 1;
    const progress = verbose ? new ProgbarLogger({ epochs, total: batchesPerEpoch ?? 0, verbose, stream: opts.stream }) : null;
    const own = [progress, history, checkpointer].filter((cb): cb is ProgbarLogger | History | FitCheckpointer => cb !== null);
    const callbacks = new CallbackList([...(opts.callbacks ?? []), ...own]);
    callbacks.setModel(this);
    await callbacks.onTrainBegin();
    try {
      for (let epoch = firstEpoch; epoch < epochs && !this.stopTraining; epoch++) {
        await callbacks.onEpochBegin(epoch);
        const logs = await this.trainEpoch(train instanceof EpochBatches ? train.forEpoch(epoch) : train, epoch, callbacks);
        if (this.privateEngine) logs['epsilon'] = this.privateEngine.epsilon();
        if (validation) {
          const val = await this.evaluate(validation, undefined, { batchSize: opts.batchSize, verbose: 0 });
          for (const [k, v] of Object.entries(val)) logs[`val_${k}`] = v;
        }
        await callbacks.onEpochEnd(epoch, logs);
      }
    } finally {
      this.classWeight = null;
      this.privateEngine?.detach();
      this.privateEngine = null;
    }
    await callbacks.onTrainEnd();
    return history;
  }

  /**
   * A private fit's batches and engine: (x, y) tensors are Poisson-sampled (as is a DataLoader
   * made with `sampling: 'poisson'`); the privacy settings are resolved for this data and run.
   */
  private privateFitData(train: BatchSource | EpochBatches, opts: FitOptions, epochs: number): { train: BatchSource; engine: PrivateEngine } {
    const privacy = this.privacy!;
    let loader: DataLoader;
    if (train instanceof EpochBatches) {
      const seed = privacy.noiseSeed ?? null;
      loader = new DataLoader([train.x, train.y], { batchSize: train.batchSize, sampling: 'poisson', ...(seed !== null ? { seed: seed + 1 } : {}) });
    } else if (train instanceof DataLoader && train.sampleRate !== null) {
      loader = train;
    } else {
      throw new ValueError("fit: private training samples its own batches: pass (x, y) tensors, or a DataLoader made with sampling: 'poisson'");
    }
    if (opts.shuffle === false) throw new ValueError('fit: private training draws Poisson batches; shuffle: false cannot apply (leave it out)');
    const settings = resolvePrivacy('fit', privacy, loader.dataset.length, loader.batchSize, epochs);
    return { train: loader as unknown as BatchSource, engine: new PrivateEngine(this, settings) };
  }

  /** One epoch of `fit`: a `trainStep` per batch between the batch hooks; returns the epoch's logs. */
  private async trainEpoch(batches: BatchSource, epoch: number, callbacks: CallbackList): Promise<Logs> {
    const lossMean = new Mean('loss');
    this.compiledMetrics.forEach((m) => m.reset());
    let step = 0;
    for await (const raw of batches) {
      const batch = toBatch(raw);
      await callbacks.onBatchBegin(step);
      // a trainStep that applies the model (or its layers) without a flag still trains
      const loss = withTraining(true, () => this.trainStep(batch)).loss ?? NaN;
      if (!Number.isFinite(loss)) {
        throw new ValueError(
          `fit: the loss became ${loss} at epoch ${epoch + 1}, batch ${step + 1}; training stopped (TerminateOnNaN). ` +
            'Lower the learning rate, normalise the inputs, or check the labels.',
        );
      }
      lossMean.update(loss, batch[0].shape[0] ?? 1);
      await callbacks.onBatchEnd(step, this.currentLogs(lossMean));
      step++;
    }
    return this.currentLogs(lossMean);
  }

  private currentLogs(lossMean: Mean): Logs {
    const logs: Logs = { loss: lossMean.result() };
    for (const m of this.compiledMetrics) logs[m.name] = m.result();
    return logs;
  }

  /** Loss and metrics over `(x, y)` (x may be texts) or a batch source, without training: `{ loss, accuracy, … }`. */
  async evaluate(input: Tensor | Batch | BatchSource | readonly string[] | TextBatch, y?: Tensor, opts: { batchSize?: number; verbose?: 0 | 1 } = {}): Promise<Logs> {
    this.requireCompiled('evaluate');
    const x = encodeTextBatch<Tensor | Batch | BatchSource>(this, encodeTextInput<Tensor | Batch | BatchSource | TextBatch>(this, input, 'evaluate'), 'evaluate');
    let source: BatchSource;
    if (x instanceof Tensor) {
      if (!y) throw new ValueError('evaluate: targets y are required with tensor inputs: model.evaluate(x, y)');
      checkSamples('evaluate', x, y);
      source = tensorBatches(x, y, opts.batchSize ?? 32, false);
    } else if (Array.isArray(x) && x.length === 2 && x[0] instanceof Tensor && x[1] instanceof Tensor) {
      checkSamples('evaluate', x[0], x[1]);
      source = tensorBatches(x[0], x[1], opts.batchSize ?? 32, false);
    } else {
      source = asBatchSource(x, 'evaluate');
    }
    const lossMean = new Mean('loss');
    this.compiledMetrics.forEach((m) => m.reset());
    warnSublayerModes(this, 'evaluate', false);
    for await (const raw of source) {
      const batch = toBatch(raw, 'evaluate');
      const logs = withTraining(false, () => this.testStep(batch));
      lossMean.update(logs.loss ?? NaN, batch[0].shape[0] ?? 1);
    }
    return this.currentLogs(lossMean);
  }

  /**
   * Outputs for `x`, computed in batches without recording gradients. `x` may be an array of
   * texts when the model's first layer is a `TextVectorization`.
   *
   * @example
   * model.predict(['a great film', 'a dull one'])   // [2, classes]
   */
  predict(input: Tensor | readonly string[], opts: { batchSize?: number } = {}): Tensor {
    const x = encodeTextInput<Tensor>(this, input, 'predict');
    if (!(x instanceof Tensor)) throw new ValueError('predict: x must be a Tensor (or an array of strings for a model whose first layer is a TextVectorization)');
    const batchSize = opts.batchSize ?? 32;
    const n = x.shape[0] ?? 0;
    warnSublayerModes(this, 'predict', false);
    return withTraining(false, () => noGrad(() => {
      const outs: Tensor[] = [];
      for (let i = 0; i < n; i += batchSize) outs.push(this.apply(stridedSliceRows(x, i, Math.min(n, i + batchSize)), false));
      if (outs.length === 0) throw new ValueError('predict: x has no samples');
      return outs.length === 1 ? outs[0]! : concat(outs, 0);
    }));
  }

  /** Saves the model to a directory: model.json (architecture) and weights.safetensors. */
  async save(dir: string): Promise<void> {
    const { saveModel } = await import('./save.js');
    saveModel(this, dir);
  }

  /** Writes only the weights, as a safetensors file. */
  async saveWeights(path: string): Promise<void> {
    const { saveWeights } = await import('./save.js');
    saveWeights(this, path);
  }

  /** Loads weights written by `saveWeights` or `save` (a .safetensors file, or a model directory). */
  async loadWeights(path: string): Promise<void> {
    const { loadWeights } = await import('./save.js');
    loadWeights(this, path);
  }
}

/** Per-sample weights from integer labels (or one-hot rows) and a class-weight table. */
function sampleWeights(y: Tensor, classWeight: Record<number, number>): Tensor {
  const labels = y.dtype === 'int32' ? y.data() : y.ndim >= 2 ? y.argmax(-1).data() : y.cast('int32').data();
  const w = new Float32Array(labels.length);
  for (let i = 0; i < labels.length; i++) w[i] = classWeight[labels[i]!] ?? 1;
  return tensor(w);
}
