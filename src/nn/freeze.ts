/**
 * Freezing all of a model but a few layers (a new head, LoRA adapters). `trainable` is a flag per
 * layer that a frozen ancestor overrides, so the layers on the way to a kept one must stay
 * trainable while everything beside that way is frozen.
 */
import { ValueError } from '../tensor/errors.js';
import type { Layer } from './layer.js';

/**
 * Sets `trainable = false` on every sublayer of `root` except the `keep` layers (whose own
 * sublayers are left trainable) and the layers that contain them. A layer that contains a kept
 * layer stays trainable, and so do the weights it holds itself (rare: most containers hold only
 * sublayers); everything else is frozen: its weights get `requiresGrad = false`, no gradients and
 * no optimizer slots.
 *
 * @example
 * nb.models.freezeAllExcept(model, [model.getLayer('head')]);
 * model.trainableWeights  // only the head's kernel and bias
 */
export function freezeAllExcept(root: Layer, keep: Iterable<Layer>): void {
  const kept = new Set(keep);
  const all = root.namedLayers();
  for (const k of kept) {
    if (!all.some(([, l]) => l === k)) throw new ValueError(`freezeAllExcept: ${k.describe()} is not a sublayer of ${root.describe()}`);
  }
  // every layer on a path from root to a kept layer
  const onTheWay = new Set<Layer>([root]);
  const seen = new Set<Layer>();
  const mark = (layer: Layer): boolean => {
    if (seen.has(layer)) return onTheWay.has(layer);
    seen.add(layer);
    let found = false;
    for (const [, child] of layer.namedChildren()) {
      if (kept.has(child)) found = true;
      else if (mark(child)) found = true;
    }
    if (found) onTheWay.add(layer);
    return found;
  };
  mark(root);
  const visit = (layer: Layer): void => {
    // unfreezes the whole subtree; the siblings of the way are frozen again just below
    layer.trainable = true;
    for (const [, child] of layer.namedChildren()) {
      if (kept.has(child)) continue;
      if (onTheWay.has(child)) visit(child);
      else child.trainable = false;
    }
  };
  if (kept.size === 0) root.trainable = false;
  else visit(root);
}
