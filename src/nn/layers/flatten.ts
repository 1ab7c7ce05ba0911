import { ShapeError } from '../../tensor/errors.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { reshape } from '../../ops/movement.js';
import { Layer, type LayerOptions } from '../layer.js';
import { registerLayer } from '../layer-registry.js';

/**
 * Flattens every dim but the batch dim: `[N, d1, d2, …] → [N, d1·d2·…]` (`[N] → [N, 1]`).
 *
 * @example
 * new nn.layers.Flatten().apply(nb.zeros([32, 28, 28]))   // [32, 784]
 */
export class Flatten extends Layer {
  constructor(opts: LayerOptions = {}) {
    super(opts);
  }

  call(inputs: Tensor): Tensor {
    return reshape(inputs, this.computeOutputShape(inputs.shape.slice()));
  }

  override computeOutputShape(inputShape: number[]): number[] {
    if (inputShape.length === 0) throw new ShapeError(`${this.describe()}: needs a batch dim, got a scalar`);
    return [inputShape[0]!, sizeOf(inputShape.slice(1))];
  }
}

registerLayer(Flatten);
