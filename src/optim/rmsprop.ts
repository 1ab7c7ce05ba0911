import { BASE_OPTION_KEYS, Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';
import type { FloatArray, ParamsInput } from './params.js';
import { booleanOption, checkOptionKeys, numberOption, splitArgs } from './validate.js';

/** Options of `RMSprop` (defaults are Keras'). */
export interface RMSpropOptions extends OptimizerOptions {
  /** Default 0.001. */
  learningRate?: OptimizerOptions['learningRate'];
  /** Decay ρ of the squared-gradient average, in [0, 1). Default 0.9 (PyTorch calls it alpha, 0.99). */
  rho?: number;
  /** Momentum factor μ in [0, 1]. Default 0 (no slot). */
  momentum?: number;
  /** Added under the square root. Default 1e-7. */
  epsilon?: number;
  /** Divide by an estimate of the gradient's variance rather than its second moment. Default false. */
  centered?: boolean;
}

const KEYS = [...BASE_OPTION_KEYS, 'rho', 'momentum', 'epsilon', 'centered'];

/**
 * RMSprop (Hinton, lecture 6e) as Keras computes it, ε inside the square root:
 *
 *   v ← ρ·v + (1 − ρ)·g²
 *   centered:   a ← ρ·a + (1 − ρ)·g;  d = v − a² + ε      otherwise d = v + ε
 *   Δ = lr·g / √d
 *   μ > 0:      s ← μ·s + Δ;  w ← w − s                   otherwise w ← w − Δ
 *
 * (PyTorch adds ε outside the root, to √v.) Slots: `velocity`, plus `averageGradient` when
 * centered and `momentum` when μ > 0.
 *
 * @example
 * const opt = new nb.optim.RMSprop({ learningRate: 1e-3, centered: true });
 */
export class RMSprop extends Optimizer {
  override readonly name = 'rmsprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(opts?: RMSpropOptions);
  constructor(params: ParamsInput, opts?: RMSpropOptions);
  constructor(first?: ParamsInput | RMSpropOptions, second?: RMSpropOptions) {
    const { params, opts } = splitArgs<RMSpropOptions>('RMSprop', first, second);
    checkOptionKeys('RMSprop', opts, KEYS);
    super('RMSprop', opts, 0.001);
    this.rho = numberOption('RMSprop', 'rho', opts.rho, 0.9, { min: 0, max: 1, maxExclusive: true });
    this.momentum = numberOption('RMSprop', 'momentum', opts.momentum, 0, { min: 0, max: 1 });
    this.epsilon = numberOption('RMSprop', 'epsilon', opts.epsilon, 1e-7, { min: 0 });
    this.centered = booleanOption('RMSprop', 'centered', opts.centered, false);
    this.buildFromConstructor(params);
  }

  protected override slotSpecs(): Readonly<Record<string, number>> {
    const specs: Record<string, number> = { velocity: 0 };
    if (this.centered) specs['averageGradient'] = 0;
    if (this.momentum > 0) specs['momentum'] = 0;
    return specs;
  }

  override updateStep(param: FloatArray, grad: FloatArray, slots: Record<string, FloatArray>, lr: number): void {
    const rho = this.rho;
    const eps = this.epsilon;
    const mu = this.momentum;
    const v = this.slot(slots, 'velocity');
    const a = this.centered ? this.slot(slots, 'averageGradient') : null;
    const s = mu > 0 ? this.slot(slots, 'momentum') : null;
    for (let i = 0, n = param.length; i < n; i++) {
      const g = grad[i]!;
      v[i] = rho * v[i]! + (1 - rho) * g * g;
      let d: number;
      if (a !== null) {
        a[i] = rho * a[i]! + (1 - rho) * g;
        d = v[i]! - a[i]! * a[i]! + eps;
      } else {
        d = v[i]! + eps;
      }
      const delta = (lr * g) / Math.sqrt(d);
      if (s !== null) {
        s[i] = mu * s[i]! + delta;
        param[i]! -= s[i]!;
      } else {
        param[i]! -= delta;
      }
    }
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
