/**
 * Keras-style loss objects: a loss with its options bound (`new SparseCategoricalCrossentropy({
 * fromLogits: true })`), callable like the loss functions, with a JSON config that model.json
 * keeps so that a saved model reloads compiled with the same loss.
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import * as fns from './losses.js';
import type { Reduction } from './losses.js';
import { describeNonProbabilities } from './probability-check.js';

/**
 * A loss as saved in model.json and accepted by `compile({ loss })`: its name and options,
 * e.g. `{ name: 'sparseCategoricalCrossentropy', fromLogits: true }`.
 */
export interface LossConfig {
  name: string;
  fromLogits?: boolean;
  labelSmoothing?: number;
  delta?: number;
  /** The CTC loss's blank id and `zeroInfinity` (losses-ctc.ts). */
  blank?: number;
  zeroInfinity?: boolean;
  reduction?: Reduction;
}

/** Options of every loss object. */
export interface LossOptions {
  /** How per-sample losses are combined (default 'mean'); a call's `{ reduction }` overrides it. */
  reduction?: Reduction;
}

/** Options of the cross-entropy loss objects. */
export interface CrossentropyLossOptions extends LossOptions {
  /** The predictions are logits (no softmax/sigmoid at the end of the model). Default false. */
  fromLogits?: boolean;
  /** ε in [0, 1]: train against softened targets (default 0). */
  labelSmoothing?: number;
}

/** Options of `Huber`. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (> 0, default 1). */
  delta?: number;
}

const REDUCTIONS: readonly Reduction[] = ['mean', 'sum', 'none'];
/** Python spellings someone coming from Keras will type. */
const SNAKE: Readonly<Record<string, string>> = { from_logits: 'fromLogits', label_smoothing: 'labelSmoothing' };

function checkKeys(op: string, opts: object, allowed: readonly string[]): void {
  for (const key of Object.keys(opts)) {
    if (allowed.includes(key)) continue;
    const snake = Object.hasOwn(SNAKE, key) ? SNAKE[key] : undefined;
    const meant = snake !== undefined && allowed.includes(snake) ? ` (did you mean '${snake}'?)` : '';
    throw new ValueError(`${op}: unknown option '${key}'${meant}; valid options are ${allowed.map((k) => `'${k}'`).join(', ')}`);
  }
}

