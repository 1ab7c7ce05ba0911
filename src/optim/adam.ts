import { backend } from '../backend/index.js';
import { BASE_OPTION_KEYS, Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';
import type { FloatArray, ParamsInput } from './params.js';
import { booleanOption, checkOptionKeys, numberOption, splitArgs } from './validate.js';

/** Options of `Adam` (defaults are Keras'). */
export interface AdamOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay of the first-moment average, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment average, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to √v (Keras' "epsilon hat"). Default 1e-7 (Keras; PyTorch uses 1e-8). */
  epsilon?: number;
  /** Use the running maximum of v (AMSGrad, Reddi et al. 2018). Default false. Adds slot `vHat`. */
  amsgrad?: boolean;
}

/** Options of `AdamW`: Adam's plus the decoupled weight decay. */
export interface AdamWOptions extends AdamOptions {
  /**
   * Decoupled decay λ: w ← w − lr·λ·w before each Adam update. Default 0.004 (Keras; PyTorch uses
   * 0.01). A parameter group's `weightDecay` replaces it for the group's parameters.
   */
  weightDecay?: number;
}

const ADAM_KEYS = [...BASE_OPTION_KEYS, 'beta1', 'beta2', 'epsilon', 'amsgrad'];
const ADAMW_KEYS = [...ADAM_KEYS, 'weightDecay'];

/**
 * Adam (Kingma & Ba 2015) in the form Keras uses (the paper's "efficient version", §2): with
 * t = iterations + 1,
 *
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   (amsgrad: v̂ ← max(v̂, v), and v̂ replaces v below)
 *   lr_t = lr · √(1 − β2ᵗ) / (1 − β1ᵗ)
 *   w ← w − lr_t · m / (√v + ε)
 *
 * ε is added to the uncorrected √v, so this equals PyTorch's Adam (ε added to √v̂ after bias
 * correction) with ε scaled by √(1 − β2ᵗ); the two differ only where √v is near ε. The step
 * count t is the optimizer's global `iterations`, as in Keras. Slots: `m`, `v` (and `vHat`).
 * Each parameter is updated in one pass over memory by the backend's `adamUpdate` kernel, in the
 * parameter's precision (float32 arithmetic for float32 weights).
 *
 * @example
 * const opt = new nb.optim.Adam({ learningRate: 1e-3 });
 * opt.applyGradients([[gw, w]]);
 */
export class Adam extends Optimizer {
  override readonly name: string = 'adam';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;
  /** The class name errors start with (AdamW reuses this constructor). */
  protected static readonly label: string = 'Adam';

  constructor(opts?: AdamOptions);
  constructor(params: ParamsInput, opts?: AdamOptions);
  constructor(first?: ParamsInput | AdamOptions, second?: AdamOptions) {
    const op = new.target.label;
    const { params, opts } = splitArgs<AdamOptions>(op, first, second);
    checkOptionKeys(op, opts, ADAM_KEYS);
    super(op, opts, 0.001);
    this.beta1 = numberOption(op, 'beta1', opts.beta1, 0.9, { min: 0, max: 1, maxExclusive: true });
    this.beta2 = numberOption(op, 'beta2', opts.beta2, 0.999, { min: 0, max: 1, maxExclusive: true });
    this.epsilon = numberOption(op, 'epsilon', opts.epsilon, 1e-7, { min: 0 });
    this.amsgrad = booleanOption(op, 'amsgrad', opts.amsgrad, false);
    this.buildFromConstructor(params);
  }

  protected override slotSpecs(): Readonly<Record<string, number>> {
    return this.amsgrad ? { m: 0, v: 0, vHat: 0 } : { m: 0, v: 0 };
  }

  /** The Adam update above in one pass over memory (the backend's fused kernel), after AdamW's decay w ← w − lr·λ·w (λ is 0 for Adam). */
  override updateStep(param: FloatArray, grad: FloatArray, slots: Record<string, FloatArray>, lr: number, weightDecay: number): void {
    const decay = lr * weightDecay;
    const t = this.iterations + 1;
    const lrT = (lr * Math.sqrt(1 - Math.pow(this.beta2, t))) / (1 - Math.pow(this.beta1, t));
    const vHat = this.amsgrad ? this.slot(slots, 'vHat') : null;
    const h = { lrT, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, decay };
    backend().adamUpdate(param, grad, this.slot(slots, 'm'), this.slot(slots, 'v'), vHat, h);
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * AdamW (Loshchilov & Hutter 2019): Adam with decoupled weight decay. Each step first shrinks the
 * weights, w ← w − lr·λ·w (lr the learning rate of the step, not lr_t), then applies the Adam
 * update above with the raw gradient. Default λ = 0.004 as in Keras (PyTorch's default is 0.01;
 * pass `weightDecay: 0.01` to match it). Parameter groups may have their own λ, as in PyTorch.
 *
 * @example
 * const opt = new nb.optim.AdamW(model.parameters(), { learningRate: 3e-4, weightDecay: 0.01 });
 * // no decay for the vectors (biases, norm scales), as nanoGPT
 * new nb.optim.AdamW(params, { weightDecay: 0.1, paramGroups: [{ params: vectors, weightDecay: 0 }] });
 */
export class AdamW extends Adam {
  override readonly name: string = 'adamw';
  readonly weightDecay: number;
  protected static override readonly label: string = 'AdamW';

  constructor(opts?: AdamWOptions);
  constructor(params: ParamsInput, opts?: AdamWOptions);
  constructor(first?: ParamsInput | AdamWOptions, second?: AdamWOptions) {
    const { params, opts } = splitArgs<AdamWOptions>('AdamW', first, second);
    checkOptionKeys('AdamW', opts, ADAMW_KEYS);
    const { weightDecay, ...adamOpts } = opts;
    super(adamOpts);
    this.weightDecay = numberOption('AdamW', 'weightDecay', weightDecay, 0.004, { min: 0 });
    this.buildFromConstructor(params);
  }

  /** A group may set its own weight decay. */
  protected static override readonly hasWeightDecay: boolean = true;

  protected override defaultWeightDecay(): number {
    return this.weightDecay;
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}
