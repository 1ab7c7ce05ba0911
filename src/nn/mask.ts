/**
 * Masks of padded time steps, as Keras' `_keras_mask`: a bool tensor `[batch, timesteps]` (true =
 * a real step) that travels with the tensor a layer outputs. `Masking` and `Embedding({ maskZero:
 * true })` attach one; `Layer.apply` carries it from a layer's input to its output when the layer
 * keeps the time axis and the meaning of each step (Dense, Dropout, Activation, LayerNormalization,
 * TimeDistributed, recurrent layers returning sequences…); recurrent layers read it and skip the
 * masked steps. A layer not known to keep the mask drops it (Flatten, pooling, convolutions…).
 *
 * @example
 * const x = new nn.layers.Masking().apply(padded);   // mask = any(padded != 0, -1)
 * nn.getMask(x)                                      // bool [batch, timesteps]
 */
import { ShapeError } from '../tensor/errors.js';
import { fmt } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

const masks = new WeakMap<Tensor, Tensor>();
const passthrough = new Set<string>(['Dense', 'Dropout', 'Activation', 'LayerNormalization']);

/** Attaches `mask` (bool, shape = the leading dims of `t`) to `t`; returns `t`. */
export function setMask(t: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== 'bool') throw new ShapeError(`setMask: the mask must be a bool tensor, got ${mask.dtype}`);
  if (mask.ndim > t.ndim || mask.shape.some((d, i) => d !== t.shape[i])) {
    throw new ShapeError(`setMask: mask of shape ${fmt(mask.shape)} does not match the leading dims of the tensor's shape ${fmt(t.shape)}`);
  }
  masks.set(t, mask);
  return t;
}

/** The mask attached to `t` by a Masking or mask-producing layer, or null. */
export function getMask(t: Tensor): Tensor | null {
  return masks.get(t) ?? null;
}

/**
 * Declares that layers registered under `className` keep their input's mask (they work step by
 * step and keep `[batch, timesteps]`), as Keras' `supports_masking`.
 */
export function registerMaskPassthrough(className: string): void {
  passthrough.add(className);
}

/**
 * Called by `Layer.apply` after `call`: gives `output` the mask of `input` when the layer is a
 * registered pass-through, the output has no mask of its own and still has the mask's leading dims.
 */
export function propagateMask(layer: { readonly className: string }, input: Tensor, output: Tensor): void {
  if (output === input || masks.has(output)) return;
  const mask = masks.get(input);
  if (!mask || !passthrough.has(layer.className)) return;
  if (mask.ndim <= output.ndim && mask.shape.every((d, i) => d === output.shape[i])) masks.set(output, mask);
}
