/**
 * The loss in model.json: a save that cannot keep it says so, and a load that cannot rebuild it
 * says so; neither fails, since the weights and architecture are what a user cannot get back.
 */
import { getLoss, lossFromConfig, lossName, type LossFn, type SavedLoss } from '../nn/loss-registry.js';
import { ValueError } from '../tensor/errors.js';
import { warn } from '../tensor/warn.js';
import type { Model } from './model.js';

/**
 * Warns, at save, when the model's loss is a function nabla cannot find again after a reload (not
 * built in, not registered): the reloaded model would come back uncompiled. The save goes on (an
 * error here would lose a finished run's weights) and the message says how to keep the loss.
 */
export function warnUnsavedLoss(model: Model): void {
  if (model.loss === null || model.compileConfig?.loss !== undefined) return;
  const name = lossName(model.loss);
  const shown = name === undefined ? 'an anonymous loss function' : `the loss function '${name}'`;
  const register = `nb.losses.registerLoss('${name ?? 'myLoss'}', ${name ?? 'myLoss'})`;
  warn(
    `save: ${shown} cannot be written to model.json, so the model will load uncompiled. ` +
      "Compile with a built-in loss by name or object (e.g. loss: { name: 'sparseCategoricalCrossentropy', fromLogits: true }), " +
      `or register it before saving and loading: ${register}`,
  );
}

/**
 * The loss model.json names, or null (with a warning) when it cannot be rebuilt here: a
 * registered function that this program has not registered. The model then loads uncompiled.
 */
export function restoreLoss(saved: SavedLoss, path: string): LossFn | null {
  try {
    return typeof saved === 'string' ? getLoss(saved) : lossFromConfig(saved);
  } catch (e) {
    if (!(e instanceof ValueError)) throw e;
    const name = typeof saved === 'string' ? saved : String(saved.name);
    warn(
      `loadModel: ${path} was compiled with the loss '${name}', which cannot be rebuilt here (${e.message}), so the model is loaded uncompiled. ` +
        `Register the function before loading (nb.losses.registerLoss('${name}', fn)) or compile the model again`,
    );
    return null;
  }
}
