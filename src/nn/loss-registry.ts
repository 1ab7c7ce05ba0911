import { ValueError } from '../tensor/errors.js';
import type { Tensor } from '../tensor/tensor.js';
import * as losses from './losses.js';

/** A loss function: `(yTrue, yPred) → scalar`, Keras argument order. */
export type LossFn = (yTrue: Tensor, yPred: Tensor, opts?: { reduction?: losses.Reduction }) => Tensor;

const BY_NAME: Record<string, LossFn> = {
  meansquarederror: losses.meanSquaredError,
  mse: losses.meanSquaredError,
  meanabsoluteerror: losses.meanAbsoluteError,
  mae: losses.meanAbsoluteError,
  huber: losses.huber,
  binarycrossentropy: losses.binaryCrossentropy,
  categoricalcrossentropy: losses.categoricalCrossentropy,
  sparsecategoricalcrossentropy: losses.sparseCategoricalCrossentropy,
};

const CANONICAL = ['meanSquaredError (mse)', 'meanAbsoluteError (mae)', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'];

/**
 * A loss by Keras name, in camelCase or snake_case (`'sparseCategoricalCrossentropy'`,
 * `'sparse_categorical_crossentropy'`, `'mse'`), or the function itself.
 */
export function getLoss(nameOrFn: string | LossFn): LossFn {
  if (typeof nameOrFn === 'function') return nameOrFn;
  const key = String(nameOrFn).replace(/_/g, '').toLowerCase();
  const fn = BY_NAME[key];
  if (!fn) throw new ValueError(`Unknown loss '${nameOrFn}'. Valid: ${CANONICAL.join(', ')}; or pass a function (yTrue, yPred) => Tensor`);
  return fn;
}

/** The name a loss is saved under in model.json (undefined for a custom function). */
export function lossName(fn: LossFn): string | undefined {
  for (const [name, f] of Object.entries(losses)) if (f === fn) return name;
  return undefined;
}
