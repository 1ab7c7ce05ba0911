import { backend } from '../backend/index.js';
import { ValueError } from '../tensor/errors.js';
import { BASE_OPTION_KEYS, Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';
import type { FloatArray, ParamsInput } from './params.js';
import { booleanOption, checkOptionKeys, numberOption, splitArgs } from './validate.js';

/** Options of `SGD` (defaults are Keras'). */
export interface SGDOptions extends OptimizerOptions {
  /** Default 0.01. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Momentum factor μ in [0, 1]. Default 0 (plain gradient descent, no slot). */
  momentum?: number;
  /** Nesterov momentum (needs momentum > 0). Default false. */
  nesterov?: boolean;
  /**
   * L2 penalty λ added to the gradient, g ← g + λ·w (PyTorch's SGD `weight_decay`). Default 0. A
   * parameter group's `weightDecay` replaces it for the group's parameters.
   */
  weightDecay?: number;
}

const KEYS = [...BASE_OPTION_KEYS, 'momentum', 'nesterov', 'weightDecay'];

/**
 * Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
 * following Keras' formulation (the velocity slot holds the learning rate inside it):
 *
 *   g ← g + λ·w
 *   μ = 0:      w ← w − lr·g
 *   momentum:   v ← μ·v − lr·g;  w ← w + v
 *   nesterov:   v ← μ·v − lr·g;  w ← w + μ·v − lr·g
 *
 * With a constant learning rate this is the same trajectory as PyTorch's SGD (whose buffer is
 * −v/lr). Slot: `momentum` (only when μ > 0). Each parameter is updated in one pass over memory by
 * the backend's `sgdUpdate` kernel.
 *
 * @example
 * const opt = new nb.optim.SGD([w, b], { learningRate: 0.1, momentum: 0.9, nesterov: true });
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
export class SGD extends Optimizer {
  override readonly name = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;

  constructor(opts?: SGDOptions);
  constructor(params: ParamsInput, opts?: SGDOptions);
  constructor(first?: ParamsInput | SGDOptions, second?: SGDOptions) {
    const { params, opts } = splitArgs<SGDOptions>('SGD', first, second);
    checkOptionKeys('SGD', opts, KEYS);
    super('SGD', opts, 0.01);
    this.momentum = numberOption('SGD', 'momentum', opts.momentum, 0, { min: 0, max: 1 });
    this.nesterov = booleanOption('SGD', 'nesterov', opts.nesterov, false);
    this.weightDecay = numberOption('SGD', 'weightDecay', opts.weightDecay, 0, { min: 0 });
    if (this.nesterov && this.momentum === 0) throw new ValueError('SGD: nesterov needs momentum > 0; set momentum (e.g. 0.9) or drop nesterov');
    this.buildFromConstructor(params);
  }

  protected override slotSpecs(): Readonly<Record<string, number>> {
    return this.momentum > 0 ? { momentum: 0 } : {};
  }

  /** A group may set its own weight decay. */
  protected static override readonly hasWeightDecay: boolean = true;

  protected override defaultWeightDecay(): number {
    return this.weightDecay;
  }

  override updateStep(param: FloatArray, grad: FloatArray, slots: Record<string, FloatArray>, lr: number, weightDecay: number): void {
    const velocity = this.momentum > 0 ? this.slot(slots, 'momentum') : null;
    backend().sgdUpdate(param, grad, velocity, { lr, momentum: this.momentum, nesterov: this.nesterov, weightDecay });
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }
}
