/**
 * Texts given to `fit`, `evaluate` and `predict`. Tensors hold numbers, so a model takes strings
 * through its first layer: one that turns texts into its own tensor input (`TextVectorization`'s
 * `encodeTexts`). The texts are encoded once, here, and the model then runs on the ids as on any
 * tensor (batches, shuffling, validation split, checkpoints unchanged).
 */
import type { Layer } from '../nn/layer.js';
import { ValueError } from '../tensor/errors.js';
import { Tensor } from '../tensor/tensor.js';

/** A layer that takes texts: `encodeTexts` gives the tensor its `call` takes. */
export interface TextInputLayer extends Layer {
  encodeTexts(texts: readonly string[]): Tensor;
}

/** Validation data given as texts and their targets. */
export type TextBatch = readonly [readonly string[], Tensor];

/** True for an array of strings; an array that mixes strings with other values is an error naming `op`. */
export function isTextArray(x: unknown, op: string): x is readonly string[] {
  if (!Array.isArray(x) || !x.some((v) => typeof v === 'string')) return false;
  const bad = x.findIndex((v) => typeof v !== 'string');
  if (bad >= 0) throw new ValueError(`${op}: x mixes strings with other values (element ${bad} is ${x[bad] === null ? 'null' : typeof x[bad]}); pass an array of strings or a tensor`);
  return true;
}

/**
 * The layer that takes the model's texts: its first layer (for a `Sequential`, the first in the
 * list; for a subclassed model, the first sublayer assigned), looked for through nested models.
 */
function textInputLayer(model: Layer): { layer: TextInputLayer | null; first: Layer | null } {
  let first: Layer | null = null;
  for (let layer: Layer | undefined = model; layer !== undefined; layer = layer.namedChildren()[0]?.[1]) {
    if (layer !== model) first ??= layer;
    if (typeof (layer as { encodeTexts?: unknown }).encodeTexts === 'function') return { layer: layer as TextInputLayer, first };
  }
  return { layer: null, first };
}

/**
 * `x` as the model's tensor input: texts are encoded by the model's text layer, anything else is
 * returned as it is. Texts given to a model whose first layer takes tensors (an image model)
 * are a `ValueError` saying so.
 */
export function encodeTextInput<X>(model: Layer, x: X | readonly string[], op: string): X | Tensor {
  if (!isTextArray(x, op)) return x as X;
  const { layer, first } = textInputLayer(model);
  if (layer === null) {
    throw new ValueError(
      `${op}: x is an array of ${x.length} strings, but ${model.describe()} takes tensors (its first layer is ${first === null ? 'missing' : first.describe()}); ` +
        'put a TextVectorization first in the model (adapted on the training texts) to give it texts, or pass a tensor',
    );
  }
  return layer.encodeTexts(x);
}

/** Validation data `[texts, y]` with its texts encoded; any other value as it is. */
export function encodeTextBatch<V>(model: Layer, data: V | TextBatch, op: string): V | [Tensor, Tensor] {
  if (Array.isArray(data) && data.length === 2 && data[1] instanceof Tensor && isTextArray(data[0], op)) {
    return [encodeTextInput(model, data[0] as readonly string[], op) as Tensor, data[1]];
  }
  return data as V;
}
