/**
 * The training mode of layers: PyTorch's `train()`/`eval()` for hand-written loops, combined with
 * the ambient flag of the enclosing call (Keras 3's call context) into the flag a call runs with.
 */
import { ambientTraining } from '../autograd/training-context.js';

/** A layer's mode set by `train()`/`eval()`: the value, and whether it was set on that layer itself. */
interface Mode {
  training: boolean;
  own: boolean;
}

// kept beside the layers rather than in them, so that Layer stays a thin list of delegations
const modes = new WeakMap<object, Mode>();

/** `layer.train(training)`: the mode of `layer` (its own) and of its `sublayers` (inherited). */
export function setTrainingMode(layer: object, sublayers: readonly object[], training: boolean): void {
  modes.set(layer, { training, own: true });
  for (const l of sublayers) modes.set(l, { training, own: false });
}

/** The mode set by `train()`/`eval()` on `layer` or an ancestor, or null when none was. */
export function trainingModeOf(layer: object): boolean | null {
  return modes.get(layer)?.training ?? null;
}

/** The mode set by `train()`/`eval()` on `layer` itself (not through an ancestor), or null. */
export function ownTrainingModeOf(layer: object): boolean | null {
  const m = modes.get(layer);
  return m?.own ? m.training : null;
}

/**
 * The flag a call of `layer` runs with, given its `training` argument: the argument when given;
 * else the mode set by `train()`/`eval()` on the layer itself; else the ambient flag of the
 * enclosing call (or of `fit`/`evaluate`/`predict`); else the mode an ancestor's
 * `train()`/`eval()` set; else false (Keras' default: inference).
 */
export function resolveTraining(layer: object, training: boolean | undefined): boolean {
  if (training !== undefined) return training;
  const m = modes.get(layer);
  if (m?.own) return m.training;
  return ambientTraining() ?? m?.training ?? false;
}
