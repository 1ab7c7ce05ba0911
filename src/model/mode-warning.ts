/**
 * The warning for a sublayer whose own `train()`/`eval()` mode overrides the mode of `fit`,
 * `evaluate` or `predict` (as in PyTorch, a layer put in a mode by itself keeps it): useful to
 * keep a BatchNormalization frozen in a hand-written loop, but inside `fit` it silently turns
 * dropout off, or on during `evaluate`.
 */
import type { Layer } from '../nn/layer.js';
import { warn } from '../tensor/warn.js';

const warned = new WeakMap<Layer, Set<string>>();

/**
 * Warns once per sublayer and operation when a sublayer of `model` has its own mode, set by
 * `train()`/`eval()` on it, other than `training`, the mode `op` runs in. Returns the number of
 * layers it warned about.
 */
export function warnSublayerModes(model: Layer, op: 'fit' | 'evaluate' | 'predict', training: boolean): number {
  let count = 0;
  for (const [path, layer] of model.namedLayers()) {
    const own = layer.ownTrainingMode;
    if (own === null || own === training) continue;
    const ops = warned.get(layer) ?? new Set<string>();
    if (ops.has(op)) continue;
    ops.add(op);
    warned.set(layer, ops);
    count++;
    warn(
      training
        ? `${op}: ${layer.describe()} (at '${path}') runs in inference mode during ${op}, because eval() was called on it; ` +
            'call model.train() before fit to put every layer back in training mode (to freeze a BatchNormalization, set its trainable = false instead)'
        : `${op}: ${layer.describe()} (at '${path}') runs in training mode during ${op} (dropout on), because train() was called on it; call model.eval() first`,
    );
  }
  return count;
}
