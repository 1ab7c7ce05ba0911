import type { Tensor } from '../tensor/tensor.js';
import type { Layer } from './layer.js';

/**
 * Runs `layer` on `inputs` with some of its weights replaced (by path) for this one call, as
 * PyTorch's `torch.func.functional_call`: the output is differentiable with respect to the given
 * tensors, and the layer's own weights are untouched afterwards. The layer must be built.
 * `training` is resolved as by `apply` (left out: inherited).
 *
 * @example
 * nb.testing.gradcheck((x, k) => nn.functionalCall(dense, { kernel: k }, x), [x, kernel64]);
 */
export function functionalCall(layer: Layer, weights: Record<string, Tensor>, inputs: Tensor, training?: boolean): Tensor {
  return layer.withWeights(weights, () => layer.apply(inputs, training));
}
