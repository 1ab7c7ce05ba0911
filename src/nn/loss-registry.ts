/**
 * Losses by name: what `compile({ loss })` accepts (a name, a name with options, a loss object or
 * a function) and the JSON form model.json keeps, so that a saved model reloads with its loss.
 */
import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import { Registry } from '../tensor/registry.js';
import * as losses from './losses.js';
import {
  BinaryCrossentropy, CategoricalCrossentropy, Huber, Loss, MeanAbsoluteError, MeanSquaredError,
  SparseCategoricalCrossentropy, type LossConfig,
} from './loss-objects.js';
import { CTC, ctc } from './losses-ctc.js';

/** A loss function: `(yTrue, yPred) → scalar`, Keras argument order. Loss objects are loss functions too. */
export type LossFn = (yTrue: Tensor, yPred: Tensor, opts?: { reduction?: losses.Reduction }) => Tensor;

/** A loss as `compile` takes it: a name (`'mse'`), a name with options, a loss object or a function. */
export type LossSpec = string | LossConfig | LossFn;

/** How a loss is written in model.json: a registered name, or a built-in loss's config. */
export type SavedLoss = string | LossConfig;

type Options = Omit<LossConfig, 'name'>;
interface BuiltIn {
  name: string;
  cls: { fromConfig(config: Options): Loss };
  fn: LossFn;
}
/** What a loss name stands for: a built-in loss (a class and its function) or a registered function. */
type Entry = { builtIn: BuiltIn } | { fn: LossFn };

const BUILT_INS: BuiltIn[] = [
  { name: 'meanSquaredError', cls: MeanSquaredError, fn: losses.meanSquaredError },
  { name: 'meanAbsoluteError', cls: MeanAbsoluteError, fn: losses.meanAbsoluteError },
  { name: 'huber', cls: Huber, fn: losses.huber },
  { name: 'binaryCrossentropy', cls: BinaryCrossentropy, fn: losses.binaryCrossentropy },
  { name: 'categoricalCrossentropy', cls: CategoricalCrossentropy, fn: losses.categoricalCrossentropy },
  { name: 'sparseCategoricalCrossentropy', cls: SparseCategoricalCrossentropy, fn: losses.sparseCategoricalCrossentropy },
  { name: 'ctc', cls: CTC, fn: ctc },
];

const registry = new Registry<Entry>({
  kind: 'loss',
  hint: 'Or pass a function (yTrue, yPred) => Tensor (nb.losses.registerLoss makes it savable).',
});
for (const builtIn of BUILT_INS) registry.register(builtIn.name, { builtIn });
registry.alias('mse', 'meanSquaredError');
registry.alias('mae', 'meanAbsoluteError');

/**
 * Makes a custom loss function savable: a model compiled with it writes `name` in model.json, and
 * `loadModel` finds the function again by that name (register it before loading). The name must
 * not be a built-in loss's.
 *
 * @example
 * nb.losses.registerLoss('focal', focalLoss);
 * model.compile({ optimizer: 'adam', loss: focalLoss }); // or loss: 'focal'
 */
export function registerLoss(name: string, fn: LossFn): void {
  if (typeof name !== 'string' || name === '') throw new ValueError('registerLoss: the name must be a non-empty string');
  if (typeof fn !== 'function') throw new ValueError(`registerLoss: '${name}' must be given a loss function (yTrue, yPred) => Tensor`);
  const existing = registry.find(name);
  if (existing && 'builtIn' in existing) throw new ValueError(`registerLoss: '${name}' is a built-in loss; choose another name`);
  registry.register(name, { fn });
}

/**
 * A loss from what `compile` accepts. Names (camelCase or snake_case, `'mse'`, `'mae'`) and
 * configs (`{ name: 'sparseCategoricalCrossentropy', fromLogits: true }`) give loss objects, as
 * does a built-in loss function (same result, but savable); a loss object or a registered or
 * custom function is returned as it is.
 *
 * @example
 * getLoss({ name: 'huber', delta: 2 }) // a Huber loss object with delta 2
 */
export function getLoss(spec: LossSpec): LossFn {
  if (spec instanceof Loss) return spec;
  if (typeof spec === 'function') {
    const builtIn = BUILT_INS.find((b) => b.fn === spec);
    return builtIn ? builtIn.cls.fromConfig({}) : spec;
  }
  if (typeof spec === 'string') return lossFromConfig({ name: spec });
  if (spec && typeof spec === 'object' && typeof (spec as { name?: unknown }).name === 'string') return lossFromConfig(spec);
  throw new ValueError(
    `Unknown loss ${describe(spec)}. Pass a name (${registry.listing()}), a name with options ({ name: 'sparseCategoricalCrossentropy', fromLogits: true }), ` +
      'a loss object (new nb.losses.SparseCategoricalCrossentropy({ fromLogits: true })) or a function (yTrue, yPred) => Tensor',
  );
}

/** Rebuilds a loss from its config (what model.json holds and `loss.getConfig()` gives). */
export function lossFromConfig(config: LossConfig): LossFn {
  const { name, ...options } = config;
  const entry = registry.get(String(name));
  if ('builtIn' in entry) return entry.builtIn.cls.fromConfig(options);
  if (Object.keys(options).length > 0) {
    throw new ValueError(`loss '${registry.nameOf(entry) ?? String(name)}' is a registered function and takes no options, got ${Object.keys(options).map((k) => `'${k}'`).join(', ')}; bind them in the function`);
  }
  return entry.fn;
}

/**
 * How `loss` is saved in model.json: the config of a built-in loss object, the name of a
 * registered function; undefined for a function nabla cannot find again after a reload.
 */
export function savedLossOf(loss: LossFn): SavedLoss | undefined {
  const registered = registry.list().find(([, e]) => 'fn' in e && e.fn === loss);
  if (registered) return registered[0];
  if (loss instanceof Loss) {
    // a subclass written by the user carries a name that no registry here can rebuild
    const entry = registry.find(loss.name);
    return entry && 'builtIn' in entry && (loss.constructor as unknown) === entry.builtIn.cls ? loss.getConfig() : undefined;
  }
  const builtIn = BUILT_INS.find((b) => b.fn === loss);
  return builtIn?.name;
}

/** The name a loss is known by, for messages: its registered or built-in name, else the function's own name. */
export function lossName(loss: LossFn): string | undefined {
  const saved = savedLossOf(loss);
  if (typeof saved === 'string') return saved;
  if (saved) return saved.name;
  return loss.name === '' ? undefined : loss.name;
}

function describe(x: unknown): string {
  if (typeof x === 'object' && x !== null) return JSON.stringify(x);
  return String(x);
}