function checkReduction(op: string, r: unknown): Reduction {
  if (r === undefined) return 'mean';
  if (!REDUCTIONS.includes(r as Reduction)) throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${JSON.stringify(r)}`);
  return r as Reduction;
}

/** A loss object is also the loss function: `loss(yTrue, yPred)`, `loss(yTrue, yPred, { reduction: 'none' })`. */
export interface Loss {
  (yTrue: Tensor, yPred: Tensor, opts?: { reduction?: Reduction }): Tensor;
}

/**
 * The base of the loss objects. An instance is a function (so it goes wherever a loss function
 * goes: `compile`, a hand-written loop), and an object with a `name`, a `reduction` and
 * `getConfig()`.
 *
 * @example
 * const loss = new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true });
 * loss(labels, logits).backward();
 */
export abstract class Loss {
  /** The registry name (`'sparseCategoricalCrossentropy'`), under which model.json saves it. */
  declare readonly name: string;
  /** How per-sample losses are combined when a call does not say. */
  declare readonly reduction: Reduction;

  protected constructor(name: string, opts: LossOptions, allowed: readonly string[]) {
    checkKeys(name, opts, [...allowed, 'reduction']);
    const reduction = checkReduction(name, opts.reduction);
    // JavaScript objects cannot be called, but a function can carry a prototype: the instance is
    // a function whose prototype chain is this class, as Keras' loss objects are callable.
    const loss = ((yTrue: Tensor, yPred: Tensor, callOpts: { reduction?: Reduction } = {}): Tensor =>
      loss.compute(yTrue, yPred, callOpts.reduction ?? loss.reduction)) as Loss;
    Object.setPrototypeOf(loss, new.target.prototype);
    Object.defineProperty(loss, 'name', { value: name, enumerable: true });
    Object.defineProperty(loss, 'reduction', { value: reduction, enumerable: true });
    return loss;
  }

  /** The loss of `yPred` against `yTrue`, combined with `reduction`. */
  protected abstract compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor;

  /** The options besides the name and reduction. */
  protected abstract options(): Omit<LossConfig, 'name' | 'reduction'>;

  /**
   * What is wrong with `yPred` as the input of this loss (a sentence), or null when nothing is
   * found: the probability losses say so when they are given values that are not probabilities.
   */
  checkPredictions(_yPred: Tensor): string | null {
    return null;
  }

  /** The JSON form that `lossFromConfig` (and `compile({ loss })`) rebuild the loss from. */
  getConfig(): LossConfig {
    return { name: this.name, ...this.options(), reduction: this.reduction };
  }
}
// Instances are functions: keep call/apply/bind and `instanceof Function` working on them.
Object.setPrototypeOf(Loss.prototype, Function.prototype);

/** mean((yPred − yTrue)²), as an object. */
export class MeanSquaredError extends Loss {
  constructor(opts: LossOptions = {}) {
    super('meanSquaredError', opts, []);
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): MeanSquaredError {
    return new MeanSquaredError(withoutName(config));
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return fns.meanSquaredError(yTrue, yPred, { reduction });
  }
  protected options(): Record<string, never> {
    return {};
  }
}

/** mean(|yPred − yTrue|), as an object. */
export class MeanAbsoluteError extends Loss {
  constructor(opts: LossOptions = {}) {
    super('meanAbsoluteError', opts, []);
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): MeanAbsoluteError {
    return new MeanAbsoluteError(withoutName(config));
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return fns.meanAbsoluteError(yTrue, yPred, { reduction });
  }
  protected options(): Record<string, never> {
    return {};
  }
}

/** The Huber loss (½d² within `delta`, linear beyond), as an object. */
export class Huber extends Loss {
  readonly delta: number;
  constructor(opts: HuberOptions = {}) {
    super('huber', opts, ['delta']);
    const delta = opts.delta ?? 1;
    if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new ValueError(`huber: delta must be a positive number, got ${String(delta)}`);
    this.delta = delta;
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): Huber {
    return new Huber(withoutName(config));
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return fns.huber(yTrue, yPred, { delta: this.delta, reduction });
  }
  protected options(): { delta: number } {
    return { delta: this.delta };
  }
}

/** The shared options and checks of the three cross-entropies. */
abstract class Crossentropy extends Loss {
  readonly fromLogits: boolean;
  readonly labelSmoothing: number;
  constructor(name: string, opts: CrossentropyLossOptions) {
    super(name, opts, ['fromLogits', 'labelSmoothing']);
    if (opts.fromLogits !== undefined && typeof opts.fromLogits !== 'boolean') throw new ValueError(`${name}: fromLogits must be true or false, got ${JSON.stringify(opts.fromLogits)}`);
    const eps = opts.labelSmoothing ?? 0;
    if (typeof eps !== 'number' || !(eps >= 0 && eps <= 1)) throw new ValueError(`${name}: labelSmoothing must be a number in [0, 1], got ${String(eps)}`);
    this.fromLogits = opts.fromLogits ?? false;
    this.labelSmoothing = eps;
  }
  protected options(): { fromLogits: boolean; labelSmoothing: number } {
    return { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing };
  }
  /** Whether each row of the predictions must sum to 1 (a distribution over classes). */
  protected abstract readonly rowsSumToOne: boolean;
  override checkPredictions(yPred: Tensor): string | null {
    if (this.fromLogits) return null;
    const problem = describeNonProbabilities(yPred, this.rowsSumToOne);
    if (problem === null) return null;
    const fix = this.rowsSumToOne ? "end the model with activation 'softmax'" : "end the model with activation 'sigmoid'";
    return `${this.name} expects probabilities but the model's outputs are not: ${problem}. If they are logits, compile with loss: { name: '${this.name}', fromLogits: true }; otherwise ${fix}`;
  }
}

/** Binary cross-entropy for targets in [0, 1], as an object (`fromLogits`, `labelSmoothing`). */
export class BinaryCrossentropy extends Crossentropy {
  protected readonly rowsSumToOne = false;
  constructor(opts: CrossentropyLossOptions = {}) {
    super('binaryCrossentropy', opts);
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): BinaryCrossentropy {
    return new BinaryCrossentropy(withoutName(config));
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return fns.binaryCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, reduction });
  }
}

/** Cross-entropy against one-hot (or soft) targets, as an object (`fromLogits`, `labelSmoothing`). */
export class CategoricalCrossentropy extends Crossentropy {
  protected readonly rowsSumToOne = true;
  constructor(opts: CrossentropyLossOptions = {}) {
    super('categoricalCrossentropy', opts);
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): CategoricalCrossentropy {
    return new CategoricalCrossentropy(withoutName(config));
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return fns.categoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, reduction });
  }
}

/**
 * Cross-entropy against integer labels, as an object. With `fromLogits: true` the model may end
 * in a plain `Dense(classes)` (PyTorch's CrossEntropyLoss convention).
 *
 * @example
 * model.compile({ optimizer: 'adam', loss: new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true }) });
 */
export class SparseCategoricalCrossentropy extends Crossentropy {
  protected readonly rowsSumToOne = true;
  constructor(opts: CrossentropyLossOptions = {}) {
    super('sparseCategoricalCrossentropy', opts);
  }
  /** Rebuilds the loss from `getConfig()`. */
  static fromConfig(config: Partial<LossConfig>): SparseCategoricalCrossentropy {
    return new SparseCategoricalCrossentropy(withoutName(config));
  }
  protected compute(yTrue: Tensor, yPred: Tensor, reduction: Reduction): Tensor {
    return fns.sparseCategoricalCrossentropy(yTrue, yPred, { fromLogits: this.fromLogits, labelSmoothing: this.labelSmoothing, reduction });
  }
}

/** A config's options: `fromConfig` accepts the whole `getConfig()`, name included. */
function withoutName<T extends { name?: string }>(config: T): Omit<T, 'name'> {
  const { name: _, ...opts } = config;
  return opts;
}
