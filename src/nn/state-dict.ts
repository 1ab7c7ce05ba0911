import { ShapeError, ValueError } from '../tensor/errors.js';
import { fmt, shapesEqual } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';
import { assignInPlace } from './assign.js';
import type { Layer } from './layer.js';

/** The keys `loadStateDict` could not match (empty lists under `strict`). */
export interface LoadStateDictResult {
  /** Weights of the layer that the state dict has no value for. */
  missingKeys: string[];
  /** Keys of the state dict that name no weight of the layer. */
  unexpectedKeys: string[];
}

/**
 * `layer.loadStateDict(stateDict, opts)`: checks every key and shape first, then copies the values
 * into the layer's weights in place. See `Layer.loadStateDict`.
 */
export function loadStateDictInto(layer: Layer, stateDict: Record<string, Tensor>, opts: { strict?: boolean } = {}): LoadStateDictResult {
  const strict = opts.strict ?? true;
  const where = `loadStateDict into ${layer.describe()}`;
  const own = new Map(layer.namedWeights());
  const keys = Object.keys(stateDict);
  // own keys only: a weight named 'constructor' (an ONNX initializer) is missing unless given
  const missingKeys = [...own.keys()].filter((k) => !Object.hasOwn(stateDict, k));
  const unexpectedKeys = keys.filter((k) => !own.has(k));
  if (unexpectedKeys.length > 0) assertBuiltFor(layer, unexpectedKeys);
  if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
    const parts: string[] = [];
    if (missingKeys.length) parts.push(`missing keys: ${missingKeys.join(', ')}`);
    if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
    throw new ValueError(`${where}: ${parts.join('; ')} (pass { strict: false } to load the matching keys only)`);
  }
  for (const k of keys) {
    const target = own.get(k);
    const value = stateDict[k];
    if (!target) continue;
    if (!(value instanceof Tensor)) throw new ValueError(`${where}: the value of '${k}' is not a Tensor`);
    if (!shapesEqual(target.shape, value.shape)) {
      throw new ShapeError(`${where}: shape mismatch for '${k}': the layer has ${fmt(target.shape)}, the state dict has ${fmt(value.shape)}`);
    }
  }
  for (const k of keys) {
    const target = own.get(k);
    if (target) assignInPlace(target, stateDict[k]!, `loadStateDict '${k}'`);
  }
  return { missingKeys, unexpectedKeys };
}

/**
 * Keys that match no weight are most often weights that do not exist yet: this throws the
 * "not built" error when one of `keys` falls under a layer (the root or a sublayer) not yet built.
 */
function assertBuiltFor(root: Layer, keys: string[]): void {
  const candidates: [string, Layer][] = [['', root], ...root.namedLayers().map(([p, l]): [string, Layer] => [`${p}.`, l])];
  for (const [prefix, layer] of candidates) {
    if (layer.built) continue;
    const key = keys.find((k) => k.startsWith(prefix));
    if (key === undefined) continue;
    const sub = prefix === '' ? '' : ` (sublayer '${prefix.slice(0, -1)}')`;
    throw new ValueError(
      `loadStateDict: ${layer.describe()}${sub} is not built yet, so it has no weight for '${key}'. ` +
        'Weights are created on first use: before loading, call the model once on a sample batch (model.apply(x)) or build it with the shape of a batch, batch dimension null (model.build([null, 784]))',
    );
  }
}
