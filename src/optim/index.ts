/**
 * Optimizers, learning-rate schedules and gradient clipping (`nb.optim`).
 *
 * @example
 * const opt = nb.optim.getOptimizer('adam', { learningRate: 1e-3 });
 * opt.build(model.namedParameters());
 * loss.backward(); opt.step(); opt.zeroGrad();
 */
import { ValueError } from '../tensor/errors.js';
import { Registry } from '../tensor/registry.js';
import { Adagrad, type AdagradOptions } from './adagrad.js';
import { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam.js';
import { Optimizer, type OptimizerConfig } from './optimizer.js';
import { RMSprop, type RMSpropOptions } from './rmsprop.js';
import { scheduleFromConfig, type ScheduleConfig } from './schedules.js';
import { SGD, type SGDOptions } from './sgd.js';

export {
  Optimizer, BASE_OPTION_KEYS, type OptimizerOptions, type OptimizerState, type OptimizerConfig, type JsonValue,
} from './optimizer.js';
export type { FloatArray, ParamsInput } from './params.js';
export type { ParamGroup, ParamsOrLayer, WeightHolder } from './param-groups.js';
export { SGD, type SGDOptions } from './sgd.js';
export { Adam, AdamW, type AdamOptions, type AdamWOptions } from './adam.js';
export { RMSprop, type RMSpropOptions } from './rmsprop.js';
export { Adagrad, type AdagradOptions } from './adagrad.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export {
  constant, exponentialDecay, cosineDecay, stepDecay, warmupCosine, scheduleFromConfig, warmupOf,
  type LearningRateSchedule, type ScheduleFn, type ScheduleConfig,
  type ExponentialDecayOptions, type CosineDecayOptions, type StepDecayOptions, type WarmupCosineOptions,
} from './schedules.js';

/** The names `getOptimizer` accepts (in any case, with or without underscores). */
export type OptimizerName = 'sgd' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

/** Options of any built-in optimizer; each constructor rejects keys it does not know. */
export type AnyOptimizerOptions = SGDOptions | AdamOptions | AdamWOptions | RMSpropOptions | AdagradOptions;

const FACTORIES: Readonly<Record<OptimizerName, (opts: AnyOptimizerOptions) => Optimizer>> = {
  sgd: (o) => new SGD(o as SGDOptions),
  adam: (o) => new Adam(o as AdamOptions),
  adamw: (o) => new AdamW(o as AdamWOptions),
  rmsprop: (o) => new RMSprop(o as RMSpropOptions),
  adagrad: (o) => new Adagrad(o as AdagradOptions),
};

const registry = new Registry<(opts: AnyOptimizerOptions) => Optimizer>({ kind: 'optimizer', hint: 'Or pass an Optimizer instance.' });
for (const [name, make] of Object.entries(FACTORIES)) registry.register(name, make);

/**
 * An optimizer from its name ('sgd', 'adam', 'adamw', 'rmsprop', 'adagrad'; any case) and
 * options, or the given instance unchanged (what `model.compile({ optimizer })` accepts).
 *
 * @example
 * nb.optim.getOptimizer('Adam', { learningRate: 3e-4 }) // an Adam
 * nb.optim.getOptimizer(new nb.optim.SGD())            // that same SGD
 */
export function getOptimizer<T extends Optimizer>(optimizer: T): T;
export function getOptimizer(name: 'sgd', opts?: SGDOptions): SGD;
export function getOptimizer(name: 'adam', opts?: AdamOptions): Adam;
export function getOptimizer(name: 'adamw', opts?: AdamWOptions): AdamW;
export function getOptimizer(name: 'rmsprop', opts?: RMSpropOptions): RMSprop;
export function getOptimizer(name: 'adagrad', opts?: AdagradOptions): Adagrad;
export function getOptimizer(nameOrInstance: string | Optimizer, opts?: AnyOptimizerOptions): Optimizer;
export function getOptimizer(nameOrInstance: string | Optimizer, opts?: AnyOptimizerOptions): Optimizer {
  if (nameOrInstance instanceof Optimizer) {
    if (opts !== undefined && Object.keys(opts).length > 0) {
      throw new ValueError(`getOptimizer: options apply only when creating an optimizer by name; this ${nameOrInstance.name} instance is already configured`);
    }
    return nameOrInstance;
  }
  if (typeof nameOrInstance !== 'string') {
    throw new ValueError(`getOptimizer: expected an optimizer name or an Optimizer instance, got ${nameOrInstance === null ? 'null' : typeof nameOrInstance}`);
  }
  return registry.get(nameOrInstance)(opts ?? {});
}

/**
 * Rebuilds an optimizer from `opt.getConfig()`, schedule included (a custom function schedule
 * cannot be rebuilt: set `opt.learningRate = fn` afterwards).
 *
 * @example
 * const copy = nb.optim.optimizerFromConfig(opt.getConfig());
 */
export function optimizerFromConfig(config: OptimizerConfig): Optimizer {
  const { name, learningRate, ...rest } = config;
  // fromEntries, not assignment: a config read from a file may hold a '__proto__' key
  const opts: Record<string, unknown> = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null));
  // a config without a learning rate (a hand-written model.json) gets the optimizer's default
  if (learningRate !== undefined) opts['learningRate'] = typeof learningRate === 'number' ? learningRate : scheduleFromConfig(learningRate as ScheduleConfig);
  return getOptimizer(name, opts as AnyOptimizerOptions);
}
