import { BASE_OPTION_KEYS, Optimizer, type OptimizerConfig, type OptimizerOptions } from './optimizer.js';
import type { FloatArray, ParamsInput } from './params.js';
import { checkOptionKeys, numberOption, splitArgs } from './validate.js';

/** Options of `Adagrad` (defaults are Keras'). */
export interface AdagradOptions extends OptimizerOptions {
  /** Default 0.001 (PyTorch: 0.01). */
  learningRate?: OptimizerOptions['learningRate'];
  /** Starting value of the accumulator, >= 0. Default 0.1 (Keras; PyTorch uses 0). */
  initialAccumulatorValue?: number;
  /** Added under the square root. Default 1e-7. */
  epsilon?: number;
}

const KEYS = [...BASE_OPTION_KEYS, 'initialAccumulatorValue', 'epsilon'];

/**
 * Adagrad (Duchi et al. 2011) as Keras computes it, ε inside the square root:
 *
 *   s ← s + g²            (s starts at initialAccumulatorValue)
 *   w ← w − lr·g / √(s + ε)
 *
 * Slot: `accumulator`.
 *
 * @example
 * const opt = new nb.optim.Adagrad({ learningRate: 0.01 });
 */
export class Adagrad extends Optimizer {
  override readonly name = 'adagrad';
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(opts?: AdagradOptions);
  constructor(params: ParamsInput, opts?: AdagradOptions);
  constructor(first?: ParamsInput | AdagradOptions, second?: AdagradOptions) {
    const { params, opts } = splitArgs<AdagradOptions>('Adagrad', first, second);
    checkOptionKeys('Adagrad', opts, KEYS);
    super('Adagrad', opts, 0.001);
    this.initialAccumulatorValue = numberOption('Adagrad', 'initialAccumulatorValue', opts.initialAccumulatorValue, 0.1, { min: 0 });
    this.epsilon = numberOption('Adagrad', 'epsilon', opts.epsilon, 1e-7, { min: 0 });
    this.buildFromConstructor(params);
  }

  protected override slotSpecs(): Readonly<Record<string, number>> {
    return { accumulator: this.initialAccumulatorValue };
  }

  override updateStep(param: FloatArray, grad: FloatArray, slots: Record<string, FloatArray>, lr: number): void {
    const eps = this.epsilon;
    const s = this.slot(slots, 'accumulator');
    for (let i = 0, n = param.length; i < n; i++) {
      const g = grad[i]!;
      s[i] = s[i]! + g * g;
      param[i]! -= (lr * g) / Math.sqrt(s[i]! + eps);
    }
  }

  override getConfig(): OptimizerConfig {
    return { ...super.getConfig(), initialAccumulatorValue: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
